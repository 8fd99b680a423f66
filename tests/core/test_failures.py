"""Failure handling: dead database, dead cache, overdue schedules, the health check."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from caching import guard as guarded
from tests.support.helpers import soup

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/7",  # nothing listens on port 1
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}
LIVE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/7",
        "KEY_PREFIX": "issue7-tests",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
    }
}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    guarded.reset()
    yield
    guarded.reset()


def assert_branded_503(response):
    assert response.status_code == 503
    assert 0 < int(response["Retry-After"]) <= 120
    page = soup(response)
    assert "The Balkan Report" in page.get_text()
    assert "Traceback" not in response.content.decode()
    assert "OperationalError" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_database_error_in_a_view_gives_the_branded_503(client, make_article, monkeypatch):
    article = make_article()

    def dead(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("news.models.ArticlePage.get_context", dead)
    client.raise_request_exception = False
    assert_branded_503(client.get(article.url))


def test_database_error_in_middleware_gives_the_branded_503(client, site_tree, monkeypatch):
    def dead(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The redirects middleware queries the database for every 404.
    monkeypatch.setattr("wagtail.contrib.redirects.middleware.get_redirect", dead)
    client.raise_request_exception = False
    assert_branded_503(client.get("/no-such-page/"))


def test_other_errors_still_give_the_500_page(client, make_article, monkeypatch):
    article = make_article()

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("news.models.ArticlePage.get_context", broken)
    client.raise_request_exception = False
    response = client.get(article.url)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    # Styled by the site's stylesheet: an inline <style> would be blocked by the reader CSP.
    assert "<style" not in html
    assert 'rel="stylesheet" href="/static/css/site' in html


def test_cached_pages_survive_a_database_outage(client, make_article, monkeypatch):
    article = make_article(title="Still readable")
    client.get(article.url)

    def dead(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr("news.models.ArticlePage.get_context", dead)
    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.connect", dead)
    response = client.get(article.url)
    assert response.status_code == 200
    assert response["X-Cache"] == "HIT"
    assert "Still readable" in response.content.decode()


@override_settings(CACHES=DEAD_REDIS)
def test_dead_redis_pages_are_served_uncached(client, make_article):
    article = make_article(title="No cache today")
    for url in (article.url, "/", "/news/", "/search/?q=cache"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.get("X-Cache") != "HIT"
    assert "No cache today" in client.get(article.url).content.decode()


@override_settings(CACHES=DEAD_REDIS)
def test_dead_redis_admin_login_still_works(client, admin_user):
    response = client.post("/admin/login/", {"username": "admin", "password": "password"})
    assert response.status_code == 302


@override_settings(CACHES=DEAD_REDIS)
def test_healthz_reports_a_dead_cache(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["cache"] == "unavailable"
    assert body["checks"]["database"] == "ok"


@pytest.fixture
def live_redis():
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/7", socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(CACHES=LIVE_REDIS):
        cache.clear()
        yield
        cache.clear()


def test_pages_are_cached_and_purged_in_redis(client, make_article, live_redis):
    article = make_article(title="In Redis")
    assert client.get(article.url)["X-Cache"] == "MISS"
    assert client.get(article.url)["X-Cache"] == "HIT"
    article.title = "Changed in Redis"
    article.save_revision().publish()
    response = client.get(article.url)
    assert response["X-Cache"] == "MISS"
    assert "Changed in Redis" in response.content.decode()


def test_healthz_ok(client, site_tree):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = json.loads(response.content)
    media = body["checks"].pop("media")
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "scheduled_publishing": "ok"},
    }
    assert "ephemeral disk" in media  # the test settings leave MEDIA_ROOT unset: said, not failed
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_overdue_scheduled_pages(client, make_article):
    article = make_article()
    article.title = "Embargoed update"
    article.save_revision(approved_go_live_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/healthz/").status_code == 200  # scheduled in the future: fine

    article.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["scheduled_publishing"] == "1 overdue"


def test_healthz_reports_overdue_expiry(client, make_article):
    article = make_article()
    type(article).objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=2)
    )
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["scheduled_publishing"] == "1 overdue"


def test_healthz_reports_a_dead_database(client, db, monkeypatch):
    def dead(*args, **kwargs):
        raise OperationalError("Connection refused")

    with monkeypatch.context() as patched:
        patched.setattr("django.db.backends.utils.CursorWrapper.execute", dead)
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"] == "unavailable"
