"""What readers get: the privacy notice, no cookies, no other host, and the beacon."""

import re

import pytest
from django.conf import settings as django_settings

from analytics.buffer import buffer
from analytics.counting import PIXEL
from analytics.flush import flush
from analytics.models import DailyViews, FlushedBatch
from tests.support.helpers import soup, text_of
from tests.support.wsgi import call

from .conftest import BROWSER

ATTRIBUTES = ("src", "href", "srcset", "action", "content", "data")


def test_the_privacy_page_says_what_is_counted_and_kept(client, site_tree):
    response = client.get("/privacy/")
    assert response.status_code == 200
    text = text_of(soup(response).select_one("main"))
    for words in ("No cookies", "No address and no browser name are stored", "35 days", "?src=nl"):
        assert words in text
    assert soup(client.get("/")).select_one('footer a[href="/privacy/"]') is not None


@pytest.fixture
def reader_pages(make_article, news_index):
    article = make_article(tags=["Energy"])
    return [
        "/",
        news_index.url,
        f"{news_index.url}tag/energy/",
        f"{news_index.url}author/arta-berisha/",
        article.url,
        "/search/?q=body",
        "/privacy/",
    ]


@pytest.mark.parametrize("mode", ["server", "beacon"])
def test_no_reader_page_sets_a_cookie_or_names_another_host(
    app, store, reader_pages, settings, page_cache_on, mode
):
    settings.ANALYTICS_MODE = mode
    for path in reader_pages:
        for _ in range(2):  # rendered, then from the page cache
            status, headers, body = call(app, path, HTTP_USER_AGENT=BROWSER)
            assert status == 200, path
            assert "set-cookie" not in headers, path
        page = soup_of(body)
        for tag in page.find_all(True):
            for attribute in ATTRIBUTES:
                value = tag.get(attribute)
                if not value or tag.name == "meta" and not str(value).startswith("http"):
                    continue
                for url in re.findall(r"(?:https?:)?//[^\s,\"']+", str(value)):
                    host = re.sub(r"^(?:https?:)?//", "", url).split("/")[0]
                    allowed = host == "testserver" or tag.name == "a"
                    assert allowed, f"{path}: <{tag.name} {attribute}={value!r}>"


def soup_of(body):
    from bs4 import BeautifulSoup

    return BeautifulSoup(body.decode(), "html.parser")


@pytest.fixture
def beacon_mode(store, settings):
    settings.ANALYTICS_MODE = "beacon"
    return store


def test_beacon_mode_counts_the_pixel_not_the_page(app, beacon_mode, make_article, page_cache_on):
    article = make_article()
    status, _headers, body = call(app, f"{article.url}?src=nl", HTTP_USER_AGENT=BROWSER)
    pixel = soup_of(body).select_one(f'img[src="/a/v/{article.pk}.gif"]')
    assert pixel is not None and pixel["alt"] == ""
    status, headers, body = call(
        app,
        f"/a/v/{article.pk}.gif",
        HTTP_USER_AGENT=BROWSER,
        HTTP_REFERER=f"http://testserver{article.url}?src=nl",
    )
    assert (status, body, headers["content-type"]) == (200, PIXEL, "image/gif")
    assert "no-store" in headers["cache-control"] and "set-cookie" not in headers
    call(app, f"/a/v/{article.pk}.gif", HTTP_USER_AGENT=BROWSER)  # no Referer: direct
    buffer.push()
    flush()
    counts = dict(DailyViews.objects.filter(page=article).values_list("source", "views"))
    assert counts == {"newsletter": 1, "direct": 1}


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/a/v/abc.gif", "GET", 404),
        ("/a/v/0.gif", "GET", 404),
        ("/a/v/-1.gif", "GET", 404),
        ("/a/v/12.png", "GET", 404),
        ("/a/v/12345678901.gif", "GET", 404),
        ("/a/v/12.gif/../../admin/", "GET", 404),
        ("/a/", "GET", 404),
        ("/a/v/12.gif", "POST", 405),
        ("/a/v/12.gif", "DELETE", 405),
    ],
)
def test_bad_beacon_input_is_refused_and_nothing_is_stored(
    app, beacon_mode, make_article, path, method, status
):
    make_article()
    assert call(app, path, method=method, HTTP_USER_AGENT=BROWSER)[0] == status
    buffer.push()
    flush()
    assert not DailyViews.objects.exists()


def test_a_beacon_for_no_page_or_from_another_site_stores_nothing(app, beacon_mode, make_article):
    article = make_article()
    assert call(app, "/a/v/987654.gif", HTTP_USER_AGENT=BROWSER)[0] == 200
    elsewhere = {"HTTP_USER_AGENT": BROWSER, "HTTP_REFERER": "https://other.example/page/"}
    assert call(app, f"/a/v/{article.pk}.gif", **elsewhere)[0] == 200
    bot = {"HTTP_USER_AGENT": "Googlebot/2.1", "HTTP_REFERER": f"http://testserver{article.url}"}
    assert call(app, f"/a/v/{article.pk}.gif", **bot)[0] == 200
    buffer.push()
    flush()
    assert not DailyViews.objects.exists()
    assert FlushedBatch.objects.count() == 1  # the batch was read, and its unknown page dropped


def test_the_beacon_through_django_answers_the_same(client, beacon_mode, make_article):
    article = make_article()
    response = client.get(f"/a/v/{article.pk}.gif", HTTP_USER_AGENT=BROWSER)
    assert (response.status_code, response.content) == (200, PIXEL)
    assert client.get("/a/v/nope.gif").status_code == 404
    assert client.post(f"/a/v/{article.pk}.gif").status_code == 405


def test_auto_is_beacon_with_a_cdn_and_server_without(settings):
    from analytics import conf

    settings.ANALYTICS_MODE = "auto"
    settings.WAGTAILFRONTENDCACHE = {}
    assert conf.mode() == "server"
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": "x"}}
    assert conf.mode() == "beacon"
    assert django_settings.ANALYTICS_MODE == "auto"


def test_beacon_mode_counts_where_the_reader_came_from(app, beacon_mode, make_article):
    """beacon.js adds the host of the reader's referrer (r=): the source is known here too."""
    article = make_article()
    page = f"http://testserver{article.url}"
    for query, referer in [
        ("r=www.google.com", page),
        ("r=t.co", page),
        ("r=example.org", page),
        ("r=testserver", page),
        ("r=mail.google.com", page),
        ("r=feedly.com", page),
        ("", page),
        ("r=www.google.com", f"{page}?src=nl"),  # the newsletter's own tag wins
    ]:
        seen = {"HTTP_USER_AGENT": BROWSER, "HTTP_REFERER": referer}
        assert call(app, f"/a/v/{article.pk}.gif?{query}", **seen)[0] == 200
    buffer.push()
    flush()
    rows = {
        (source, domain): views
        for source, domain, views in DailyViews.objects.values_list("source", "referrer", "views")
    }
    assert rows == {
        ("search", "google.com"): 1,
        ("social", "t.co"): 1,
        ("referral", "example.org"): 1,
        ("internal", ""): 1,
        ("newsletter", "mail.google.com"): 1,
        ("feed", "feedly.com"): 1,
        ("direct", ""): 1,
        ("newsletter", ""): 1,
    }


def test_a_bad_referrer_parameter_is_refused_and_nothing_is_stored(app, beacon_mode, make_article):
    article = make_article()
    page = {"HTTP_USER_AGENT": BROWSER, "HTTP_REFERER": f"http://testserver{article.url}"}
    for query in ("r=<script>", "r=" + "a" * 300, "r=https://google.com/search?q=x"):
        assert call(app, f"/a/v/{article.pk}.gif?{query}", **page)[0] == 400
    buffer.push()
    flush()
    assert not DailyViews.objects.exists()


def test_beacon_mode_counts_search_and_the_privacy_page(app, beacon_mode, make_article):
    make_article(title="Energy prices")
    for path in ("/search/?q=energy", "/privacy/"):
        status, _headers, body = call(app, path, HTTP_USER_AGENT=BROWSER)
        assert status == 200
        script = soup_of(body).select_one("script[data-beacon]")
        assert script["data-beacon"] == "/a/p.gif", path
        assert soup_of(body).select_one('noscript img[src="/a/p.gif"]') is not None
    seen = {"HTTP_USER_AGENT": BROWSER}
    call(
        app, "/a/p.gif?r=duckduckgo.com", HTTP_REFERER="http://testserver/search/?q=energy", **seen
    )
    call(app, "/a/p.gif", HTTP_REFERER="http://testserver/privacy/", **seen)
    # Only those views: not a Wagtail page's path, an unknown one, another site, or no Referer.
    call(app, "/a/p.gif", HTTP_REFERER="http://testserver/news/", **seen)
    call(app, "/a/p.gif", HTTP_REFERER="http://testserver/no-such-thing/", **seen)
    call(app, "/a/p.gif", HTTP_REFERER="http://testserver/admin/", **seen)
    call(app, "/a/p.gif", HTTP_REFERER="https://other.example/search/", **seen)
    call(app, "/a/p.gif", **seen)
    buffer.push()
    flush()
    rows = set(DailyViews.objects.values_list("path", "page", "source", "referrer", "views"))
    assert rows == {
        ("/search/", None, "search", "duckduckgo.com", 1),
        ("/privacy/", None, "direct", "", 1),
    }


def test_an_article_in_beacon_mode_loads_the_beacon_script_and_no_other_page_does(
    app, beacon_mode, make_article, news_index
):
    article = make_article()
    body = call(app, article.url, HTTP_USER_AGENT=BROWSER)[2]
    assert (
        soup_of(body).select_one("script[data-beacon]")["data-beacon"] == f"/a/v/{article.pk}.gif"
    )
    status, _headers, missing = call(app, "/no-such-page/", HTTP_USER_AGENT=BROWSER)
    assert status == 404
    assert soup_of(missing).select_one("script[data-beacon]") is None


@pytest.mark.parametrize("prefix", ["/sq", "/sr", "/sr-latn"])
def test_beacon_mode_counts_search_in_every_language(app, beacon_mode, make_article, prefix):
    make_article(title="Energy prices")
    body = call(app, f"{prefix}/search/?q=energy", HTTP_USER_AGENT=BROWSER)[2]
    assert soup_of(body).select_one("script[data-beacon]")["data-beacon"] == "/a/p.gif"
    referer = f"http://testserver{prefix}/search/?q=energy"
    call(app, "/a/p.gif", HTTP_REFERER=referer, HTTP_USER_AGENT=BROWSER)
    buffer.push()
    flush()
    assert list(DailyViews.objects.values_list("path", "views")) == [(f"{prefix}/search/", 1)]
