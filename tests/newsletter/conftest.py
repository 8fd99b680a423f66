"""Newsletter tests start with empty rate limits and can publish a new article."""

import pytest
from django.core.cache import cache

from news.models import ArticleAuthor, ArticlePage


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish_new(news_index, authors):
    """Create a draft article and publish it for the first time, as an editor would."""
    counter = {"n": 0}

    def _publish(**fields):
        counter["n"] += 1
        n = counter["n"]
        defaults = {
            "title": f"New article {n}",
            "slug": f"new-article-{n}",
            "standfirst": f"What happened in story {n}.",
            "body": [("paragraph", f"<p>Body {n}.</p>")],
            "live": False,
        }
        tags = fields.pop("tags", [])
        defaults.update(fields)
        page = ArticlePage(**defaults)
        page.tags.add(*tags)
        page.article_authors.add(ArticleAuthor(author=authors["arta-berisha"], sort_order=0))
        news_index.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return _publish
