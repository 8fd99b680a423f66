"""Every kind of change shows at once on every page and feed that displays it.

Both caches are on (page cache and data cache), and two web instances share the cache server:
each has its own per-worker copy of the data cache. The change is made through one instance's
process (where Wagtail's signals fire) and read through the other, after both have cached every
page involved. One test per kind of change (issue 16).
"""

import io
from contextlib import contextmanager
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from caching import datacache
from demo.build import _render_demo_image, demo_image
from home.models import SiteSettings
from news.models import ArticleCorrection, Author, NewsIndexPage
from tests.support.helpers import soup, text_of

pytestmark = pytest.mark.django_db


class Instance:
    """A web instance: its own client and its own per-worker copy of the data cache."""

    def __init__(self, name):
        self.name = name
        self.client = Client()
        self.local_layer = datacache.LocalLayer()

    @contextmanager
    def serving(self):
        shared = datacache.local_layer
        datacache.local_layer = self.local_layer
        try:
            yield
        finally:
            datacache.local_layer = shared

    def get(self, path, **extra):
        with self.serving():
            return self.client.get(path, **extra)

    def text(self, path) -> str:
        response = self.get(path)
        assert response.status_code == 200, (self.name, path, response.status_code)
        return response.content.decode()


@pytest.fixture
def instances(page_cache_on, settings):
    settings.DATA_CACHE_ENABLED = True
    return Instance("writer"), Instance("reader")


def warm(instances, paths):
    """Both instances have served (and cached) every path, twice."""
    for instance in instances:
        for path in paths:
            instance.get(path)
            response = instance.get(path)
            if response.status_code == 200 and not path.startswith("/search/"):
                assert response.get("X-Cache") == "HIT", (instance.name, path)


@pytest.fixture
def story(make_article, authors):
    article = make_article(
        slug="kfor-at-25",
        title="KFOR at 25",
        tags=["Kosovo", "Security"],
        authors=[authors["arta-berisha"]],
    )
    make_article(slug="other-story", title="Another story", tags=["Economy"])
    return article


def listings(article):
    """Every reader URL that shows the article (besides the article itself)."""
    index = article.get_parent().url
    return [
        "/",
        index,
        f"{index}tag/kosovo/",
        f"{index}author/arta-berisha/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/tag/kosovo/rss/",
        "/feeds/author/arta-berisha/atom/",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
    ]


def headlines(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return [text_of(h) for h in page.select("article h2, article h3")]


def test_publishing_an_edit_shows_it_everywhere(instances, story):
    writer, reader = instances
    warm(instances, [story.url, *listings(story)])

    with writer.serving():
        story.title = "KFOR at 25: what the mission still does"
        story.save_revision().publish()

    assert text_of(soup(reader.get(story.url)).h1) == story.title
    for path in listings(story):
        if "sitemap" in path and "news" not in path:
            continue  # the plain sitemap lists URLs, not headlines
        assert "KFOR at 25: what the mission still does" in reader.text(path), path


def test_publishing_a_new_article_lists_it_everywhere(instances, story, make_article):
    writer, reader = instances
    warm(instances, listings(story))

    with writer.serving():
        new = make_article(slug="new-in-kosovo", title="Fresh from Pristina", tags=["Kosovo"])

    assert reader.get(new.url).status_code == 200
    for path in listings(story):
        assert ("Fresh from Pristina" in reader.text(path)) or (new.url in reader.text(path)), path


def test_unpublishing_removes_the_article_everywhere(instances, story):
    writer, reader = instances
    warm(instances, [story.url, *listings(story), "/sitemap.xml"])

    with writer.serving():
        story.unpublish()

    assert reader.get(story.url).status_code == 404
    for path in listings(story):
        assert "kfor-at-25" not in reader.text(path), path


def test_moving_an_article_moves_it_in_every_listing(instances, story, site_tree):
    writer, reader = instances
    home, news = site_tree
    features = home.add_child(instance=NewsIndexPage(title="Features", slug="features"))
    features.save_revision().publish()
    warm(instances, [story.url, *listings(story), "/features/"])
    old_url = story.url

    with writer.serving():
        story.move(features, pos="last-child", user=None)
        story.refresh_from_db()

    assert story.url == "/features/kfor-at-25/"
    assert text_of(soup(reader.get(story.url)).h1) == "KFOR at 25"
    assert "KFOR at 25" in headlines(reader.text("/features/"))
    assert "KFOR at 25" not in headlines(reader.text("/news/"))
    assert "/news/kfor-at-25/" not in reader.text("/feeds/rss/")  # the feed is the news section's
    assert "/features/kfor-at-25/" in reader.text("/sitemap-articles.xml")
    old = reader.get(old_url)
    assert old.status_code == 301 and old["Location"].endswith("/features/kfor-at-25/")


def test_renaming_a_tag_shows_the_new_name_on_the_article_and_its_listings(instances, story):
    from taggit.models import Tag

    writer, reader = instances
    paths = [story.url, "/news/tag/kosovo/", "/feeds/tag/kosovo/rss/"]
    warm(instances, paths)

    with writer.serving():
        tag = Tag.objects.get(slug="kosovo")
        tag.name = "Kosova"
        tag.save()

    article_tags = [text_of(a) for a in soup(reader.get(story.url)).select("a[href*='/tag/']")]
    assert "Kosova" in article_tags and "Kosovo" not in article_tags
    assert "Kosova" in text_of(soup(reader.get("/news/tag/kosovo/")).h1)
    assert "<category>Kosova</category>" in reader.text("/feeds/tag/kosovo/rss/")


def test_editing_an_author_shows_the_new_byline_everywhere(instances, story):
    writer, reader = instances
    paths = [story.url, "/", "/news/", "/news/author/arta-berisha/", "/feeds/rss/"]
    warm(instances, paths)

    with writer.serving():
        author = Author.objects.get(slug="arta-berisha")
        author.name = "Arta Berisha-Krasniqi"
        author.save()

    for path in paths:
        assert "Arta Berisha-Krasniqi" in reader.text(path), path


def test_changing_site_settings_shows_on_every_page(instances, story, site_tree):
    writer, reader = instances
    home, _ = site_tree
    paths = [story.url, "/", "/news/", "/news/tag/kosovo/", "/search/?q=KFOR"]
    warm(instances, paths)

    with writer.serving():
        site_settings = SiteSettings.for_site(home.get_site())
        site_settings.tagline = "Facts first."
        site_settings.save()

    for path in paths:
        assert "Facts first." in reader.text(path), path


def test_replacing_an_image_shows_the_new_file_everywhere(instances, make_article):
    writer, reader = instances
    image = demo_image("Peacekeepers on patrol", seed=3)
    story = make_article(slug="with-image", title="Patrol", lead_image=image, tags=["Kosovo"])
    paths = [story.url, "/", "/news/"]
    warm(instances, paths)

    def image_sources(path):
        page = soup(reader.get(path))
        return {img["src"] for img in page.select("img") if "/media/" in img.get("src", "")}

    before = {path: image_sources(path) for path in paths}
    assert all(before.values())

    with writer.serving():
        image = get_image_model().objects.get(pk=image.pk)
        image.file = ImageFile(io.BytesIO(_render_demo_image(9)), name="replacement.jpg")
        image.save()
        image.renditions.all().delete()  # as the admin's "replace file" does

    for path in paths:
        after = image_sources(path)
        assert after and not (after & before[path]), path
        assert all("replacement" in src for src in after), path


def atom_updated(instance, slug) -> str:
    """The <updated> date of the article's entry in the Atom feed."""
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(instance.get("/feeds/atom/").content)  # noqa: S314 (our own)
    for entry in feed.iter(f"{atom}entry"):
        if slug in entry.find(f"{atom}link").get("href"):
            return entry.find(f"{atom}updated").text
    raise AssertionError(f"{slug} is not in the Atom feed")


def test_a_correction_shows_on_the_article_and_marks_it_updated_in_the_feeds(instances, story):
    writer, reader = instances
    warm(instances, [story.url, "/", "/feeds/atom/"])
    updated_before = atom_updated(reader, "kfor-at-25")

    with writer.serving():
        story.corrections.add(ArticleCorrection(text="An earlier version gave 4,000 troops."))
        story.save_revision().publish()

    page = reader.text(story.url)
    assert "An earlier version gave 4,000 troops." in page
    assert "Updated" in page
    assert atom_updated(reader, "kfor-at-25") > updated_before


def test_a_new_redirect_works_at_once_and_a_deleted_one_stops(instances, story):
    writer, reader = instances
    warm(instances, ["/kfor/"])
    assert reader.get("/kfor/").status_code == 404

    with writer.serving():
        redirect = Redirect.objects.create(old_path="/kfor", redirect_page=story)

    response = reader.get("/kfor/")
    assert response.status_code == 301 and response["Location"].endswith(story.url)

    with writer.serving():
        redirect.delete()

    assert reader.get("/kfor/").status_code == 404


def test_a_privacy_restriction_hides_the_article_everywhere_at_once(instances, story):
    writer, reader = instances
    warm(instances, [story.url, *listings(story)])

    with writer.serving():
        PageViewRestriction.objects.create(
            page=story, restriction_type=PageViewRestriction.PASSWORD, password="embargo"
        )

    response = reader.get(story.url)
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert "KFOR at 25" not in text_of(soup(response).find("main") or soup(response))
    for path in listings(story):
        assert "kfor-at-25" not in reader.text(path), path


def test_a_live_update_shows_on_its_page_endpoint_feed_and_a_withdrawal_removes_it(
    instances, news_index
):
    from tests.support.live import make_live_page, post

    writer, reader = instances
    live = make_live_page(news_index)
    first = post(live, "The first update.")
    paths = [live.url, f"{live.url}updates/?after={first.pk}", f"{live.url}feed/", "/", "/news/"]
    warm(instances, paths)

    with writer.serving():
        update = post(live, "Crossings reopen at noon.")
    for path in paths[:3]:
        assert "Crossings reopen at noon." in reader.text(path), path

    with writer.serving():
        update.withdrawn = True
        update.correction_note = "Not yet confirmed."
        update.save()
    for path in paths[:3]:
        assert "Crossings reopen at noon." not in reader.text(path), path
    assert "Not yet confirmed." in reader.text(live.url)


# --- per language ------------------------------------------------------------------------


def language_listings(prefix: str) -> list[str]:
    """The reader URLs in one language that show an article of that language."""
    return [
        f"{prefix}/",
        f"{prefix}/news/",
        f"{prefix}/news/tag/kosovo/",
        f"{prefix}/news/author/arta-berisha/",
        f"{prefix}/feeds/rss/",
        f"{prefix}/feeds/atom/",
        f"{prefix}/feeds/tag/kosovo/rss/",
        f"{prefix}/feeds/author/arta-berisha/atom/",
        f"{prefix}/news-sitemap.xml",
    ]


@pytest.fixture
def translated_story(story):
    from tests.support.languages import translate

    return {
        "sq": translate(story, "sq", title="KFOR në 25 vjet"),
        "sr": translate(story, "sr", title="КФОР после 25 година"),
    }


@pytest.mark.parametrize(
    ("language", "prefixes", "new_title", "shown"),
    [
        ("sq", ["/sq"], "KFOR në 25 vjet: çfarë bën ende misioni", ["KFOR në 25 vjet: çfarë"]),
        (
            "sr",
            ["/sr", "/sr-latn"],
            "КФОР после 25 година: шта мисија још ради",
            ["КФОР после 25 година: шта", "KFOR posle 25 godina: šta"],
        ),
    ],
)
def test_publishing_a_translation_refreshes_its_languages_feeds_and_sitemaps(
    instances, translated_story, language, prefixes, new_title, shown
):
    writer, reader = instances
    article = translated_story[language]
    paths = [path for prefix in prefixes for path in language_listings(prefix)]
    warm(instances, [*paths, "/sitemap-articles.xml", article.url, "/feeds/rss/"])

    with writer.serving():
        article.title = new_title
        article.save_revision().publish()

    for prefix, text in zip(prefixes, shown, strict=True):
        for path in language_listings(prefix):
            assert text in reader.text(path), path
    # Every language's article URLs are in the one sitemap; the English listings are untouched.
    assert f"{prefixes[0]}/news/kfor-at-25/" in reader.text("/sitemap-articles.xml")
    assert reader.get("/feeds/rss/").get("X-Cache") == "HIT"


def test_a_new_albanian_article_is_listed_in_the_albanian_feeds(
    instances, translated_story, make_article
):
    from tests.support.languages import translate

    writer, reader = instances
    warm(instances, language_listings("/sq"))

    with writer.serving():
        english = make_article(slug="fresh", title="Fresh from Pristina", tags=["Kosovo"])
        translate(english, "sq", title="E freskët nga Prishtina")

    for path in language_listings("/sq"):
        assert "E freskët nga Prishtina" in reader.text(path), path


def test_unpublishing_a_serbian_article_removes_it_from_both_scripts(instances, translated_story):
    writer, reader = instances
    paths = language_listings("/sr") + language_listings("/sr-latn")
    warm(instances, [*paths, "/sitemap-articles.xml"])

    with writer.serving():
        translated_story["sr"].unpublish()

    for path in [*paths, "/sitemap-articles.xml"]:
        text = reader.text(path)
        assert "sr/news/kfor-at-25/" not in text, path
        assert "sr-latn/news/kfor-at-25/" not in text, path


# --- a sitemap file written once (news.sitemaps.ArticlesSitemap.file_document) -------------


@pytest.fixture
def data_cache_only(settings):
    """The data cache on and the page cache off: every request writes its page from the data
    cache (what the memoised sitemap file must keep fresh by itself)."""
    from django.core.cache import cache

    from caching import guard as guarded

    settings.DATA_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False
    cache.clear()
    guarded.reset()
    return Instance("writer"), Instance("reader")


def sitemap_urls(instance, path="/sitemap-articles.xml") -> dict[str, str]:
    """loc -> lastmod of every URL in a sitemap file."""
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ElementTree.fromstring(instance.get(path).content)  # noqa: S314 (our own)
    return {
        entry.findtext(f"{namespace}loc"): entry.findtext(f"{namespace}lastmod")
        for entry in root.iter(f"{namespace}url")
    }


def test_the_written_sitemap_file_follows_publishing_unpublishing_and_edits(
    data_cache_only, story, make_article
):
    import datetime

    from django.utils import timezone

    writer, reader = data_cache_only
    story.last_published_at = timezone.now() - datetime.timedelta(days=3)
    story.save(update_fields=["last_published_at"])
    for instance in data_cache_only:
        assert "http://localhost/news/kfor-at-25/" in sitemap_urls(instance)
    old_date = sitemap_urls(reader)["http://localhost/news/kfor-at-25/"]

    with writer.serving():
        new = make_article(slug="fresh-from-pristina", title="Fresh from Pristina")
    assert new.full_url in sitemap_urls(reader)

    with writer.serving():
        story.title = "KFOR at 25: edited"
        story.save_revision().publish()
    urls = sitemap_urls(reader)
    assert urls["http://localhost/news/kfor-at-25/"] == timezone.localdate().isoformat() != old_date

    with writer.serving():
        story.unpublish()
    assert "http://localhost/news/kfor-at-25/" not in sitemap_urls(reader)
    assert "http://localhost/news/fresh-from-pristina/" in sitemap_urls(reader)


def test_an_article_past_its_expiry_leaves_the_written_sitemap_file_at_once(
    data_cache_only, story, monkeypatch
):
    """Before publish_scheduled unpublishes it (no change, no new generation), as the
    database query always did."""
    import datetime

    from django.utils import timezone

    writer, reader = data_cache_only
    with writer.serving():
        story.expire_at = timezone.now() + datetime.timedelta(hours=1)
        story.save_revision().publish()
    for instance in data_cache_only:
        assert "http://localhost/news/kfor-at-25/" in sitemap_urls(instance)
        assert "http://localhost/news/other-story/" in sitemap_urls(instance)

    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    for instance in data_cache_only:
        urls = sitemap_urls(instance)
        assert "http://localhost/news/kfor-at-25/" not in urls
        assert "http://localhost/news/other-story/" in urls


# --- search results as memoised cards, the filter fields as a fragment (search.views) -------


def search_results(instance, path="/search/?q=KFOR") -> list[tuple[str, str, str]]:
    """(headline, link, meta line) of each result a reader sees."""
    html = soup(instance.get(path))
    return [
        (text_of(item.select_one(".result-title")), item.select_one(".result-title a")["href"],
         text_of(item.select_one(".result-meta")))
        for item in html.select("ol.search-results > li.search-result")
    ]  # fmt: skip


def tag_options(instance, path="/search/?q=KFOR") -> tuple[list[str], list[str]]:
    """The tag filter's option labels, and the selected options' values."""
    select = soup(instance.get(path)).select_one("select#id_tag")
    return (
        [text_of(option) for option in select.select("option")],
        [option["value"] for option in select.select("option[selected]")],
    )


def test_search_results_follow_an_edit_a_byline_and_an_unpublish_at_once(data_cache_only, story):
    writer, reader = data_cache_only
    for instance in data_cache_only:
        for path in ("/search/?q=KFOR", "/search/?tag=kosovo"):
            assert [r[:2] for r in search_results(instance, path)] == [
                ("KFOR at 25", "/news/kfor-at-25/")
            ], path
    assert "Arta Berisha" in search_results(reader)[0][2]

    with writer.serving():
        story.title = "KFOR at 25: what the mission still does"
        story.save_revision().publish()
    for path in ("/search/?q=KFOR", "/search/?tag=kosovo"):
        assert search_results(reader, path)[0][0] == "KFOR at 25: what the mission still does"

    with writer.serving():
        author = Author.objects.get(slug="arta-berisha")
        author.name = "Arta Berisha-Krasniqi"
        author.save()
    assert "Arta Berisha-Krasniqi" in search_results(reader)[0][2]
    assert "Arta Berisha-Krasniqi" in search_results(reader, "/search/?tag=kosovo")[0][2]

    with writer.serving():
        story.unpublish()
    assert search_results(reader) == []
    assert search_results(reader, "/search/?tag=kosovo") == []


def test_the_same_results_found_by_other_words_mark_those_words(data_cache_only, story):
    """The results list is kept per results and words: another search that finds the same
    article marks its own words in the headline."""

    def marked(instance, path):
        title = soup(instance.get(path)).select_one("ol.search-results .result-title")
        return [text_of(mark) for mark in title.select("mark")]

    for instance in data_cache_only:
        assert marked(instance, "/search/?q=KFOR") == ["KFOR"]
        assert marked(instance, "/search/?q=KFOR+25") == ["KFOR", "25"]
        assert marked(instance, "/search/?q=KFOR") == ["KFOR"]


def test_an_article_past_its_expiry_leaves_search_results_at_once(
    data_cache_only, story, monkeypatch
):
    """Before publish_scheduled unpublishes it (no change, no new generation)."""
    import datetime

    from django.utils import timezone

    writer, reader = data_cache_only
    with writer.serving():
        story.expire_at = timezone.now() + datetime.timedelta(hours=1)
        story.save_revision().publish()
    for instance in data_cache_only:
        assert [r[0] for r in search_results(instance)] == ["KFOR at 25"]
        assert [r[0] for r in search_results(instance, "/search/?tag=kosovo")] == ["KFOR at 25"]

    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    for instance in data_cache_only:
        assert search_results(instance) == []
        assert search_results(instance, "/search/?tag=kosovo") == []
        assert [r[0] for r in search_results(instance, "/search/?q=another")] == ["Another story"]


def test_the_tag_filter_follows_a_new_tag_and_keeps_the_readers_choice(
    data_cache_only, story, make_article
):
    writer, reader = data_cache_only
    for instance in data_cache_only:
        assert tag_options(instance) == (["All tags", "Economy", "Kosovo", "Security"], [""])
        assert tag_options(instance, "/search/?q=KFOR&tag=kosovo")[1] == ["kosovo"]
        assert tag_options(instance, "/search/?q=KFOR&tag=security")[1] == ["security"]

    with writer.serving():
        make_article(slug="port-of-bar", title="The port of Bar", tags=["Montenegro"])
    assert tag_options(reader)[0] == ["All tags", "Economy", "Kosovo", "Montenegro", "Security"]
    assert tag_options(reader, "/search/?q=KFOR&tag=kosovo")[1] == ["kosovo"]
    # A date or an error is the reader's own: shown as typed, next to the same tag list.
    html = soup(reader.get("/search/?q=KFOR&tag=kosovo&date_from=2020-01-02"))
    assert html.select_one("#id_date_from")["value"] == "2020-01-02"
    assert html.select_one("#id_tag option[selected]")["value"] == "kosovo"
    html = soup(reader.get("/search/?q=KFOR&date_to=tomorrow"))
    assert html.select_one("#id_date_to")["value"] == "tomorrow"
    assert html.select_one("#id_date_to ~ .field-error")
    assert soup(reader.get("/search/?q=KFOR")).select_one("#id_date_to").get("value") is None
