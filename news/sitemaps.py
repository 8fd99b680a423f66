"""The sitemap, in sections: ``/sitemap.xml`` is an index of ``/sitemap-<section>.xml`` files.

- ``pages``: every live, public page except articles (home, the news index with its tag and
  author pages, any other page), through Wagtail's own sitemap.
- ``articles``: every live, public, unexpired article, ``ARTICLES_PER_FILE`` to a file
  (``?p=2``, ...). Built from three columns per article, without creating page objects; each
  file is a range of tree paths (where each file starts is found in one pass and kept in the
  data cache), not an OFFSET, so any file costs the same at 1,000 and at 100,000 articles.

The documents are written by ``news.templatetags.sitemap_tags`` (the same bytes as Django's
templates, much faster).
"""

from __future__ import annotations

from django.db.models import F, Max, Q, Window
from django.db.models.functions import Coalesce, Mod, RowNumber
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from .models import ArticlePage

ARTICLES_PER_FILE = 1000


class SectionTotals:
    """A section's page count and latest change: both read the whole section (a COUNT and a
    MAX over every article at 100,000) and change only when content does (the cache map keeps
    them)."""

    section = ""

    @property
    def signature(self) -> str:
        return f"{self.section}:{self.get_wagtail_site().pk}"

    def section_count(self) -> int:
        return self._items().count()

    @cached_property
    def paginator(self):
        # Once per request (Django asks for it per page of the index and per file).
        from .models import CountedPaginator

        return CountedPaginator(self._items(), self.limit, count=self.section_count)

    def get_latest_lastmod(self):
        return self.section_lastmod()

    def section_lastmod(self):
        return super().get_latest_lastmod()


class PagesSitemap(SectionTotals, WagtailSitemap):
    section = "pages"

    def items(self):
        # Every page type but articles, named (the content type index finds the few pages;
        # excluding articles would read all 100,000 of them).
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import get_page_models

        others = [model for model in get_page_models() if not issubclass(model, ArticlePage)]
        types = ContentType.objects.get_for_models(*others, for_concrete_models=False).values()
        return super().items().filter(content_type__in=list(types))


class ArticlesSitemap(SectionTotals, WagtailSitemap):
    section = "articles"
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

    def section_lastmod(self):
        return (
            self.items()
            .order_by()
            .aggregate(latest=Max(Coalesce("last_published_at", "latest_revision_created_at")))[
                "latest"
            ]
        )

    def file_starts(self) -> list[str]:
        """The tree path of the first article of each file, in one pass over the section."""

        numbered = self.items().annotate(row=Window(RowNumber(), order_by=F("path").asc()))
        firsts = numbered.annotate(offset=Mod(F("row") - 1, self.limit)).filter(offset=0)
        return list(firsts.order_by("path").values_list("path", flat=True))

    def file_items(self, page):
        """The articles of file ``page``: a range of paths the index walks (no OFFSET)."""
        number = self.paginator.validate_number(page)  # EmptyPage and others: the view's 404
        starts = self.file_starts()
        if number > len(starts):  # the count and the starts disagree for a moment: a new article
            return self.paginator.page(number).object_list
        items = self.items().filter(path__gte=starts[number - 1])
        if number < len(starts):
            items = items.filter(path__lt=starts[number])
        return items[: self.limit]

    def get_urls(self, page=1, site=None, protocol=None):
        # Locations are already absolute (the Wagtail site's root URL).
        urls = []
        latest = None
        for item in self.file_items(page):
            lastmod = self.lastmod(item)
            urls.append({"item": item, "location": self.location(item), "lastmod": lastmod})
            if lastmod and (latest is None or lastmod > latest):
                latest = lastmod
        self.latest_lastmod = latest
        return urls


SECTIONS = {"pages": PagesSitemap, "articles": ArticlesSitemap}
