"""The sitemap documents written by news.templatetags.sitemap_tags are Django's, byte for byte."""

import datetime

import pytest
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.loader import render_to_string
from django.utils import timezone

from news.sitemaps import ArticlesSitemap


def django_and_ours(path, client, monkeypatch):
    """The same request answered with Django's template and with ours (an articles file is
    served as the text written once; Django's template gets the URL entries instead)."""
    import config.urls

    ours = client.get(path)

    def entries(sitemap, page=1, site=None, protocol=None):
        return sitemap.entries(page)

    monkeypatch.setattr(ArticlesSitemap, "get_urls", entries)

    patched = 0
    for pattern in config.urls.urlpatterns:
        if getattr(pattern, "default_args", None) and "template_name" in pattern.default_args:
            monkeypatch.delitem(pattern.default_args, "template_name")
            patched += 1
    assert patched == 2  # the index and the section files now use Django's own templates
    theirs = client.get(path)
    return ours, theirs


@pytest.mark.parametrize(
    "path",
    ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-articles.xml?p=2", "/sitemap-pages.xml"],
)
def test_every_sitemap_file_is_the_document_djangos_template_writes(
    path, make_article, client, monkeypatch
):
    monkeypatch.setattr(ArticlesSitemap, "limit", 3)
    for n in range(5):
        make_article(title=f"Story {n} & more", slug=f"story-{n}")
    ours, theirs = django_and_ours(path, client, monkeypatch)
    assert ours.status_code == theirs.status_code == 200
    assert ours.content == theirs.content
    assert ours.headers.get("Last-Modified") == theirs.headers.get("Last-Modified")
    assert b"<loc>http://" in ours.content


def test_every_field_and_escape_is_written_as_django_writes_it(settings):
    settings.TIME_ZONE = "Europe/Belgrade"
    late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)  # 1 December in Belgrade
    urlset = [
        {"location": "https://example.com/a?x=1&y=<2>", "lastmod": late, "changefreq": "daily",
         "priority": "0.8", "alternates": [{"lang_code": "sr", "location": "https://example.com/sr/a&b"}]},
        {"location": "https://example.com/b", "lastmod": datetime.date(2026, 1, 2),
         "changefreq": None, "priority": "", "alternates": []},
        {"location": "https://example.com/c", "lastmod": None},
    ]  # fmt: skip
    with timezone.override("Europe/Belgrade"):
        ours = render_to_string("news/sitemaps/sitemap.xml", {"urlset": urlset})
        theirs = render_to_string("sitemap.xml", {"urlset": urlset})
        assert ours == theirs
        assert "<lastmod>2026-12-01</lastmod>" in ours
        items = [
            SitemapIndexItem("https://example.com/sitemap-a.xml?p=2&x", late),
            SitemapIndexItem("https://example.com/sitemap-b.xml", None),
        ]
        ours = render_to_string("news/sitemaps/sitemap_index.xml", {"sitemaps": items})
        assert ours == render_to_string("sitemap_index.xml", {"sitemaps": items})
        assert "<lastmod>2026-12-01T00:30:00+01:00</lastmod>" in ours
