"""The sitemap, in sections: ``/sitemap.xml`` is an index of ``/sitemap-<section>.xml`` files.

- ``pages``: every live, public page except articles (home, the news index with its tag and
  author pages, any other page) in every language (a Serbian page in both scripts), through
  Wagtail's own sitemap, with hreflang alternates like the articles' (``alternate_links``).
- ``articles``: every live, public, unexpired article in every language (with hreflang
  alternates), ``ARTICLES_PER_FILE`` to a file
  (``?p=2``, ...). Built from three columns per article, without creating page objects; each
  file is a range of tree paths (where each file starts is found in one pass and kept in the
  data cache), not an OFFSET, so any file costs the same at 1,000 and at 100,000 articles.

The documents are written by ``news.templatetags.sitemap_tags`` (the same bytes as Django's
templates, much faster). An articles file is written once (``ArticlesSitemap.file_document``,
kept in the data cache until content changes) and served as that text: a file of 1,000 URLs
builds 1,000 entries and formats 1,000 dates, which cost more than everything else on the page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Max, Q, Window
from django.db.models.functions import Coalesce, Mod, RowNumber
from django.utils import timezone, translation
from django.utils.functional import cached_property
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from .models import ArticlePage

ARTICLES_PER_FILE = 1000


@dataclass(frozen=True)
class FileDocument:
    """One articles file, written: its ``<url>`` elements as XML, its latest change (the
    ``Last-Modified`` header) and when the first of its articles (or of their listed
    translations) expires, after which the text lists an article readers may no longer see."""

    xml: str
    latest: datetime.datetime | None
    expires: datetime.datetime | None

    def expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()


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

    @cached_property
    def roots(self) -> dict[int, tuple[str, str, list[tuple[str, str]]]]:
        return {
            locale_id: (path, url_path, languages)
            for locale_id, path, url_path, languages in (self.language_roots())
        }

    def language_roots(self) -> list[tuple[int, str, str, list[tuple[str, str]]]]:
        """The site's root page in each language: (locale id, tree path, url_path, [(BCP 47
        tag, the root's URL path in each Django language serving that locale)]).
        Memoised (config/cache_map.py)."""
        root = self.get_wagtail_site().root_page
        if not settings.WAGTAIL_I18N_ENABLED:
            return [
                (
                    root.locale_id,
                    root.path,
                    root.url_path,
                    [(settings.LANGUAGE_TAGS.get(settings.LANGUAGE_CODE, "en"), "/")],
                )
            ]
        pages = root.get_translations(inclusive=True).select_related("locale")
        languages = [code for code, _name in settings.LANGUAGES]
        roots = []
        for page in pages.order_by("path"):
            served = []
            for code in languages:
                if get_supported_content_language_variant(code) != page.locale.language_code:
                    continue
                with translation.override(code):
                    parts = page.get_url_parts(self.request)
                if parts and parts[2]:
                    served.append((settings.LANGUAGE_TAGS.get(code, code), parts[2]))
            if served:
                roots.append((page.locale_id, page.path, page.url_path, served))
        return roots

    @cached_property
    def root_url(self) -> str:
        return self.get_wagtail_site().root_url.rstrip("/")

    def in_roots(self) -> Q:
        """Pages below the site's root in any language."""
        found = Q()
        for _locale_id, (path, _url_path, _languages) in self.roots.items():
            found |= Q(path__startswith=path)
        return found

    def locations(self, url_path: str, locale_id: int) -> list[tuple[str, str]]:
        """(BCP 47 tag, absolute URL) of a page (its ``url_path``) in each Django language
        serving its locale (Serbian twice: Cyrillic and Latin)."""
        root = self.roots.get(locale_id)
        if root is None:
            return []
        _path, root_url_path, languages = root
        rest = url_path.removeprefix(root_url_path)
        return [(tag, self.root_url + base + rest) for tag, base in languages]

    @staticmethod
    def alternate_links(versions: list[tuple[str, str]]) -> list[dict]:
        """The ``xhtml:link`` alternates of a page found at these (BCP 47 tag, URL) versions:
        each version, and ``x-default`` the one in the site's default language; none when the
        page has a single URL."""
        if len(versions) < 2:
            return []
        default_tag = settings.LANGUAGE_TAGS.get(settings.LANGUAGE_CODE)
        links = [{"lang_code": tag, "location": url} for tag, url in versions]
        links += [
            {"lang_code": "x-default", "location": url}
            for tag, url in versions
            if tag == default_tag
        ]
        return links


class PagesSitemap(SectionTotals, WagtailSitemap):
    section = "pages"

    def items(self):
        # Every page type but articles, named (the content type index finds the few pages;
        # excluding articles would read all 100,000 of them).
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import get_page_models

        others = [model for model in get_page_models() if not issubclass(model, ArticlePage)]
        types = ContentType.objects.get_for_models(*others, for_concrete_models=False).values()
        return (
            Page.objects.live()
            .public()
            .filter(self.in_roots(), content_type__in=list(types))
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        """Wagtail's URLs of each page (a news index's tag and author pages too), each in every
        Django language serving the page's locale (a Serbian page in both scripts), with the
        page's translations as hreflang alternates: a tag page's are the same tag page under
        each language's news index."""
        urls, groups = [], {}
        last_mods = set()
        for item in self.paginator.page(page).object_list.iterator():
            infos = item.get_sitemap_urls(self.request)
            own = infos[0]["location"] if infos else ""
            for info in infos:
                location = info["location"]
                last_mods.add(info.get("lastmod"))
                # A subpage (tag, author) is the page's URL and the rest: the same in each language.
                rest = location.removeprefix(own) if location.startswith(own) else None
                versions = []
                if rest is not None:
                    versions = self.locations(item.url_path + rest, item.locale_id)
                if location not in (url for _tag, url in versions):  # a URL of its own making
                    urls.append({**info, "alternates": []})
                    continue
                group = groups.setdefault((item.translation_key, rest), [])
                group.extend(versions)
                for _tag, url in versions:
                    urls.append({**info, "location": url, "alternates": group})
        links = {id(group): self.alternate_links(group) for group in groups.values()}
        for url in urls:
            url["alternates"] = links.get(id(url["alternates"]), [])
        # Wagtail's rule: a latest change only when every URL has one.
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


class ArticlesSitemap(SectionTotals, WagtailSitemap):
    """Every language's articles; on a site with several languages each URL lists its
    translations (and its Serbian copy in the other script) as ``xhtml:link`` hreflang
    alternates, with ``x-default`` the English one."""

    section = "articles"
    limit = ARTICLES_PER_FILE
    expires = None  # the first expiry among the entries last built (entries())

    def items(self):
        now = timezone.now()
        return (
            ArticlePage.objects.live()
            .public()
            .filter(self.in_roots())
            .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
            .order_by("path")
            .values_list(
                "url_path",
                "last_published_at",
                "latest_revision_created_at",
                "locale_id",
                "translation_key",
                "expire_at",
            )
        )

    def location(self, item):
        found = self.locations(item[0], item[3])
        return found[0][1] if found else ""

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

    def alternates(self, items) -> dict:
        """translation key -> [(BCP 47 tag, absolute URL)] of every live translation of these
        articles (one query per file)."""
        if not settings.WAGTAIL_I18N_ENABLED or not items:
            return {}
        keys = {item[4] for item in items}
        translations = (
            self.items()
            .filter(translation_key__in=keys)
            .values_list("url_path", "locale_id", "translation_key", "expire_at")
        )
        found: dict = {}
        for url_path, locale_id, key, expire_at in translations:
            found.setdefault(key, []).extend(self.locations(url_path, locale_id))
            self._note_expiry(expire_at)
        return found

    def _note_expiry(self, expire_at) -> None:
        if expire_at is not None and (self.expires is None or expire_at < self.expires):
            self.expires = expire_at

    def get_urls(self, page=1, site=None, protocol=None):
        """The file as one written document (``FileDocument``, which the template prints)."""
        number = self.paginator.validate_number(page)  # EmptyPage and others: the view's 404
        document = self.file_document(number)
        if document.expired():
            # An article in it expired since it was written (publish_scheduled will unpublish
            # it, which starts a new generation): write the file afresh until then.
            document = self.write_file(number)
        self.latest_lastmod = document.latest
        return [document]

    def file_document(self, number: int) -> FileDocument:
        """File ``number`` written (its own method, so that it can be kept between requests)."""
        return self.write_file(number)

    def write_file(self, number: int) -> FileDocument:
        from .templatetags.sitemap_tags import urlset_xml

        urls = self.entries(number)
        return FileDocument(urlset_xml(urls), self.latest_lastmod, self.expires)

    def entries(self, page):
        """The URL entries of file ``page``, as Django's sitemap template takes them; sets
        ``latest_lastmod`` and ``expires`` (the first expiry among them, or None)."""
        # Locations are already absolute (the Wagtail site's root URL).
        urls = []
        latest = None
        self.expires = None
        items = list(self.file_items(page))
        alternates = self.alternates(items)
        for item in items:
            lastmod = self.lastmod(item)
            self._note_expiry(item[5])
            links = self.alternate_links(alternates.get(item[4], []))
            for _tag, location in self.locations(item[0], item[3]):
                urls.append(
                    {"item": item, "location": location, "lastmod": lastmod, "alternates": links}
                )
            if lastmod and (latest is None or lastmod > latest):
                latest = lastmod
        self.latest_lastmod = latest
        return urls


SECTIONS = {"pages": PagesSitemap, "articles": ArticlesSitemap}
