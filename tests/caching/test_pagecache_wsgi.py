"""The page cache's WSGI layer (``config.wsgi``): hits answered before Django, exactly as Django
would have answered them; everything it is unsure of goes to Django."""

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from caching import guard as guarded
from caching.pagecache import PageCacheApplication
from tests.support.wsgi import call

VARIABLE = {"date", "server", "content-length"}


pytestmark = pytest.mark.usefixtures("page_cache_on")


class CountingDjango:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def app():
    return PageCacheApplication(CountingDjango())


def test_a_hit_is_answered_without_django_and_without_queries(
    app, make_article, django_assert_num_queries
):
    article = make_article(title="Served before Django")
    status, headers, first = call(app, article.url)
    assert (status, headers["x-cache"]) == (200, "MISS")
    assert app.application.calls == 1
    with django_assert_num_queries(0):
        status, headers, second = call(app, article.url)
    assert (status, headers["x-cache"]) == (200, "HIT")
    assert app.application.calls == 1  # Django never saw the second request
    assert second == first
    assert b"Served before Django" in second
    assert headers["content-length"] == str(len(second))


def test_a_hit_carries_the_same_headers_as_a_hit_served_by_django(app, make_article):
    article = make_article()
    call(app, article.url)
    _, from_wsgi, body = call(app, article.url)
    assert from_wsgi["x-cache"] == "HIT"
    assert app.application.calls == 1

    cache.clear()
    django_only = WSGIHandler()
    call(django_only, article.url)
    _, from_django, django_body = call(django_only, article.url)
    assert from_django["x-cache"] == "HIT"
    assert len(body) == len(django_body)  # (each render has its own random element ids)
    for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert from_wsgi[name] == from_django[name], name
    assert {k: v for k, v in from_wsgi.items() if k not in VARIABLE} == {
        k: v for k, v in from_django.items() if k not in VARIABLE
    }
    assert "set-cookie" not in from_wsgi
    assert "public" in from_wsgi["cache-control"]


def test_head_gets_the_headers_and_no_body(app, make_article):
    article = make_article()
    _, _, body = call(app, article.url)
    status, headers, head_body = call(app, article.url, method="HEAD")
    assert (status, headers["x-cache"], head_body) == (200, "HIT", b"")
    assert headers["content-length"] == str(len(body))


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
    ],
    ids=["session", "flash-message", "authorization"],
)
def test_readers_with_a_session_or_credentials_go_to_django(app, make_article, extra):
    article = make_article()
    call(app, article.url)
    call(app, article.url)
    calls = app.application.calls
    status, headers, _ = call(app, article.url, **extra)
    assert status == 200
    assert app.application.calls == calls + 1
    assert headers.get("x-cache") != "HIT"


def test_posts_and_uncacheable_query_strings_go_to_django(app, make_article):
    make_article()
    call(app, "/news/")
    assert call(app, "/news/")[1]["x-cache"] == "HIT"
    calls = app.application.calls
    assert call(app, "/news/?utm_source=mail")[1]["x-cache"] == "HIT"  # same page
    assert app.application.calls == calls
    call(app, "/news/?nocache=1")
    call(app, "/news/", method="POST")
    assert app.application.calls == calls + 2


def test_a_host_django_would_refuse_gets_django_s_400(app, make_article, settings):
    article = make_article()
    call(app, article.url)
    settings.ALLOWED_HOSTS = ["testserver"]
    assert call(app, article.url)[1]["x-cache"] == "HIT"
    status, _, _ = call(app, article.url, HTTP_HOST="evil.example")
    assert status == 400


def test_https_redirect_and_scheme_are_respected(app, make_article, settings):
    article = make_article()
    call(app, article.url)  # stored from a plain-HTTP request
    assert call(app, article.url)[1]["x-cache"] == "HIT"
    calls = app.application.calls
    # Over HTTPS the security headers differ (HSTS): Django answers and stores them.
    secure = {"wsgi.url_scheme": "https"}
    _, headers, _ = call(app, article.url, **secure)
    assert app.application.calls == calls + 1
    assert headers["x-cache"] == "MISS"
    _, headers, _ = call(app, article.url, **secure)
    assert headers["x-cache"] == "HIT"
    settings.SECURE_SSL_REDIRECT = True
    app = PageCacheApplication(CountingDjango())  # middleware reads the setting at start-up
    status, headers, _ = call(app, article.url)
    assert app.application.calls == 1
    assert status == 301
    assert headers["location"].startswith("https://")


def test_a_publish_purges_what_the_wsgi_layer_serves(app, make_article):
    article = make_article(title="Before the edit")
    call(app, article.url)
    assert b"Before the edit" in call(app, article.url)[2]
    article.title = "After the edit"
    article.save_revision().publish()
    _, headers, body = call(app, article.url)
    assert headers["x-cache"] == "MISS"
    assert b"After the edit" in body
    assert b"After the edit" in call(app, article.url)[2]


def test_with_the_cache_down_every_request_goes_to_django(app, make_article, monkeypatch):
    article = make_article()
    call(app, article.url)
    calls = app.application.calls

    def down(*args, **kwargs):
        raise ConnectionError("cache server is down")

    monkeypatch.setattr(guarded, "_cache", down)
    status, headers, body = call(app, article.url)
    assert status == 200
    assert b"<h1" in body
    assert app.application.calls == calls + 1


def test_turning_the_page_cache_off_turns_the_wsgi_layer_off(app, make_article, settings):
    article = make_article()
    call(app, article.url)
    settings.PAGE_CACHE_ENABLED = False
    _, headers, _ = call(app, article.url)
    assert "x-cache" not in headers
    assert app.application.calls == 2


def test_the_production_wsgi_entry_point_uses_the_layer():
    import config.wsgi

    assert isinstance(config.wsgi.application, PageCacheApplication)


def test_entries_in_an_older_shape_are_misses_not_errors(app, make_article):
    """After a deploy the cache may still hold entries stored by the previous release."""
    from caching import pagecache

    article = make_article(title="Survives the deploy")
    call(app, article.url)
    request = RequestFactory().get(article.url)
    key, versions, entry = pagecache._lookup(request, "")
    assert entry is not None
    guarded.set(key, (versions, entry[1], entry[2]), 600)  # the old three-part shape
    status, headers, body = call(app, article.url)
    assert (status, headers["x-cache"]) == (200, "MISS")
    assert b"Survives the deploy" in body
    assert call(app, article.url)[1]["x-cache"] == "HIT"
    guarded.set(key, (versions, entry[1], entry[2]), 600)
    status, headers, _ = call(WSGIHandler(), article.url)  # the middleware alone
    assert (status, headers["x-cache"]) == (200, "MISS")


def test_a_miss_reads_the_cache_once(app, make_article, monkeypatch):
    """The WSGI layer's lookup is handed to the middleware instead of being made again."""
    article = make_article()
    reads = []
    original = guarded.get_many
    monkeypatch.setattr(guarded, "get_many", lambda keys: reads.append(keys) or original(keys))
    assert call(app, article.url)[1]["x-cache"] == "MISS"
    assert len([keys for keys in reads if any(":e:" in key for key in keys)]) == 1
    assert call(app, article.url)[1]["x-cache"] == "HIT"
