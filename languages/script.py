"""Serbian pages in the reader's script: ``/sr/...`` in Cyrillic, ``/sr-latn/...`` in Latin.

Both prefixes serve the same Serbian pages (one Wagtail locale, ``sr``), written by editors in
either script. ``SerbianScriptMiddleware`` sits right after the page cache middleware, so the
page cache stores (and serves) each script's copy under its own path; ``path_aliases`` is the
page cache's ``PAGE_CACHE_PATH_ALIASES`` hook, so purging one copy purges the other.
"""

from __future__ import annotations

from django.conf import settings

from . import serbian

CYRILLIC = "cyrillic"
LATIN = "latin"


def _prefixes() -> dict[str, str]:
    """{path prefix: script}, e.g. {"/sr/": "cyrillic", "/sr-latn/": "latin"}."""
    return settings.SERBIAN_SCRIPT_PREFIXES


def script_for_path(path: str) -> str | None:
    for prefix, script in _prefixes().items():
        if path.startswith(prefix):
            return script
    return None


def path_aliases(path: str) -> list[str]:
    """The same page in the other script(s): ``/sr/vesti/x/`` -> ``["/sr-latn/vesti/x/"]``."""
    for prefix in _prefixes():
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            return [other + rest for other in _prefixes() if other != prefix]
    return []


def transliterate(html: str, script: str) -> str:
    if script == LATIN:
        return serbian.html_to_latin(html)
    return serbian.html_to_cyrillic(html, keep=tuple(settings.SERBIAN_KEEP_LATIN))


class SerbianScriptMiddleware:
    """Turn the HTML of Serbian pages into the script their path asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        script = script_for_path(request.path_info)
        if script is None or response.streaming or not response.content:
            return response
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset, errors="surrogateescape")
        response.content = transliterate(html, script).encode(charset, errors="surrogateescape")
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
