"""Fixtures for the caching tests."""

import pytest


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
