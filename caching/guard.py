"""A guarded view of the Django cache: when the cache server is down or stalled, callers get a miss.

The circuit breaker here is the process's one view of the cache server's health, shared by this
module's calls and by every call through ``caching.backends.GuardedRedisCache`` (Wagtail's
renditions, sessions, rate limits). Closed: calls go through. The first failure (an error or a
timeout) opens it: for ``CACHE_RETRY_AFTER_SECONDS`` every call is an immediate miss. Then it is
half-open: one thread's calls probe the server while the others still miss; a success closes
it, a failure opens it again. This module also turns any backend's errors (database cache,
memcached) into misses.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"

_lock = threading.Lock()
_open_until = 0.0  # 0: closed
_prober: int | None = None  # the thread probing a half-open breaker


def _cache():
    return caches[settings.CACHE_ALIAS]


def state() -> str:
    if not _open_until:
        return CLOSED
    return OPEN if time.monotonic() < _open_until else HALF_OPEN


def available() -> bool:
    """May this call go to the cache server? (In the half-open state: only the probing thread.)"""
    global _prober
    if not _open_until:
        return True
    if time.monotonic() < _open_until:
        return False
    me = threading.get_ident()
    with _lock:
        if _prober is None:
            _prober = me
        return _prober == me


def failed(exc: BaseException) -> None:
    """A call failed: open the breaker (again) for CACHE_RETRY_AFTER_SECONDS."""
    global _open_until, _prober
    with _lock:
        was_closed = not _open_until
        _open_until = time.monotonic() + settings.CACHE_RETRY_AFTER_SECONDS
        _prober = None
    if was_closed:
        logger.warning("Cache unavailable, serving uncached for a few seconds: %s", exc)


def succeeded() -> None:
    """A call went through: close a half-open breaker."""
    global _open_until, _prober
    if not _open_until:
        return
    with _lock:
        if _open_until and time.monotonic() >= _open_until:
            _open_until = 0.0
            _prober = None
            logger.warning("Cache available again")


def reset() -> None:
    """Forget a previous failure (tests, or after the operator fixed the cache)."""
    global _open_until, _prober
    with _lock:
        _open_until = 0.0
        _prober = None


def _call(default, method: str, *args):
    """``cache.<method>(*args)``, or ``default`` when the breaker is open or the call fails."""
    if not available():
        return default
    try:
        result = getattr(_cache(), method)(*args)
    except Exception as exc:  # noqa: BLE001  any backend error means "no cache"
        failed(exc)
        return default
    succeeded()
    return result


def get(key, default=None):
    return _call(default, "get", key, default)


def get_many(keys) -> dict:
    return _call({}, "get_many", keys) or {}


def set(key, value, timeout=None) -> bool:  # noqa: A001
    return _call(False, "set", key, value, timeout) is not False


def add(key, value, timeout=None) -> bool:
    return bool(_call(False, "add", key, value, timeout))


def incr(key, timeout) -> int | None:
    """Increment a counter, creating it with ``timeout``; None when the cache is down."""
    if _call(None, "add", key, 1, timeout):
        return 1
    if not available():
        return None
    try:
        return _cache().incr(key)
    except ValueError:  # expired between add() and incr()
        return 1 if _call(None, "set", key, 1, timeout) is not None else None
    except Exception as exc:  # noqa: BLE001
        failed(exc)
        return None
