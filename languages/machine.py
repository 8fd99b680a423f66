"""The machine translator offered in wagtail-localize's translation editor, from the environment.

Plain Python (no Django imports): ``config/settings/base.py`` calls ``translator_settings()``
before Django starts. ``MACHINE_TRANSLATOR`` picks the backend:

- unset or empty: no machine translation (the editor shows no "Machine translate" button);
- ``libretranslate``: ``LIBRETRANSLATE_URL`` (required) and ``LIBRETRANSLATE_API_KEY``;
- ``deepl``: ``DEEPL_AUTH_KEY`` (required; a key ending in ``:fx`` uses DeepL's free API);
- ``dummy``: wagtail-localize's test backend (reverses the words; no network), used by the tests.

``MACHINE_TRANSLATOR_TIMEOUT`` (seconds) bounds each request to LibreTranslate or DeepL. A
misspelt backend or a missing key stops the process at start-up with a clear message instead
of failing later in an editor's request.
"""

from __future__ import annotations

from collections.abc import Mapping

BACKENDS = {
    "libretranslate": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
    "deepl": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
    "dummy": "wagtail_localize.machine_translators.dummy.DummyTranslator",
}
DEFAULT_TIMEOUT = 10


class MachineTranslatorSettingError(ValueError):
    pass


def _timeout(env: Mapping[str, str]) -> float:
    raw = (env.get("MACHINE_TRANSLATOR_TIMEOUT") or "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise MachineTranslatorSettingError(
            f"MACHINE_TRANSLATOR_TIMEOUT must be a positive number of seconds, not {raw!r}"
        )
    return value


def _required(env: Mapping[str, str], name: str, backend: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise MachineTranslatorSettingError(f"MACHINE_TRANSLATOR={backend} needs {name}")
    return value


def translator_settings(env: Mapping[str, str]) -> dict | None:
    """``WAGTAILLOCALIZE_MACHINE_TRANSLATOR`` for this environment (None: none offered)."""
    backend = (env.get("MACHINE_TRANSLATOR") or "").strip().lower()
    if not backend:
        return None
    if backend not in BACKENDS:
        raise MachineTranslatorSettingError(
            f"MACHINE_TRANSLATOR: unknown backend {backend!r} (known: {', '.join(BACKENDS)})"
        )
    options: dict = {}
    if backend == "libretranslate":
        url = _required(env, "LIBRETRANSLATE_URL", backend).rstrip("/")
        if not url.startswith(("https://", "http://")):
            raise MachineTranslatorSettingError(
                f"LIBRETRANSLATE_URL must start with https:// or http://, not {url!r}"
            )
        options = {
            "LIBRETRANSLATE_URL": url,
            "API_KEY": (env.get("LIBRETRANSLATE_API_KEY") or "").strip(),
            "TIMEOUT": _timeout(env),
        }
    elif backend == "deepl":
        options = {"AUTH_KEY": _required(env, "DEEPL_AUTH_KEY", backend), "TIMEOUT": _timeout(env)}
    return {"CLASS": BACKENDS[backend], "OPTIONS": options}
