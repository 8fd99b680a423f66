"""The analytics settings, with their defaults (docs/analytics.md lists them)."""

from __future__ import annotations

from django.conf import settings

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


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def mode() -> str:
    """ "server", "beacon" or "off"."""
    chosen = str(get("ANALYTICS_MODE")).strip().lower()
    if chosen == "auto":
        return "beacon" if getattr(settings, "WAGTAILFRONTENDCACHE", None) else "server"
    if chosen not in {"server", "beacon", "off"}:
        return "off"
    return chosen
