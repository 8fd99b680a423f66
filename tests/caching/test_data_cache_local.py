"""Each worker's own copy of the data cache (caching.datacache.LocalLayer) and the cached fragments
of the page around an article (head, header, footer).

The shared cache here is Django's local-memory cache (test settings); in production it is Redis,
which every worker process reads. The local layer sits in front of it.
"""

import datetime
import os
from xml.etree import ElementTree

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.template import defaulttags
from django.utils import timezone

from caching import datacache
from caching import guard as guarded
from caching.release import release
from news.models import ArticlePage
from tests.support.helpers import soup, text_of

CONTENT = "http://purl.org/rss/1.0/modules/content/"


@pytest.fixture
def articles(make_article):
    return [make_article(tags=["Politics", f"Topic {n % 2}"]) for n in range(4)]


@pytest.fixture
def cache_reads(monkeypatch):
    """Every key read from the shared cache (get and get_many), in order."""
    reads = []
    get, get_many = LocMemCache.get, LocMemCache.get_many

    def counting_get(self, key, *args, **kwargs):
        reads.append(key)
        return get(self, key, *args, **kwargs)

    def counting_get_many(self, keys, *args, **kwargs):
        reads.extend(keys)
        return get_many(self, keys, *args, **kwargs)

    monkeypatch.setattr(LocMemCache, "get", counting_get)
    monkeypatch.setattr(LocMemCache, "get_many", counting_get_many)
    return reads


def another_worker_changed_something():
    """What ``datacache.invalidate()`` in another process leaves behind: a new generation."""
    guarded.set(datacache.GENERATION_KEY, f"other-{os.urandom(4).hex()}", None)


def test_a_warm_article_reads_only_the_generation_from_the_shared_cache(
    articles, client, cache_reads
):
    article = articles[1]
    first = client.get(article.url)
    assert first.status_code == 200
    cache_reads.clear()
    again = client.get(article.url)
    assert again.status_code == 200
    assert text_of(soup(again).h1) == article.title
    assert cache_reads == [datacache.GENERATION_KEY]


def test_without_the_local_layer_every_value_comes_from_the_shared_cache(
    articles, client, cache_reads, settings
):
    settings.DATA_CACHE_LOCAL_SECONDS = 0
    article = articles[1]
    client.get(article.url)
    cache_reads.clear()
    assert client.get(article.url).status_code == 200
    assert len(cache_reads) > 5  # the site, the article, its fragments, settings, ...


def test_a_change_made_by_another_worker_shows_at_once(articles, client):
    article = articles[1]
    assert text_of(soup(client.get(article.url)).h1) == article.title
    # A write that no signal of this process hears (another worker, a shell, raw SQL)...
    ArticlePage.objects.filter(pk=article.pk).update(title="Changed in another process")
    assert text_of(soup(client.get(article.url)).h1) == article.title  # cached, as designed
    # ... is shown as soon as that process replaces the shared generation.
    another_worker_changed_something()
    assert text_of(soup(client.get(article.url)).h1) == "Changed in another process"


def test_a_publish_in_this_worker_shows_at_once(articles, client):
    article = articles[1]
    client.get(article.url)
    client.get("/news/")
    article.title = "A corrected headline"
    article.save_revision().publish()
    assert text_of(soup(client.get(article.url)).h1) == "A corrected headline"
    titles = [text_of(h) for h in soup(client.get("/news/")).select("article h2, article h3")]
    assert "A corrected headline" in titles


@pytest.mark.django_db
def test_a_local_copy_lives_no_longer_than_its_local_lifetime(settings, monkeypatch):
    settings.DATA_CACHE_LOCAL_SECONDS = 60
    now = [1000.0]
    monkeypatch.setattr(datacache.time, "monotonic", lambda: now[0])
    assert datacache.get_or_set("answer", lambda: "first") == "first"
    token = datacache.generation()
    guarded._cache().clear()  # the shared entry expired (DATA_CACHE_SECONDS) ...
    guarded.set(datacache.GENERATION_KEY, token, None)
    # ... the worker's copy still answers for a while,
    assert datacache.get_or_set("answer", lambda: "second") == "first"
    now[0] += 61
    # ... and not after its own lifetime.
    assert datacache.get_or_set("answer", lambda: "second") == "second"


@pytest.mark.django_db
def test_each_reader_gets_its_own_copy_of_a_cached_value():
    value = datacache.get_or_set("shared-list", lambda: [{"title": "One"}])
    value[0]["title"] = "changed by one request"
    value.append("appended by one request")
    assert datacache.get_or_set("shared-list", lambda: []) == [{"title": "One"}]


@pytest.mark.django_db
def test_the_local_layer_keeps_to_its_size(settings):
    settings.DATA_CACHE_LOCAL_BYTES = 64 * 1024
    for n in range(40):
        datacache.get_or_set(f"big-{n}", lambda n=n: f"{n:04d}" + "x" * 4000)
    layer = datacache.local_layer
    assert 0 < len(layer) < 40
    assert layer._size <= 64 * 1024
    # The newest entries are the ones kept (named per release of the code).
    token = datacache.generation()
    assert layer.get(token, f"{release()}:big-39") is not datacache._MISSING
    assert layer.get(token, f"{release()}:big-0") is datacache._MISSING


def test_absolute_urls_in_cached_fragments_follow_the_host(articles, client, settings):
    settings.ALLOWED_HOSTS = ["news.example", "www.news.example"]
    article = articles[1]
    for host in ("news.example", "www.news.example", "news.example"):
        page = soup(client.get(article.url, HTTP_HOST=host))
        assert page.find("meta", property="og:url")["content"] == f"http://{host}{article.url}"
        share = page.select_one(".share-links a")["href"]
        assert f"{host}" in share and (host == "www.news.example") == ("www." in share)


def test_the_header_marks_home_only_on_the_home_page_and_keeps_a_search(articles, client):
    for _ in range(2):  # the second round is served from the cached fragments
        home = soup(client.get("/"))
        assert home.select_one(".brand-name")["aria-current"] == "page"
        for path in ("/news/", articles[0].url, "/news/tag/politics/"):
            assert not soup(client.get(path)).select_one(".brand-name").has_attr("aria-current")
        results = soup(client.get("/search/?q=Standfirst"))
        # The search page has one box, its own (the header leaves its box out there).
        assert results.select_one("#search-page-q")["value"] == "Standfirst"
        assert not results.select("#site-search")
        assert soup(client.get(articles[0].url)).select_one("#site-search")["value"] == ""


def test_the_footer_shows_the_current_year(articles, client, monkeypatch):
    article = articles[1]
    this_year = timezone.localtime().year
    assert f"© {this_year} " in text_of(soup(client.get(article.url)).select_one(".copyright"))
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=366)

    class NextYear(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return later.astimezone(tz)

    # {% now %} reads the clock with datetime.now(); the cached footer is keyed by the year.
    monkeypatch.setattr(defaulttags, "datetime", NextYear)
    assert f"© {later.year} " in text_of(soup(client.get(article.url)).select_one(".copyright"))


def test_the_footer_form_names_the_page_it_was_sent_from(articles, client):
    for article in (articles[1], articles[2], articles[1]):
        page = soup(client.get(article.url))
        sources = {i["value"] for i in page.select('input[name="source_page"]')}
        assert sources == {str(article.pk)}


def test_feed_full_text_is_cached_per_host_and_follows_edits(make_article, client, settings):
    settings.ALLOWED_HOSTS = ["news.example", "www.news.example"]
    article = make_article(body=[("paragraph", '<p>See <a href="/news/">the index</a>.</p>')])

    def full_text(host):
        feed = ElementTree.fromstring(client.get("/feeds/rss/", HTTP_HOST=host).content)  # noqa: S314
        return feed.find("channel/item").findtext(f"{{{CONTENT}}}encoded")

    for host in ("news.example", "www.news.example", "news.example"):
        assert f'<a href="http://{host}/news/">the index</a>' in full_text(host)
    article.body = [("paragraph", "<p>A new last paragraph for the feed.</p>")]
    article.save_revision().publish()
    assert "A new last paragraph for the feed." in full_text("news.example")
