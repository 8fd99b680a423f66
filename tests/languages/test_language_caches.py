"""Caches per language: queries per page in each language, and no language sees another's copy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caching import datacache
from tests.support.languages import translate

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/sq", "/sr", "/sr-latn"]
PAGE_VIEWS = {"home", "index", "tag", "author", "article"}
PAGES = {
    "home": "/",
    "index": "/news/",
    "tag": "/news/tag/politics/",
    "author": "/news/author/arta-berisha/",
    "article": "/news/story-1/",
    "rss": "/feeds/rss/",
    "news sitemap": "/news-sitemap.xml",
}


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
        assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.fixture
def three_languages(make_article, site_tree):
    home, _index = site_tree
    for code in ("sq", "sr"):
        translate(home, code)
    articles = [make_article(slug=f"story-{n}", title=f"Story {n}") for n in range(1, 6)]
    for article in articles:
        translate(article, "sq", title=f"Lajmi {article.slug}")
        translate(article, "sr", title=f"Вест {article.slug}")
    return articles


def measure(client):
    warm, cold = {}, {}
    for prefix in PREFIXES:
        for name, path in PAGES.items():
            url = prefix + path
            client.get(url)  # renditions made once
            datacache.invalidate()
            cold[prefix, name] = count_queries(client, url)
            warm[prefix, name] = count_queries(client, url)
    return warm, cold


def test_every_language_costs_what_english_does(client, three_languages):
    warm, cold = measure(client)
    for prefix in PREFIXES[1:]:
        for name in PAGES:
            assert warm[prefix, name] == warm["", name], (prefix, name, warm)
            # Pages: the same; feeds and sitemaps look the root's translation up (one query).
            extra = 0 if name in PAGE_VIEWS else 1
            assert cold[prefix, name] <= cold["", name] + extra, (prefix, name, cold)


def test_no_language_gets_anothers_cached_copy(client, three_languages, page_cache_on):
    from tests.support.helpers import soup, text_of

    expected = {
        "": ("/", "Story 1"),
        "/sq": ("/sq/", "Lajmi story-1"),
        "/sr": ("/sr/", "Вест story-1"),
        "/sr-latn": ("/sr-latn/", "Vest story-1"),
    }
    for _round in range(2):  # first filled, then from both caches
        for prefix, (home, title) in expected.items():
            page = soup(client.get(prefix + "/news/story-1/"))
            assert page.find("a", class_="brand-name")["href"] == home
            assert text_of(page.find("h1")) == title, prefix
            listing = soup(client.get(prefix + "/news/"))
            assert title in text_of(listing.find("main")), prefix
