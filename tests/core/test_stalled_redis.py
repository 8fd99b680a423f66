"""A Redis that accepts connections but does not answer never takes pages down.

The test starts its own Redis on a free port and pauses it (SIGSTOP), as a stalled server, a
full network queue or a failover looks to a client. The machine's own Redis is never touched.
"""

import json
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from caching import guard
from newsletter.models import Subscriber
from tests.support.servers import REDIS_SERVER, RedisServer

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server")

SOCKET_TIMEOUT = 0.5


@pytest.fixture
def own_redis():
    """A Redis server of the test's own, paused and resumed on demand."""
    server = RedisServer().start()
    caches = {
        "default": {
            "BACKEND": "caching.backends.GuardedRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": SOCKET_TIMEOUT,
            },
        }
    }
    with override_settings(CACHES=caches, PAGE_CACHE_ENABLED=True, DATA_CACHE_ENABLED=True):
        guard.reset()
        cache.clear()
        try:
            yield server
        finally:
            server.stop()
    guard.reset()


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_reader_pages_stay_up_and_fast_while_redis_stalls(client, make_article, own_redis):
    article = make_article(title="Still here")
    paths = [article.url, "/", "/news/", "/news/tag/politics/", "/feeds/rss/"]
    for path in paths:
        client.get(path)
        assert client.get(path)["X-Cache"] == "HIT", path

    own_redis.stall()
    durations = []
    for _ in range(4):
        for path in paths:
            response, seconds = timed_get(client, path)
            assert response.status_code == 200, path
            durations.append(seconds)
    assert "Still here" in client.get(article.url).content.decode()
    # One call waited for the socket timeout and opened the breaker; nothing else waited.
    slow = [seconds for seconds in durations if seconds >= SOCKET_TIMEOUT]
    assert len(slow) <= 1, durations
    assert max(durations) < 1.5, durations


def test_healthz_names_the_stalled_cache(client, db, own_redis):
    own_redis.stall()
    response = client.get("/healthz/")
    assert response.status_code == 503
    checks = json.loads(response.content)["checks"]
    assert checks["cache"] == "unavailable"
    assert checks["database"] == "ok"


def test_subscriptions_are_still_accepted_while_redis_stalls(client, site_tree, own_redis):
    own_redis.stall()
    response = client.post("/newsletter/", {"email": "reader@example.org", "source": "test"})
    assert response.status_code == 303
    assert response["Location"] == "/newsletter/check-your-inbox/"
    assert Subscriber.objects.filter(email="reader@example.org").exists()


def test_the_site_uses_redis_again_once_it_answers(client, make_article, own_redis, settings):
    settings.CACHE_RETRY_AFTER_SECONDS = 1
    article = make_article(title="Back again")
    own_redis.stall()
    assert client.get(article.url).status_code == 200
    assert guard.state() == guard.OPEN
    own_redis.resume()
    time.sleep(1.1)
    client.get(article.url)  # the probe: Redis answers, the breaker closes, the page is stored
    assert guard.state() == guard.CLOSED
    assert client.get(article.url)["X-Cache"] == "HIT"
