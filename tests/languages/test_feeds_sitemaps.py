"""Feeds and sitemaps per language: what a feed reader and a search engine get under each prefix."""

import pytest
from defusedxml import ElementTree
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caching import datacache
from tests.support.helpers import soup
from tests.support.languages import translate

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def stories(make_article):
    """An English article translated into Albanian and Serbian (written in Latin), and an
    English article with no translation."""
    english = make_article(slug="border-talks", title="Border talks resume", tags=["Politics"])
    make_article(slug="english-only", title="Only in English", tags=["Politics"])
    return {
        "en": english,
        "sq": translate(
            english,
            "sq",
            title="Bisedimet për kufirin rifillojnë",
            standfirst="Delegacionet takohen në Bruksel.",
        ),
        "sr": translate(
            english,
            "sr",
            title="Razgovori o granici nastavljeni",
            standfirst="Delegacije se sastaju u Briselu, piše Tanjug.",
        ),
    }


def rss(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return ElementTree.fromstring(response.content).find("channel")


def rss_titles(channel) -> list[str]:
    return [item.findtext("title") for item in channel.findall("item")]


def test_each_language_has_its_own_feed(client, stories):
    english = rss(client, "/feeds/rss/")
    assert english.findtext("language") == "en"
    assert rss_titles(english) == ["Border talks resume", "Only in English"]

    albanian = rss(client, "/sq/feeds/rss/")
    assert albanian.findtext("language") == "sq"
    assert rss_titles(albanian) == ["Bisedimet për kufirin rifillojnë"]
    assert albanian.findtext("link") == "http://testserver/sq/news/"
    item = albanian.find("item")
    assert item.findtext("link") == "http://testserver/sq/news/border-talks/"
    assert item.findtext("description") == "Delegacionet takohen në Bruksel."

    tag_feed = rss(client, "/sq/feeds/tag/politics/rss/")
    assert rss_titles(tag_feed) == ["Bisedimet për kufirin rifillojnë"]
    author_feed = ElementTree.fromstring(client.get("/sq/feeds/author/arta-berisha/atom/").content)
    assert author_feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "sq"
    assert [e.findtext(f"{ATOM}title") for e in author_feed.iter(f"{ATOM}entry")] == [
        "Bisedimet për kufirin rifillojnë"
    ]


def test_the_feed_description_is_in_the_language(client, stories, news_index):
    index = translate(news_index, "sq")
    index.intro = ""
    index.save_revision().publish()
    description = rss(client, "/sq/feeds/rss/").findtext("description")
    assert description == "Artikujt më të fundit nga The Balkan Report."
    tag = rss(client, "/sr-latn/feeds/tag/politics/rss/").findtext("description")
    assert "Politics" in tag and "The Balkan Report" in tag and "Articles tagged" not in tag


def feed_head(client, path) -> dict[str, str]:
    """What a feed reader shows of a feed: its title, description and language."""
    response = client.get(path)
    assert response.status_code == 200, path
    root = ElementTree.fromstring(response.content)
    if root.tag == "rss":
        channel = root.find("channel")
        return {
            "title": channel.findtext("title"),
            "description": channel.findtext("description"),
            "language": channel.findtext("language"),
        }
    return {
        "title": root.findtext(f"{ATOM}title"),
        "description": root.findtext(f"{ATOM}subtitle"),
        "language": root.get("{http://www.w3.org/XML/1998/namespace}lang"),
    }


FEED_HEADS = {
    "": {
        "language": "en",
        "title": "The Balkan Report",
        "description": "The latest reporting from Kosova and the Western Balkans.",
        "tag title": "Izbori | The Balkan Report",
        "tag description": "Articles tagged Izbori from The Balkan Report.",
        "author title": "Nikola Jovanović | The Balkan Report",
        "author description": "Articles by Nikola Jovanović for The Balkan Report.",
    },
    "/sq": {
        "language": "sq",
        "title": "The Balkan Report në shqip",
        "description": "Artikujt më të fundit nga The Balkan Report.",
        "tag title": "Izbori | The Balkan Report në shqip",
        "tag description": "Artikuj me etiketën Izbori nga The Balkan Report.",
        "author title": "Nikola Jovanović | The Balkan Report në shqip",
        "author description": "Artikuj nga Nikola Jovanović për The Balkan Report.",
    },
    "/sr": {
        "language": "sr-Cyrl",
        "title": "The Balkan Report на српском",
        "description": "Најновији чланци: The Balkan Report.",
        "tag title": "Избори | The Balkan Report на српском",
        "tag description": "Чланци са ознаком Избори – The Balkan Report.",
        "author title": "Никола Јовановић | The Balkan Report на српском",
        "author description": "Чланци аутора Никола Јовановић за The Balkan Report.",
    },
    "/sr-latn": {
        "language": "sr-Latn",
        "title": "The Balkan Report na srpskom",
        "description": "Najnoviji članci: The Balkan Report.",
        "tag title": "Izbori | The Balkan Report na srpskom",
        "tag description": "Članci sa oznakom Izbori – The Balkan Report.",
        "author title": "Nikola Jovanović | The Balkan Report na srpskom",
        "author description": "Članci autora Nikola Jovanović za The Balkan Report.",
    },
}


@pytest.mark.parametrize("prefix", list(FEED_HEADS))
def test_every_feed_speaks_the_readers_language(client, make_article, authors, prefix):
    """As wagtail-localize makes them: an article's first translation brings its language's
    home and news index as aliases of the English ones (the English intro, the English title)."""
    from wagtail.models import Locale

    english = make_article(
        slug="elections",
        title="Elections called",
        tags=["Izbori"],
        authors=[authors["nikola-jovanovic"]],
    )
    for code, title in (("sq", "Zgjedhjet u shpallën"), ("sr", "Расписани избори")):
        copy = english.copy_for_translation(
            Locale.objects.get(language_code=code), copy_parents=True
        ).specific
        copy.title = title
        copy.save_revision().publish()
        assert copy.get_parent().alias_of_id is not None  # the index: an alias

    expected = FEED_HEADS[prefix]
    feeds = {
        "": ["rss", "atom"],
        "tag ": ["tag/izbori/rss", "tag/izbori/atom"],
        "author ": ["author/nikola-jovanovic/rss", "author/nikola-jovanovic/atom"],
    }
    for kind, paths in feeds.items():
        for path in paths:
            head = feed_head(client, f"{prefix}/feeds/{path}/")
            assert head == {
                "title": expected[f"{kind}title"],
                "description": expected[f"{kind}description"],
                "language": expected["language"],
            }, path
            if prefix == "/sr-latn":
                assert not any("\u0400" <= ch <= "\u04ff" for ch in "".join(head.values()))


def test_a_news_index_with_its_own_intro_describes_its_feed(client, stories, news_index):
    index = translate(news_index, "sq")
    index.intro = "Lajmet më të fundit nga Kosova dhe Ballkani Perëndimor."
    index.save_revision().publish()
    head = feed_head(client, "/sq/feeds/atom/")
    assert head["description"] == "Lajmet më të fundit nga Kosova dhe Ballkani Perëndimor."
    assert head["title"] == "The Balkan Report në shqip"


def test_serbian_feeds_come_in_each_script(client, stories):
    cyrillic = rss(client, "/sr/feeds/rss/")
    assert cyrillic.findtext("language") == "sr-Cyrl"
    item = cyrillic.find("item")
    assert item.findtext("title") == "Разговори о граници настављени"
    # Links, dates and the publication's name stay as they are; "Tanjug" keeps its two letters.
    assert item.findtext("link") == "http://testserver/sr/news/border-talks/"
    assert item.findtext("description") == "Делегације се састају у Бриселу, пише Танјуг."
    assert "Делегације" in item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert "block-paragraph" in item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert cyrillic.findtext("title") == "The Balkan Report на српском"
    assert item.findtext("pubDate").split(",")[0] in {
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    }

    latin = ElementTree.fromstring(client.get("/sr-latn/feeds/atom/").content)
    assert latin.get("{http://www.w3.org/XML/1998/namespace}lang") == "sr-Latn"
    entry = latin.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Razgovori o granici nastavljeni"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/sr-latn/news/border-talks/"


def test_a_cyrillic_article_reads_in_latin_in_the_latin_feed(client, make_article):
    english = make_article(slug="elections", title="Elections called")
    translate(english, "sr", title="Расписани избори", standfirst="Љубав & мир <3")
    latin = rss(client, "/sr-latn/feeds/rss/")
    item = latin.find("item")
    assert item.findtext("title") == "Raspisani izbori"
    assert item.findtext("description") == "Ljubav & mir <3"


def test_pages_point_to_the_feeds_of_their_language(client, stories):
    for prefix in ("", "/sq", "/sr", "/sr-latn"):
        page = soup(client.get(f"{prefix}/news/tag/politics/"))
        feeds = {
            link["type"]: link["href"]
            for link in page.select("link[rel=alternate][type]")
            if "tag" not in link["href"]
        }
        assert feeds == {
            "application/rss+xml": f"{prefix}/feeds/rss/",
            "application/atom+xml": f"{prefix}/feeds/atom/",
        }, prefix
        tag_feeds = [
            link["href"]
            for link in page.select("link[rel=alternate][type]")
            if "tag" in link["href"]
        ]
        assert tag_feeds and all(href.startswith(f"{prefix}/feeds/tag/") for href in tag_feeds)


def news_sitemap(client, path):
    response = client.get(path)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [
        (
            url.findtext(f"{SITEMAP}loc"),
            url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language"),
            url.findtext(f"{NEWS}news/{NEWS}title"),
        )
        for url in root.iter(f"{SITEMAP}url")
    ]


def test_the_google_news_sitemap_per_language(client, stories):
    assert news_sitemap(client, "/sq/news-sitemap.xml") == [
        ("http://localhost/sq/news/border-talks/", "sq", "Bisedimet për kufirin rifillojnë")
    ]
    assert [lang for _loc, lang, _title in news_sitemap(client, "/news-sitemap.xml")] == [
        "en",
        "en",
    ]
    assert news_sitemap(client, "/sr/news-sitemap.xml") == [
        ("http://localhost/sr/news/border-talks/", "sr", "Разговори о граници настављени")
    ]
    assert news_sitemap(client, "/sr-latn/news-sitemap.xml") == [
        ("http://localhost/sr-latn/news/border-talks/", "sr", "Razgovori o granici nastavljeni")
    ]


def test_the_articles_sitemap_lists_every_language_with_alternates(client, stories):
    root = ElementTree.fromstring(client.get("/sitemap-articles.xml").content)
    urls = {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for url in root.iter(f"{SITEMAP}url")
    }
    base = "http://localhost"
    translated = {
        "en": f"{base}/news/border-talks/",
        "sq": f"{base}/sq/news/border-talks/",
        "sr-Cyrl": f"{base}/sr/news/border-talks/",
        "sr-Latn": f"{base}/sr-latn/news/border-talks/",
        "x-default": f"{base}/news/border-talks/",
    }
    assert set(urls) == {*translated.values(), f"{base}/news/english-only/"}
    for location in set(translated.values()):
        assert urls[location] == translated, location
    assert urls[f"{base}/news/english-only/"] == {}


def test_serbian_only_articles_have_both_scripts_and_no_x_default(
    client, news_index, stories, authors
):
    publish_serbian_only(news_index, authors["arta-berisha"])
    entries = sitemap_alternates(client, "/sitemap-articles.xml")
    both = {
        "sr-Cyrl": "http://localhost/sr/news/samo-srpski/",
        "sr-Latn": "http://localhost/sr-latn/news/samo-srpski/",
    }
    assert entries["http://localhost/sr/news/samo-srpski/"] == both
    assert entries["http://localhost/sr-latn/news/samo-srpski/"] == both


def test_the_pages_sitemap_lists_every_languages_pages(client, stories, site_tree):
    home, index = site_tree
    translate(home, "sq")
    translate(home, "sr")
    root = ElementTree.fromstring(client.get("/sitemap-pages.xml").content)
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")}
    base = "http://localhost"
    for prefix in ("", "/sq", "/sr", "/sr-latn"):
        assert f"{base}{prefix}/" in locations, prefix
        assert f"{base}{prefix}/news/" in locations, prefix
    assert f"{base}/sq/news/tag/politics/" in locations
    assert f"{base}/sr-latn/news/author/arta-berisha/" in locations


def publish_serbian_only(news_index, author, tags=()):
    """An article published in Serbian only (/sr/news/samo-srpski/)."""
    from django.utils import timezone

    from demo.build import publish_article

    return publish_article(
        translate(news_index, "sr"),
        slug="samo-srpski",
        title="Samo na srpskom",
        standfirst="Tekst.",
        body=[("paragraph", "<p>Tekst.</p>")],
        tags=list(tags),
        authors=[author],
        published=timezone.now(),
    )


def sitemap_alternates(client, path) -> dict[str, dict[str, str]]:
    """Each <loc> of a sitemap file with its hreflang alternates (hreflang: href)."""
    response = client.get(path)
    assert response.status_code == 200, path
    root = ElementTree.fromstring(response.content)
    found = {}
    for url in root.iter(f"{SITEMAP}url"):
        links = [(link.get("rel"), link.get("hreflang"), link.get("href")) for link in url]
        links = [link for link in links if link[1]]
        assert all(rel == "alternate" for rel, _lang, _href in links)
        found[url.findtext(f"{SITEMAP}loc")] = {lang: href for _rel, lang, href in links}
        assert len(found[url.findtext(f"{SITEMAP}loc")]) == len(links)  # no hreflang twice
    return found


def in_every_language(path: str) -> dict[str, str]:
    base = "http://localhost"
    return {
        "en": f"{base}{path}",
        "sq": f"{base}/sq{path}",
        "sr-Cyrl": f"{base}/sr{path}",
        "sr-Latn": f"{base}/sr-latn{path}",
        "x-default": f"{base}{path}",
    }


def test_the_pages_sitemap_links_each_page_to_its_translations(
    client, stories, make_article, news_index, authors
):
    make_article(slug="energy-only-in-english", title="Energy prices", tags=["Energy"])
    publish_serbian_only(news_index, authors["nikola-jovanovic"], tags=["Lokalno"])
    urls = sitemap_alternates(client, "/sitemap-pages.xml")

    # Home, the news index, a tag page and an author page: each language's URL lists them all.
    for path in ("/", "/news/", "/news/tag/politics/", "/news/author/arta-berisha/"):
        expected = in_every_language(path)
        for location in set(expected.values()):
            assert urls[location] == expected, location
    # Only where the page exists: a tag with English articles only has no alternates, a tag and
    # an author with Serbian articles only have the two scripts (no x-default: no English page).
    assert urls["http://localhost/news/tag/energy/"] == {}
    assert "http://localhost/sq/news/tag/energy/" not in urls
    serbian = {
        "sr-Cyrl": "http://localhost/sr/news/tag/lokalno/",
        "sr-Latn": "http://localhost/sr-latn/news/tag/lokalno/",
    }
    assert urls["http://localhost/sr/news/tag/lokalno/"] == serbian
    assert urls["http://localhost/sr-latn/news/tag/lokalno/"] == serbian
    author = urls["http://localhost/sr-latn/news/author/nikola-jovanovic/"]
    assert set(author) == {"sr-Cyrl", "sr-Latn"}


def test_pages_only_in_english_have_no_alternates(client, site_tree, make_article):
    make_article(slug="english-story")
    urls = sitemap_alternates(client, "/sitemap-pages.xml")
    assert urls["http://localhost/"] == {}
    assert urls["http://localhost/news/tag/politics/"] == {}
    assert not any(location.startswith("http://localhost/sq/") for location in urls)


def count_queries(client, path) -> tuple[int, int]:
    """(cold, warm) queries: just after the data cache was emptied, and once it is filled."""
    client.get(path)
    counts = []
    datacache.invalidate()
    for _round in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts[0], counts[1]


def test_the_pages_sitemaps_queries_do_not_grow_with_tags_and_authors(
    client, stories, make_article, authors
):
    from news.models import Author

    measured = []
    for round_ in range(2):
        measured.append(count_queries(client, "/sitemap-pages.xml"))
        for n in range(6):  # six more tags and authors, in every language
            author = Author.objects.create(name=f"Writer {round_}-{n}", slug=f"writer-{round_}-{n}")
            english = make_article(
                slug=f"story-{round_}-{n}", tags=[f"Topic {round_}-{n}"], authors=[author]
            )
            translate(english, "sq")
            translate(english, "sr")
    measured.append(count_queries(client, "/sitemap-pages.xml"))
    urls = sitemap_alternates(client, "/sitemap-pages.xml")
    assert urls["http://localhost/sr/news/tag/topic-1-5/"] == in_every_language(
        "/news/tag/topic-1-5/"
    )
    assert len(urls) > 4 * 15
    assert measured[0] == measured[1] == measured[2], measured
    cold, warm = measured[0]
    assert cold <= 14 and warm <= 3, measured
