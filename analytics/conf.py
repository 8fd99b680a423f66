"""The analytics settings, with their defaults (docs/analytics.md lists them).

Counting runs on every page the server answers, so what it needs of the settings is read once
into ``current()`` and read again only when a setting changes (Django's ``setting_changed``
signal, which ``override_settings`` and pytest-django's ``settings`` fixture send): looking a
setting up through ``django.conf.settings`` is a Python-level attribute hook, and a missing one
raises and catches an exception each time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS = {
    # auto: "beacon" when a CDN answers pages (WAGTAILFRONTENDCACHE set), else "server".
    "ANALYTICS_MODE": "auto",
    # Where views are buffered between the web processes and the database ("" : no Redis).
    "ANALYTICS_REDIS_URL": "",
    "ANALYTICS_KEY_PREFIX": "analytics",
    # How often each web process pushes its buffered views to Redis (0: no pusher thread; the
    # views wait for an explicit buffer.push(), as in the tests).
    "ANALYTICS_PUSH_SECONDS": 2.0,
    # Without Redis, each web process flushes its own views into the database this often
    # (0: never; only for a single process, such as runserver).
    "ANALYTICS_LOCAL_FLUSH_SECONDS": 60,
    # The most distinct (hour, path, source, referrer) keys a process buffers between pushes.
    "ANALYTICS_BUFFER_MAX_KEYS": 50_000,
    # Hourly rows are kept this many days; daily rows are kept.
    "ANALYTICS_HOURLY_DAYS": 35,
    # How long a "Most read" list is reused before it is computed again.
    "ANALYTICS_MOST_READ_SECONDS": 300,
    "ANALYTICS_MOST_READ_COUNT": 5,
    # Count views of readers who send DNT: 1 or Sec-GPC: 1, without making a visitor hash.
    "ANALYTICS_COUNT_DNT": True,
}
# Other settings counting reads on each view; a change to one of them is read again too.
READ_PER_VIEW = {"WAGTAILFRONTENDCACHE", "SESSION_COOKIE_NAME", "TRUSTED_PROXY_COUNT"}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True, slots=True)
class Options:
    """What counting needs on each view, read from the settings once."""

    mode: str
    count_dnt: bool
    max_keys: int
    push_seconds: float
    session_cookie: str  # "<SESSION_COOKIE_NAME>="
    proxies: int  # TRUSTED_PROXY_COUNT


def _mode() -> str:
    chosen = str(get("ANALYTICS_MODE")).strip().lower()
    if chosen == "auto":
        return "beacon" if getattr(settings, "WAGTAILFRONTENDCACHE", None) else "server"
    if chosen not in {"server", "beacon", "off"}:
        return "off"
    return chosen


_current: Options | None = None


def current() -> Options:
    global _current
    options = _current
    if options is None:
        options = _current = Options(
            mode=_mode(),
            count_dnt=bool(get("ANALYTICS_COUNT_DNT")),
            max_keys=int(get("ANALYTICS_BUFFER_MAX_KEYS")),
            push_seconds=float(get("ANALYTICS_PUSH_SECONDS")),
            session_cookie=f"{settings.SESSION_COOKIE_NAME}=",
            proxies=int(getattr(settings, "TRUSTED_PROXY_COUNT", 0)),
        )
    return options


def reload() -> None:
    """Read the settings again at the next view (after assigning to ``settings`` directly)."""
    global _current
    _current = None


def _setting_changed(setting, **kwargs) -> None:
    if setting.startswith("ANALYTICS_") or setting in READ_PER_VIEW:
        reload()


setting_changed.connect(_setting_changed, dispatch_uid="analytics.conf")


def mode() -> str:
    """ "server", "beacon" or "off"."""
    return current().mode
