"""Every reader page runs a fixed number of queries, whether there are 5 articles or 50."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from caching import datacache
from demo.build import demo_image, seed_fact_box, seed_pull_quote
from home.models import HomePage, HomeTagSection

# The most queries each page may run (measured on SQLite and PostgreSQL), with the data cache
# (caching.datacache) filled: what nearly every request costs. COLD_BUDGETS: the first request after
# a change (a publication, a new rendition, ...) empties it.
BUDGETS = {
    "home": 0,
    "index": 0,  # the cards are a cached fragment (before: articles, bylines, renditions)
    "index page 2": 0,
    "tag": 0,  # the tag is kept (NewsIndexPage.find_tag)
    "author": 0,
    "article": 0,
    "rss": 0,  # the entries are kept (ArticleFeed.entries)
    "atom": 0,
    "tag rss": 0,
    "author atom": 0,
    "sitemap": 0,  # the index: each section's count and latest change are cached
    "sitemap articles": 0,  # one file of article URLs (any archive size), written once
    "sitemap pages": 7,
    "news sitemap": 1,
}
COLD_BUDGETS = {
    "home": 21,  # with two tag sections: 3 queries per section; Most read: 1; live pages: 1
    "index": 13,  # the open live pages ("Live" link): 1
    "index page 2": 13,
    "tag": 13,
    "author": 13,
    "article": 21,  # Wagtail routes it: a query for each level and its specific row; Most read
    "rss": 11,
    "atom": 11,
    "tag rss": 12,
    "author atom": 12,
    "sitemap": 11,
    "sitemap articles": 6,
    "sitemap pages": 11,
    "news sitemap": 6,
}
# With several languages a first view asks for the active locale (Wagtail's routing, from the
# data cache afterwards) and for the page's translations (the switcher and hreflang links).
if settings.WAGTAIL_I18N_ENABLED:
    for _name in ("home", "index", "index page 2", "tag", "author", "article"):
        COLD_BUDGETS[_name] += 2
    # Every language's articles with their hreflang alternates: the file's translations (one
    # query, in the budget's two), and the site root in each language (memoised).
    COLD_BUDGETS["sitemap articles"] += 2
# With 5 articles the lead story and "Latest" show them all, so the home page's tag sections
# are empty and skip their queries; from 9 articles on, the count is fixed.
GROWS_UNTIL_FULL = {"home"}


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
        assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.fixture
def add_articles(make_article, authors):
    images = [demo_image(f"Budget image {n}", n) for n in range(3)]

    def _add(count):
        for n in range(count):
            make_article(
                tags=["Energy", "Politics", f"Topic {n % 7}"],
                authors=[authors["arta-berisha"], authors["nikola-jovanovic"]],
                lead_image=images[n % len(images)],
                body=[
                    ("paragraph", "<p>First paragraph of a long story.</p>"),
                    ("pull_quote", seed_pull_quote()),
                    ("subheading", {"text": "What happens next", "level": "h2"}),
                    ("paragraph", "<p>Second paragraph.</p>"),
                    ("fact_box", seed_fact_box()),
                ],
            )

    return _add


def test_reader_pages_have_a_fixed_query_budget(add_articles, client):
    add_articles(5)
    home = HomePage.objects.get()
    for slug in ("energy", "politics"):
        home.tag_sections.add(HomeTagSection(tag=Tag.objects.get(slug=slug)))
    home.save_revision().publish()
    paths = {
        "home": "/",
        "index": "/news/",
        "index page 2": "/news/?page=2",
        "tag": "/news/tag/energy/",
        "author": "/news/author/arta-berisha/",
        "article": "/news/article-3/",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "tag rss": "/feeds/tag/energy/rss/",
        "author atom": "/feeds/author/arta-berisha/atom/",
        "sitemap": "/sitemap.xml",
        "sitemap articles": "/sitemap-articles.xml",
        "sitemap pages": "/sitemap-pages.xml",
        "news sitemap": "/news-sitemap.xml",
    }
    assert set(paths) == set(BUDGETS)

    def measure():
        warm, cold = {}, {}
        for name, path in paths.items():
            client.get(path)  # first view: renditions are generated once
            datacache.invalidate()
            cold[name] = count_queries(client, path)
            warm[name] = count_queries(client, path)
        return warm, cold

    with_5, cold_5 = measure()
    add_articles(45)
    with_50, cold_50 = measure()
    for budgets, small, large in ((BUDGETS, with_5, with_50), (COLD_BUDGETS, cold_5, cold_50)):
        counts = {k: (small[k], large[k]) for k in paths}
        for name in paths:
            assert small[name] <= budgets[name], f"{name}: {counts}"
            assert large[name] <= budgets[name], f"{name}: {counts}"
            if name not in GROWS_UNTIL_FULL:
                assert large[name] == small[name], f"{name}: {counts}"
