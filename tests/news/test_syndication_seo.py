"""Feeds, sitemaps, robots.txt and the meta data search engines and social networks read."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from demo.build import demo_image
from news.feeds import FEED_LENGTH
from news.models import ARTICLES_PER_PAGE, ArticlePage
from tests.support.helpers import soup, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_xml(data):
    return ET.fromstring(data)  # noqa: S314 (the site's own output)


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse_xml(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel").findall("item")


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_xml(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def listing_titles(client, path):
    return [text_of(a) for a in soup(client.get(path)).select(".card-title a")]


@pytest.fixture
def mixed_articles(make_article, news_index, authors):
    """Live, draft, unpublished and private articles with two tags and two authors."""
    make_article(title="Energy by Arta", tags=["Energy"])
    make_article(title="Politics by Nikola", authors=[authors["nikola-jovanovic"]])
    make_article(title="Energy and politics", tags=["Energy", "Politics"])
    make_article(title="Withdrawn energy", tags=["Energy"]).unpublish()
    private = make_article(title="Private energy", tags=["Energy"])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    draft = ArticlePage(title="Draft energy", slug="draft-energy", standfirst="Draft.", live=False)
    news_index.add_child(instance=draft)
    draft.tags.add("Energy")
    draft.save_revision()


@pytest.mark.parametrize(
    ("listing", "rss", "atom"),
    [
        ("/news/", "/feeds/rss/", "/feeds/atom/"),
        ("/news/tag/energy/", "/feeds/tag/energy/rss/", "/feeds/tag/energy/atom/"),
        (
            "/news/author/arta-berisha/",
            "/feeds/author/arta-berisha/rss/",
            "/feeds/author/arta-berisha/atom/",
        ),
    ],
)
def test_feeds_show_exactly_what_the_listings_show(mixed_articles, client, listing, rss, atom):
    expected = listing_titles(client, listing)
    assert expected  # the listing is not empty
    assert [i.findtext("title") for i in rss_items(client.get(rss))] == expected
    assert [e.findtext(f"{ATOM}title") for e in atom_entries(client.get(atom))] == expected
    for path in (rss, atom):
        body = client.get(path).content.decode()
        for hidden in ("Withdrawn energy", "Private energy", "Draft energy"):
            assert hidden not in body


def test_rss_items_have_full_text_lead_image_and_metadata(make_article, client):
    make_article(
        title="Full text story",
        tags=["Energy", "EU"],
        lead_image=demo_image("Feed image", 5),
        lead_image_alt="Pylons at dusk",
        body=[("paragraph", "<p>The whole <b>body</b> is in the feed.</p>")],
    )
    (item,) = rss_items(client.get("/feeds/rss/"))
    assert item.findtext("link") == "http://testserver/news/article-1/"
    assert item.findtext("description") == "Standfirst of article 1."
    assert [c.text for c in item.findall("category")] == ["Energy", "EU"]
    assert "Arta Berisha" in (item.findtext("author") or item.findtext("{*}creator") or "")
    assert item.findtext("pubDate")
    full = soup_text(item.findtext(CONTENT))
    assert "The whole body is in the feed." in text_of(full)
    img = full.select_one("figure img")
    assert img["src"].startswith("http://testserver/media/") and img["alt"] == "Pylons at dusk"
    assert img["width"] == "1200"


def test_atom_entries_have_content_and_summary(make_article, client):
    make_article(title="Atom story", body=[("paragraph", "<p>Atom body text.</p>")])
    (entry,) = atom_entries(client.get("/feeds/atom/"))
    assert entry.findtext(f"{ATOM}summary") == "Standfirst of article 1."
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Atom body text." in content.text
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Arta Berisha"
    assert entry.findtext(f"{ATOM}updated")


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/", "/feeds/tag/energy/rss/"])
def test_a_feed_is_sent_in_one_piece_with_its_newest_date(make_article, client, path):
    """The server writes a feed to the reader's connection at once, not one element at a time
    (thousands of small writes cost more than making the feed), and says when it last changed."""
    make_article(
        title="Older", tags=["Energy"], published=timezone.now() - datetime.timedelta(days=2)
    )
    newest = make_article(title="Newest", tags=["Energy"], published=timezone.now())
    first, again = client.get(path), client.get(path)
    for response in (first, again):
        assert len([chunk for chunk in response if chunk]) == 1
    assert again.content == first.content
    assert "Newest" in first.content.decode()
    assert first["Last-Modified"] == again["Last-Modified"]
    modified = datetime.datetime.strptime(first["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert modified.replace(tzinfo=datetime.UTC) == newest.date.replace(microsecond=0)


def soup_text(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_feeds_are_limited_and_unknown_feeds_are_404(make_article, client):
    for _ in range(FEED_LENGTH + 2):
        make_article()
    assert len(rss_items(client.get("/feeds/rss/"))) == FEED_LENGTH
    assert client.get("/feeds/tag/nothing-here/rss/").status_code == 404
    assert client.get("/feeds/author/nobody/atom/").status_code == 404
    assert client.post("/feeds/rss/").status_code == 405


def test_feeds_without_a_news_index_are_404(db, client):
    assert client.get("/feeds/rss/").status_code == 404


def test_every_page_advertises_the_feeds(make_article, client):
    page = make_article()
    for path in ["/", "/news/", page.url, "/news/tag/politics/"]:
        html = soup(client.get(path))
        types = {link["type"]: link["href"] for link in html.select('link[rel="alternate"][type]')}
        assert types["application/rss+xml"] and types["application/atom+xml"], path


# --- sitemaps and robots.txt --------------------------------------------------------------


def sitemap_locations(client) -> set[str]:
    """Every URL in the sitemap: the index at /sitemap.xml, then each file it lists."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = parse_xml(index.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    locs = set()
    for file_url in [loc.text for loc in root.iter(f"{SITEMAP}loc")]:
        response = client.get(file_url.replace("http://testserver", ""))
        assert response.status_code == 200, file_url
        locs |= {
            loc.text.replace("http://localhost", "")
            for loc in parse_xml(response.content).iter(f"{SITEMAP}loc")
        }
    return locs


def test_sitemap_lists_articles_tags_and_authors(mixed_articles, client):
    locs = sitemap_locations(client)
    assert {"/", "/news/", "/news/article-1/", "/news/article-3/"} <= locs
    assert {"/news/tag/energy/", "/news/tag/politics/"} <= locs
    assert {"/news/author/arta-berisha/", "/news/author/nikola-jovanovic/"} <= locs
    # Nothing hidden, and no pages for authors without live articles.
    assert "/news/article-4/" not in locs and "/news/article-5/" not in locs
    assert "/news/draft-energy/" not in locs
    assert "/news/author/elira-hoxha/" not in locs


def test_sitemap_splits_articles_into_files(mixed_articles, client, monkeypatch):
    from news.models import ArticlePage
    from news.sitemaps import ArticlesSitemap

    live = ArticlePage.objects.live().public().count()
    monkeypatch.setattr(ArticlesSitemap, "limit", 2)
    index = parse_xml(client.get("/sitemap.xml").content)
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    article_files = [url for url in files if "sitemap-articles.xml" in url]
    assert len(article_files) == (live + 1) // 2
    assert any(url.endswith("sitemap-pages.xml") for url in files)
    # Every article is in exactly one file, with its last modification date.
    seen = []
    for url in article_files:
        root = parse_xml(client.get(url.replace("http://testserver", "")).content)
        for entry in root.iter(f"{SITEMAP}url"):
            seen.append(entry.findtext(f"{SITEMAP}loc"))
            assert entry.findtext(f"{SITEMAP}lastmod")
    assert len(seen) == len(set(seen)) == live
    assert client.get("/sitemap-articles.xml?p=999").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_counts_and_dates_follow_publishing(make_article, client, monkeypatch):
    """The index's file count, its dates and the listed tags come from the data cache: a new
    article must show up in all three at once."""
    from news.sitemaps import ArticlesSitemap

    monkeypatch.setattr(ArticlesSitemap, "limit", 2)

    def index():
        root = parse_xml(client.get("/sitemap.xml").content)
        return {
            entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod")
            for entry in root.iter(f"{SITEMAP}sitemap")
        }

    days_ago = [timezone.now() - datetime.timedelta(days=n) for n in (3, 2)]
    make_article(title="One", tags=["Energy"], published=days_ago[0])
    make_article(title="Two", tags=["Energy"], published=days_ago[1])
    before = index()
    assert before == index()  # served again from the data cache
    assert not any("?p=2" in url for url in before)
    assert "/news/tag/fisheries/" not in sitemap_locations(client)

    make_article(title="Three", tags=["Fisheries"], published=timezone.now())
    after = index()
    assert any(url.endswith("sitemap-articles.xml?p=2") for url in after)
    articles = next(url for url in after if url.endswith("sitemap-articles.xml"))
    assert after[articles] > before[articles]  # the latest change is the new article
    assert "/news/tag/fisheries/" in sitemap_locations(client)


def test_news_sitemap_has_the_last_48_hours(make_article, client):
    make_article(title="Fresh & new", published=timezone.now() - datetime.timedelta(hours=2))
    make_article(title="Stale", published=timezone.now() - datetime.timedelta(hours=49))
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    urls = root.findall(f"{SITEMAP}url")
    assert len(urls) == 1
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Fresh & new"
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Balkan Report"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date")


def test_robots_txt_points_to_both_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


# --- meta data, OpenGraph, JSON-LD --------------------------------------------------------


def meta(html, key):
    node = html.select_one(f'meta[property="{key}"]') or html.select_one(f'meta[name="{key}"]')
    return node["content"] if node else None


def json_ld(html):
    return [json.loads(s.string) for s in html.select('script[type="application/ld+json"]')]


def test_article_meta_and_open_graph(make_article, client):
    page = make_article(
        title="Meta story", lead_image=demo_image("OG image", 6), lead_image_alt="A ridge"
    )
    html = soup(client.get(page.url + "?utm_source=x"))
    assert html.select_one('link[rel="canonical"]')["href"] == "http://testserver/news/article-1/"
    assert meta(html, "description") == "Standfirst of article 1."
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == "Meta story"
    assert meta(html, "og:url") == "http://testserver/news/article-1/"
    assert meta(html, "og:image").startswith("http://testserver/media/images/")
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image:alt") == meta(html, "og:image:alt") == "A ridge"
    assert meta(html, "article:published_time")

    page.search_description = "A better description for search engines."
    page.save_revision().publish()
    html = soup(client.get(page.url))
    assert meta(html, "description") == "A better description for search engines."
    assert meta(html, "og:description") == "A better description for search engines."


def test_each_listing_has_its_own_sharing_tags_feeds_and_breadcrumbs(make_article, client):
    """The index, a tag and an author are one Wagtail page: each path still says what it is."""
    make_article(title="Energy story", tags=["Energy"])
    make_article(title="Politics story", tags=["Politics"])
    expected = {
        "/news/": ("News", None),
        "/news/tag/energy/": ("Energy", "/feeds/tag/energy/rss/"),
        "/news/tag/politics/": ("Politics", "/feeds/tag/politics/rss/"),
        "/news/author/arta-berisha/": ("Arta Berisha", "/feeds/author/arta-berisha/rss/"),
    }
    for _ in range(2):  # the first view of each, then the kept parts
        for path, (title, feed) in expected.items():
            html = soup(client.get(path))
            assert meta(html, "og:url") == f"http://testserver{path}", path
            assert meta(html, "og:title").startswith(title), path
            feeds = [link["href"] for link in html.select('link[type="application/rss+xml"]')]
            assert feeds[0] == "/feeds/rss/" and feeds[1:] == ([feed] if feed else []), path
            (breadcrumbs,) = json_ld(html)
            assert breadcrumbs["itemListElement"][-1]["item"] == f"http://testserver{path}", path


def test_share_image_falls_back_to_the_site_default(make_article, client):
    page = make_article(title="No picture")
    html = soup(client.get(page.url))
    assert meta(html, "og:image") == "http://testserver/static/images/share-default.png"

    from home.models import SiteSettings

    settings = SiteSettings.for_request_or_default()
    settings.default_share_image = demo_image("Default share", 7)
    settings.save()
    html = soup(client.get(page.url))
    assert meta(html, "og:image").startswith("http://testserver/media/images/")
    assert meta(html, "og:image:width") == "1200"


def test_article_json_ld(make_article, authors, client):
    page = make_article(
        title="Structured story",
        authors=[authors["arta-berisha"], authors["nikola-jovanovic"]],
        lead_image=demo_image("LD image", 8),
    )
    article, breadcrumbs = json_ld(soup(client.get(page.url)))
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Structured story"
    assert article["datePublished"] and article["dateModified"]
    assert [a["name"] for a in article["author"]] == ["Arta Berisha", "Nikola Jovanović"]
    assert article["author"][0]["url"] == "http://testserver/news/author/arta-berisha/"
    assert article["publisher"]["name"] == "The Balkan Report"
    assert article["image"][0].startswith("http://testserver/media/images/")
    assert article["mainEntityOfPage"]["@id"] == "http://testserver/news/article-1/"
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [i["name"] for i in breadcrumbs["itemListElement"]] == [
        "Home",
        "News",
        "Structured story",
    ]
    assert breadcrumbs["itemListElement"][1]["item"] == "http://testserver/news/"


def test_json_ld_cannot_break_out_of_its_script(make_article, client):
    page = make_article(title="</script><script>alert(1)</script>")
    html = client.get(page.url).content.decode()
    assert "</script><script>alert(1)" not in html
    (article, _) = json_ld(soup_text(html))
    assert article["headline"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("listing", ["/news/", "/news/tag/politics/", "/news/author/arta-berisha/"])
def test_no_json_ld_on_paginated_listings(make_article, client, listing):
    for _ in range(ARTICLES_PER_PAGE + 1):
        make_article()
    first = soup(client.get(listing))
    assert [d["@type"] for d in json_ld(first)] == ["BreadcrumbList"]
    second = soup(client.get(listing + "?page=2"))
    assert json_ld(second) == []
    assert second.select_one('link[rel="canonical"]')["href"].endswith("?page=2")


def test_one_h1_on_every_reader_page(make_article, client):
    page = make_article()
    for path in ["/", "/news/", page.url, "/news/tag/politics/", "/news/author/arta-berisha/"]:
        assert len(soup(client.get(path)).select("h1")) == 1, path
