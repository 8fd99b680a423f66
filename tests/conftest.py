import os
import shutil

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_data_cache():
    """The data cache (caching.datacache) outlives a test's database rollback: start each empty."""
    from caching import datacache
    from caching import guard as guarded

    guarded.reset()
    guarded.set(datacache.GENERATION_KEY, f"test-{os.urandom(4).hex()}", None)
    yield


@pytest.fixture
def site_tree(db):
    """The home page, its news index and the site settings, as a new site has them."""
    from demo.build import ensure_site

    home, index = ensure_site()
    return home, index


@pytest.fixture
def news_index(site_tree):
    return site_tree[1]


@pytest.fixture
def authors(db):
    from demo.build import ensure_authors

    return ensure_authors()


@pytest.fixture
def demo(db):
    """The full demo site (12 articles)."""
    from demo.build import load_demo

    load_demo()


@pytest.fixture
def make_article(news_index, authors):
    """Publish an article under the news index; returns the live page."""
    import datetime

    from django.utils import timezone

    from demo.build import publish_article

    counter = {"n": 0}

    def _make(**kwargs):
        counter["n"] += 1
        n = counter["n"]
        defaults = {
            "slug": f"article-{n}",
            "title": f"Article number {n}",
            "standfirst": f"Standfirst of article {n}.",
            "body": [("paragraph", f"<p>Body of article {n}.</p>")],
            "tags": ["Politics"],
            "authors": [authors["arta-berisha"]],
            "published": timezone.now() - datetime.timedelta(hours=n),
        }
        defaults.update(kwargs)
        page, _ = publish_article(news_index, **defaults)
        return page

    return _make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that flush the database (live server, transactional) after all the others.

    A flush also removes what migrations created (root page, default site, collections,
    newsroom groups), which the ordinary tests rely on.
    """
    flushing = {"live_server", "transactional_db", "live_site"}

    def flushes(item) -> bool:
        marker = item.get_closest_marker("django_db")
        if marker and (
            marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
        ):
            return True
        return bool(flushing & set(getattr(item, "fixturenames", ())))

    items[:] = [i for i in items if not flushes(i)] + [i for i in items if flushes(i)]


@pytest.fixture
def page_cache_on(settings):
    """The full-page cache turned on and empty (it outlives each test's database rollback)."""
    from django.core.cache import cache

    from caching import guard as guarded

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    guarded.reset()
    yield
    cache.clear()
    guarded.reset()
