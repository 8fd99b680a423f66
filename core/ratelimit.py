"""The one rate limiter: fixed-window counters in the shared cache, per scope and key.

Used by the admin login throttle (``core.middleware``: failures per IP and per username) and by
the newsletter's subscribe form (requests per IP and per address). Counters live in the cache
through ``caching.guard`` (atomic add/incr on Redis, the database cache or locmem); keys are
hashed, so no address or username is stored in clear. When the cache is down nothing is counted
and nothing is refused: a dead cache never locks readers or editors out.
"""

from __future__ import annotations

import hashlib

from caching import guard


def _key(scope: str, value: str) -> str:
    return f"ratelimit:{scope}:" + hashlib.sha256(value.lower().encode()).hexdigest()[:32]


def count(scope: str, value: str) -> int:
    """How many times ``value`` was recorded in the current window (0 if never)."""
    return guard.get(_key(scope, value), 0) or 0


def record(scope: str, value: str, window: int) -> int | None:
    """Count one more; the first record starts a window of ``window`` seconds.

    Returns the new count, or None when the cache is unavailable.
    """
    return guard.incr(_key(scope, value), window)


def hit(scope: str, value: str, limit: int, window: int) -> bool:
    """Record one request; True while it is within ``limit`` per ``window`` seconds."""
    current = record(scope, value, window)
    return current is None or current <= limit
