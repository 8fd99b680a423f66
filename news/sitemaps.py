"""The sitemap, in sections: ``/sitemap.xml`` is an index of ``/sitemap-<section>.xml`` files.

- ``pages``: every live, public page except articles (home, the news index with its tag and
  author pages, any other page), through Wagtail's own sitemap.
- ``articles``: every live, public, unexpired article, ``ARTICLES_PER_FILE`` to a file
  (``?p=2``, ...). Built from three columns per article, without creating page objects, so a
  file costs the same at 1,000 and at 100,000 articles.
"""

from __future__ import annotations

from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from .models import ArticlePage

ARTICLES_PER_FILE = 2000


class PagesSitemap(WagtailSitemap):
    def items(self):
        return super().items().not_type(ArticlePage)


class ArticlesSitemap(WagtailSitemap):
    limit = ARTICLES_PER_FILE

    def __init__(self, request=None):
        super().__init__(request)
        self.site = self.get_wagtail_site()
        self.root_url = self.site.root_url.rstrip("/")
        self.root_path = self.site.root_page.url_path

    def items(self):
        now = timezone.now()
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self.site.root_page)
            .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
            .order_by("path")
            .values_list("url_path", "last_published_at", "latest_revision_created_at")
        )

    def location(self, item):
        return self.root_url + "/" + item[0].removeprefix(self.root_path)

    def lastmod(self, item):
        return item[1] or item[2]

    def get_latest_lastmod(self):
        return (
            self.items()
            .order_by()
            .aggregate(latest=Max(Coalesce("last_published_at", "latest_revision_created_at")))[
                "latest"
            ]
        )

    def get_urls(self, page=1, site=None, protocol=None):
        # Locations are already absolute (the Wagtail site's root URL).
        urls = []
        latest = None
        for item in self.paginator.page(page).object_list:
            lastmod = self.lastmod(item)
            urls.append({"item": item, "location": self.location(item), "lastmod": lastmod})
            if lastmod and (latest is None or lastmod > latest):
                latest = lastmod
        self.latest_lastmod = latest
        return urls


SECTIONS = {"pages": PagesSitemap, "articles": ArticlesSitemap}
