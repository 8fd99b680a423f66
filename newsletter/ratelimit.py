"""A fixed-window rate limiter on Django's cache (locmem, Redis or any shared cache)."""

from __future__ import annotations

import hashlib

from django.core.cache import caches


def hit(scope: str, key: str, limit: int, window: int, cache_alias: str = "default") -> bool:
    """Count one request; True when it is within ``limit`` per ``window`` seconds.

    When the cache cannot count (down or stalled: its calls answer None), the request is let
    through: readers can still subscribe, and the confirmation email stays the real gate.
    """
    cache = caches[cache_alias]
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}"
    # add() is atomic (SET NX on Redis) and starts the window; incr() is atomic too.
    if cache.add(cache_key, 1, timeout=window):
        return 1 <= limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count is None or count <= limit
