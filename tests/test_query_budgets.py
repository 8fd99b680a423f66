"""Every reader page runs a fixed number of queries, whether there are 5 articles or 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from home.models import HomePage, HomeTagSection
from news.demo.build import demo_image, seed_fact_box, seed_pull_quote

# The most queries each page may run (measured on SQLite and PostgreSQL). Wagtail's own page
# routing, site and privacy checks account for about ten of them.
BUDGETS = {
    "home": 29,  # with two tag sections: 4 queries per section
    "index": 16,
    "tag": 19,
    "author": 19,
    "article": 25,
    "rss": 12,
    "atom": 12,
    "tag rss": 13,
    "author atom": 13,
    "sitemap": 10,
    "news sitemap": 4,
}
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
        "tag": "/news/tag/energy/",
        "author": "/news/author/arta-berisha/",
        "article": "/news/article-3/",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "tag rss": "/feeds/tag/energy/rss/",
        "author atom": "/feeds/author/arta-berisha/atom/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
    }
    assert set(paths) == set(BUDGETS)

    def measure():
        counts = {}
        for name, path in paths.items():
            client.get(path)  # first view: renditions are generated once
            counts[name] = count_queries(client, path)
        return counts

    with_5 = measure()
    add_articles(45)
    with_50 = measure()
    counts = {k: (with_5[k], with_50[k]) for k in paths}
    for name in paths:
        assert with_5[name] <= BUDGETS[name], f"{name}: {counts}"
        assert with_50[name] <= BUDGETS[name], f"{name}: {counts}"
        if name not in GROWS_UNTIL_FULL:
            assert with_50[name] == with_5[name], f"{name}: {counts}"
