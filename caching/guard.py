"""A guarded view of the Django cache: when the cache server is down, callers get a miss.

django-redis already swallows connection errors when ``IGNORE_EXCEPTIONS`` is on; this module
adds the same guarantee for any backend (database cache, memcached) and a short circuit breaker so
that a cache server that hangs does not cost every request a timeout.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

_down_until = 0.0


def _cache():
    return caches[settings.CACHE_ALIAS]


def _failed(exc: BaseException) -> None:
    global _down_until
    _down_until = time.monotonic() + settings.CACHE_RETRY_AFTER_SECONDS
    logger.warning("Cache unavailable, serving uncached for a few seconds: %s", exc)


def available() -> bool:
    return time.monotonic() >= _down_until


def reset() -> None:
    """Forget a previous failure (tests, or after the operator fixed the cache)."""
    global _down_until
    _down_until = 0.0


def get(key, default=None):
    if not available():
        return default
    try:
        return _cache().get(key, default)
    except Exception as exc:  # noqa: BLE001  any backend error means "no cache"
        _failed(exc)
        return default


def get_many(keys) -> dict:
    if not available():
        return {}
    try:
        return _cache().get_many(keys)
    except Exception as exc:  # noqa: BLE001
        _failed(exc)
        return {}


def set(key, value, timeout=None) -> bool:  # noqa: A001
    if not available():
        return False
    try:
        _cache().set(key, value, timeout)
        return True
    except Exception as exc:  # noqa: BLE001
        _failed(exc)
        return False


def add(key, value, timeout=None) -> bool:
    if not available():
        return False
    try:
        return bool(_cache().add(key, value, timeout))
    except Exception as exc:  # noqa: BLE001
        _failed(exc)
        return False


def incr(key, timeout) -> int | None:
    """Increment a counter, creating it with ``timeout``; None when the cache is down."""
    if not available():
        return None
    try:
        cache = _cache()
        if cache.add(key, 1, timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout)
            return 1
    except Exception as exc:  # noqa: BLE001
        _failed(exc)
        return None
