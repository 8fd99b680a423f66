"""Fixtures for the analytics tests: counting on, an empty buffer and a store of the test's own."""

import pytest
from django.core.handlers.wsgi import WSGIHandler

from analytics.buffer import buffer
from analytics.store import LocalStore, RedisStore, set_store
from caching.pagecache import PageCacheApplication
from tests.support.servers import REDIS_SERVER, RedisServer

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def store(settings):
    """Server-mode counting into a fresh in-memory store."""
    settings.ANALYTICS_MODE = "server"
    settings.ANALYTICS_LOCAL_FLUSH_SECONDS = 0
    settings.ANALYTICS_PUSH_SECONDS = 0
    buffer.take()
    local = LocalStore()
    set_store(local)
    yield local
    buffer.take()
    set_store(None)


@pytest.fixture
def redis_store(settings):
    """Server-mode counting into a Redis of the test's own."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    settings.ANALYTICS_MODE = "server"
    settings.ANALYTICS_LOCAL_FLUSH_SECONDS = 0
    settings.ANALYTICS_PUSH_SECONDS = 0
    buffer.take()
    with RedisServer() as server:
        redis = RedisStore(server.url, "test-analytics")
        set_store(redis)
        redis.server = server
        yield redis
    buffer.take()
    set_store(None)


@pytest.fixture
def app():
    """The WSGI entry point as production runs it: the page cache's layer in front of Django."""
    return PageCacheApplication(WSGIHandler())
