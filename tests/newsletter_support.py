"""Fixtures and helpers shared by the newsletter tests."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from news.models import ArticleAuthor, ArticlePage
from newsletter.models import Subscriber

# Fixtures, pulled into each test module with `from .newsletter_support import *`.
__all__ = ["fresh_rate_limits", "publish_new"]


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
        defaults.update(fields)
        page = ArticlePage(**defaults)
        page.article_authors.add(ArticleAuthor(author=authors["arta-berisha"], sort_order=0))
        news_index.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return _publish


def make_subscribers(n, status=Subscriber.Status.CONFIRMED, prefix="reader"):
    confirmed_at = timezone.now() - datetime.timedelta(days=1)
    return Subscriber.objects.bulk_create(
        Subscriber(
            email=f"{prefix}{i}@example.org",
            status=status,
            confirmed_at=confirmed_at if status == Subscriber.Status.CONFIRMED else None,
        )
        for i in range(n)
    )


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def confirm_link(message) -> str:
    return next(link for link in links_in(message.body) if "/newsletter/confirm/" in link)


def unsubscribe_link(message) -> str:
    return next(link for link in links_in(message.body) if "/newsletter/unsubscribe/" in link)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
