"""The data cache (caching.datacache) never shows readers anything stale, private or unpublished.

The full-page cache is off here (test settings), so every response below is rendered by the
views from whatever the data cache holds.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from caching import datacache
from caching import guard as guarded
from caching.middleware import DataCacheMiddleware
from home.models import HomePage, SiteSettings
from tests.support.helpers import soup, text_of

READER_PATHS = [
    "/",
    "/news/",
    "/news/?page=2",
    "/news/tag/politics/",
    "/news/author/arta-berisha/",
    "/news/article-3/",
    "/news/article-13/",
]


@pytest.fixture
def articles(make_article):
    return [make_article(tags=["Politics", f"Topic {n % 3}"]) for n in range(14)]


def same_page(html: bytes) -> bytes:
    """The page without the per-render random ids of the subscribe form's fields."""
    return re.sub(rb"(subscribe-[a-z]+-)[0-9a-f]{8}", rb"\1x", html)


def listing_titles(client, path):
    return [text_of(h) for h in soup(client.get(path)).select("article h2, article h3")]


def test_pages_are_the_same_with_and_without_the_data_cache(articles, client, settings):
    settings.DATA_CACHE_ENABLED = False
    uncached = {path: same_page(client.get(path).content) for path in READER_PATHS}
    settings.DATA_CACHE_ENABLED = True
    for _ in range(2):  # the first request fills the cache, the second reads it
        for path in READER_PATHS:
            response = client.get(path)
            assert response.status_code == 200, path
            assert same_page(response.content) == uncached[path], path


def test_a_published_article_appears_at_once(articles, make_article, client):
    client.get("/")
    client.get("/news/")
    client.get("/news/tag/politics/")
    make_article(title="Breaking: a brand new story", tags=["Politics"], published=None)
    for path in ("/", "/news/", "/news/tag/politics/"):
        assert "Breaking: a brand new story" in listing_titles(client, path), path
    # The newest article is also the older neighbour's "next" link.
    assert "Breaking: a brand new story" in client.get("/news/article-1/").content.decode()


def test_an_edited_article_shows_its_new_text_and_drafts_stay_hidden(articles, client):
    article = articles[2]
    assert client.get(article.url).status_code == 200
    article.title = "A corrected headline"
    article.save_revision().publish()
    page = soup(client.get(article.url))
    assert text_of(page.h1) == "A corrected headline"
    assert "A corrected headline" in listing_titles(client, "/news/")

    draft = type(article).objects.get(pk=article.pk)
    draft.title = "An unpublished draft headline"
    draft.save_revision()
    assert "An unpublished draft headline" not in client.get(article.url).content.decode()
    assert "An unpublished draft headline" not in client.get("/news/").content.decode()


def test_an_unpublished_article_disappears(articles, client):
    article = articles[2]
    assert client.get(article.url).status_code == 200
    assert article.title in listing_titles(client, "/news/")
    article.unpublish()
    assert client.get(article.url).status_code == 404
    assert article.title not in listing_titles(client, "/news/")
    assert article.title not in listing_titles(client, "/")


def test_a_private_article_is_neither_shown_nor_listed(articles, client):
    article = articles[2]
    assert client.get(article.url).status_code == 200
    client.get("/news/")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.get(article.url)
    assert article.standfirst not in response.content.decode()
    assert soup(response).find("input", {"name": "password"}) is not None
    assert article.title not in listing_titles(client, "/news/")


def test_site_settings_changes_show_at_once(articles, client):
    client.get("/news/article-3/")
    site_settings = SiteSettings.objects.get()
    site_settings.publication_name = "The Renamed Report"
    site_settings.default_sign_off = "/The Renamed Report/"
    site_settings.save()
    body = client.get("/news/article-3/").content.decode()
    assert "The Renamed Report" in body
    assert "/The Renamed Report/" in body


def test_a_preview_is_never_served_from_or_stored_in_the_cache(articles, client):
    client.get("/")  # fills the cache with the live front page
    home = HomePage.objects.get()
    draft = HomePage.objects.get(pk=home.pk)
    draft.lead_story = articles[-1]  # the oldest article, not the live lead
    request = RequestFactory().get("/")
    request.is_preview = True
    request.user = AnonymousUser()
    preview = draft.serve_preview(request, draft.default_preview_mode)
    preview_lead = soup(preview.render()).select_one("article h2, article h3")
    assert text_of(preview_lead) == articles[-1].title
    # Readers still get the live front page, whose lead is the newest article.
    lead = soup(client.get("/")).select_one("article h2, article h3")
    assert text_of(lead) == articles[0].title


def test_pages_work_when_the_cache_is_down(articles, client, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache server gone")

    monkeypatch.setattr(guarded, "_cache", down)
    try:
        for path in READER_PATHS:
            assert client.get(path).status_code == 200, path
    finally:
        guarded.reset()


def test_every_change_replaces_the_generation(articles):
    before = datacache.generation()
    article = articles[0]
    article.save_revision().publish()
    after_publish = datacache.generation()
    assert after_publish != before
    article.unpublish()
    assert datacache.generation() != after_publish


def test_an_article_preview_shows_the_draft_not_the_cached_article(articles, client):
    article = articles[2]
    client.get(article.url)  # the live article's content is now a cached fragment
    draft = type(article).objects.get(pk=article.pk)
    draft.standfirst = "A draft standfirst only editors see"
    draft.save_revision()
    response = draft.make_preview_request()
    if hasattr(response, "render"):
        response.render()
    assert "A draft standfirst only editors see" in response.content.decode()
    # ... and the preview did not replace what readers get.
    assert "A draft standfirst only editors see" not in client.get(article.url).content.decode()
    assert article.standfirst in client.get(article.url).content.decode()


def test_a_request_reads_the_generation_once(articles, client, monkeypatch):
    client.get("/news/article-3/")
    reads = []
    original = guarded.get

    def counting_get(key, *args, **kwargs):
        if key == datacache.GENERATION_KEY:
            reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(guarded, "get", counting_get)
    assert client.get("/news/article-3/").status_code == 200
    assert len(reads) == 1


@pytest.mark.django_db
def test_a_change_inside_a_request_is_seen_by_the_rest_of_it():
    seen = []

    def view(request):
        seen.append(datacache.generation())
        datacache.invalidate()
        seen.append(datacache.generation())
        return HttpResponse("ok")

    DataCacheMiddleware(view)(RequestFactory().get("/healthz/"))
    assert seen[0] and seen[1] and seen[0] != seen[1]
