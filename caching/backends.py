"""django-redis behind the process's circuit breaker (``caching.guard``).

django-redis already turns a Redis error into a miss (``IGNORE_EXCEPTIONS``), but it asks Redis
again on every call: a Redis that accepts connections and never answers costs each call its
``SOCKET_TIMEOUT``, and a page makes many calls (Wagtail's renditions, sessions, rate limits, the
page and data caches). Here the first failure opens the breaker shared with ``caching.guard``:
for ``CACHE_RETRY_AFTER_SECONDS`` every call is an immediate miss, then one call probes Redis
and, if it answers, closes the breaker.

The hook is django-redis's own: every cache method reaches Redis through ``RedisCache.client``
and turns ``ConnectionInterrupted`` into its documented default value.
"""

from __future__ import annotations

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

from . import guard


class CircuitOpen(Exception):
    """Redis failed a moment ago; this call was not sent."""

    def __str__(self) -> str:
        return "circuit open: Redis failed a moment ago"


class _GuardedClient:
    """The django-redis client, each call refused while the breaker is open."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if not guard.available():
                raise ConnectionInterrupted(connection=None) from CircuitOpen()
            try:
                result = attribute(*args, **kwargs)
            except ConnectionInterrupted as exc:
                guard.failed(exc.__cause__ or exc)
                raise
            guard.succeeded()
            return result

        return call


class GuardedRedisCache(RedisCache):
    @property
    def client(self):
        return _GuardedClient(RedisCache.client.fget(self))
