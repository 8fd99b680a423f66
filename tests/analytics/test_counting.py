"""Counting in the page cache's WSGI layer: who is counted, from where, and what is stored."""

import pytest

from analytics.buffer import buffer
from analytics.flush import flush
from analytics.models import DailyReaders, DailyViews, HourlyViews
from tests.support.wsgi import call

from .conftest import BROWSER


def view(app, path, agent=BROWSER, **extra):
    status, headers, _body = call(app, path, HTTP_USER_AGENT=agent, **extra)
    return status, headers


def stored(page=None, **filters):
    rows = DailyViews.objects.filter(**filters)
    if page is not None:
        rows = rows.filter(page=page)
    return sum(row.views for row in rows)


def flushed():
    buffer.push()
    flush()


def test_a_readers_view_is_stored_per_page_hour_and_day(app, store, make_article):
    article = make_article(title="Counted")
    assert view(app, article.url)[0] == 200
    assert view(app, article.url)[0] == 200
    flushed()
    daily = DailyViews.objects.get()
    assert (daily.page_id, daily.path, daily.source, daily.views) == (
        article.pk,
        article.url,
        "direct",
        2,
    )
    assert HourlyViews.objects.get().views == 2
    # The same browser twice is one reader, of the page and of the site.
    assert DailyReaders.objects.get(path=article.url).readers == 1
    assert DailyReaders.objects.get(path="*").readers == 1


def test_page_cache_hits_are_counted(app, store, make_article, page_cache_on):
    article = make_article()
    assert view(app, article.url)[1]["x-cache"] == "MISS"
    assert view(app, article.url)[1]["x-cache"] == "HIT"
    assert view(app, article.url)[1]["x-cache"] == "HIT"
    flushed()
    assert stored(article) == 3


def test_listings_home_and_search_are_counted(app, store, make_article, news_index):
    make_article(tags=["Energy"])
    for path in ("/", news_index.url, f"{news_index.url}tag/energy/", "/search/?q=energy"):
        assert view(app, path)[0] == 200, path
    flushed()
    paths = dict(DailyViews.objects.values_list("path", "page"))
    assert paths["/"] == news_index.get_parent().pk
    assert paths[news_index.url] == news_index.pk
    assert paths[f"{news_index.url}tag/energy/"] == news_index.pk  # a tag page is its index's
    assert paths["/search/"] is None


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0.0.0",
        "",
    ],
)
def test_bots_are_not_counted(app, store, make_article, agent):
    article = make_article()
    assert view(app, article.url, agent=agent)[0] == 200
    flushed()
    assert stored() == 0


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_COOKIE": "sessionid=editor-session"},
    ],
    ids=["sec-purpose", "prerender", "purpose", "editor"],
)
def test_prefetches_and_editors_are_not_counted(app, store, make_article, extra):
    article = make_article()
    view(app, article.url, **extra)
    flushed()
    assert stored() == 0


def test_previews_errors_heads_and_the_admin_are_not_counted(app, store, make_article):
    article = make_article()
    assert view(app, "/no-such-page/")[0] == 404
    call(app, article.url, method="HEAD", HTTP_USER_AGENT=BROWSER)
    view(app, "/admin/login/")
    view(app, "/feeds/rss/")
    flushed()
    assert stored() == 0


@pytest.mark.parametrize(
    ("query", "referer", "source", "domain"),
    [
        ("", "", "direct", ""),
        ("src=nl", "", "newsletter", ""),
        ("utm_source=newsletter&utm_medium=email", "", "newsletter", ""),
        ("utm_medium=rss", "", "feed", ""),
        ("", "https://www.google.com/", "search", "google.com"),
        ("", "https://mail.google.com/mail/u/0/", "newsletter", "mail.google.com"),
        ("", "https://duckduckgo.com/", "search", "duckduckgo.com"),
        ("", "https://t.co/abc", "social", "t.co"),
        ("", "https://www.facebook.com/", "social", "facebook.com"),
        ("", "https://feedly.com/i/latest", "feed", "feedly.com"),
        ("", "https://example.org/a/story", "referral", "example.org"),
        ("", "http://testserver/news/", "internal", ""),
    ],
)
def test_the_source_of_each_view(app, store, make_article, query, referer, source, domain):
    article = make_article()
    extra = {"HTTP_REFERER": referer} if referer else {}
    assert view(app, f"{article.url}?{query}" if query else article.url, **extra)[0] == 200
    flushed()
    row = DailyViews.objects.get()
    assert (row.source, row.referrer, row.views) == (source, domain, 1)


def test_do_not_track_counts_the_view_but_not_the_reader(app, store, make_article):
    article = make_article()
    view(app, article.url, HTTP_DNT="1")
    view(app, article.url, HTTP_SEC_GPC="1")
    flushed()
    assert stored(article) == 2
    assert not DailyReaders.objects.filter(readers__gt=0).exists()


def test_different_readers_are_counted_apart(app, store, make_article):
    article = make_article()
    for n in range(5):
        view(app, article.url, REMOTE_ADDR=f"192.0.2.{n}")
    view(app, article.url, REMOTE_ADDR="192.0.2.1")
    flushed()
    assert stored(article) == 6
    assert DailyReaders.objects.get(path=article.url).readers == 5


def test_off_counts_nothing(app, store, make_article, settings):
    settings.ANALYTICS_MODE = "off"
    article = make_article()
    view(app, article.url)
    flushed()
    assert stored() == 0


def test_a_newsletter_click_is_a_page_cache_hit_and_counted_as_such(
    app, store, make_article, page_cache_on
):
    article = make_article()
    assert view(app, article.url)[1]["x-cache"] == "MISS"
    assert view(app, f"{article.url}?src=nl")[1]["x-cache"] == "HIT"
    flushed()
    assert dict(DailyViews.objects.values_list("source", "views")) == {"direct": 1, "newsletter": 1}


def test_a_long_referrer_and_query_get_the_same_source(app, store, make_article):
    """Short query strings and referrers are classified once and remembered; long ones afresh."""
    article = make_article()
    long_query = "src=nl&" + "x=" + "y" * 400
    long_referer = "https://www.google.com/search?q=" + "z" * 400
    view(app, f"{article.url}?src=nl")
    view(app, f"{article.url}?{long_query}")
    view(app, article.url, HTTP_REFERER="https://www.google.com/")
    view(app, article.url, HTTP_REFERER=long_referer)
    view(app, f"{article.url}?%73rc=nl")  # an escaped parameter name is still ?src=nl
    flushed()
    rows = {(r.source, r.referrer): r.views for r in DailyViews.objects.all()}
    assert rows == {("newsletter", ""): 3, ("search", "google.com"): 2}


def test_a_changed_setting_is_seen_by_the_next_view(app, store, make_article, settings):
    article = make_article()
    view(app, article.url, HTTP_DNT="1")
    settings.ANALYTICS_COUNT_DNT = False
    view(app, article.url, HTTP_DNT="1")
    settings.ANALYTICS_MODE = "off"
    view(app, article.url)
    settings.ANALYTICS_MODE = "server"
    view(app, article.url)
    flushed()
    assert stored(article) == 2
