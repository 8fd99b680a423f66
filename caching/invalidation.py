"""Freshness: every change a reader could see invalidates what shows it, from one map.

``config/cache_map.py`` (``settings.CACHE_MAP``) says, per model, whether a change purges every
cached page or only the data cache, and, per page type, which listings show a page of that
type. Any change it names, and any page change, replaces the data-cache generation. A publish or
unpublish of a listed page type purges the page, its ancestors and its listings' prefixes;
anything else that touches pages (another type, a move, a slug change, a deletion) purges every
cached page. With ``WAGTAILFRONTENDCACHE`` configured the same URLs are purged from the CDN.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import datacache, pagecache

logger = logging.getLogger(__name__)

EVERY_PAGE = "every page"
DATA_ONLY = "data only"


@dataclass(frozen=True)
class PagePurge:
    """What a publish or unpublish of one page of a type purges besides the page and ancestors.

    ``paths`` are purged exactly (with every query string); ``prefixes`` purge every path below
    them, in whole segments (``/feeds/`` reaches ``/feeds/tag/kosovo/rss/``). Both may name
    ``{parent}``, the parent page's path, ``{path}``, the page's own, and ``{root}``, the path of
    its topmost ancestor with a URL (the site's home in the page's language: ``/``, ``/sq/``).
    ``cdn_urls`` names a method of the page returning the absolute URLs of the listings that
    show it (a CDN cannot purge prefixes). Every path, prefix and URL is purged with its aliases
    (``PAGE_CACHE_PATH_ALIASES``).
    """

    paths: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    cdn_urls: str | None = None

    def __post_init__(self):
        for prefix in self.prefixes:
            if not prefix.endswith("/"):
                raise ValueError(f"A purge prefix is whole path segments, ending in '/': {prefix}")


@dataclass(frozen=True)
class PageRows:
    """Rows shown on one page but not part of its revisions (a live page's updates).

    Saving or deleting one purges what a publish of that page purges (the page, its ancestors),
    with ``purge`` instead of the page type's rule, now and again when the transaction commits;
    nothing while the page is not live. ``page`` names the row's attribute holding its page.
    """

    page: str
    purge: PagePurge = PagePurge()


@cache
def cache_map():
    return import_module(settings.CACHE_MAP)


def model_rule(model) -> str | PageRows | None:
    return cache_map().MODELS.get(model._meta.label)


def page_rule(page) -> PagePurge | None:
    return cache_map().PAGES.get(type(page)._meta.label)


def _path(page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def purge_plan(page, rule: PagePurge) -> tuple[list[str], list[str]]:
    """(exact paths, prefixes) to purge when this page is published or unpublished."""
    own_path = _path(page)
    exact = [own_path]
    parent_path = None
    root_path = own_path
    for number, ancestor in enumerate(reversed(page.get_ancestors().specific())):
        path = _path(ancestor) if ancestor.depth > 1 else None
        if number == 0:
            parent_path = path
        if path:
            root_path = path
        exact.append(path)
    values = {"parent": parent_path, "path": own_path, "root": root_path}

    def expand(templates):
        for template in templates:
            if all(f"{{{name}}}" not in template or value for name, value in values.items()):
                yield template.format(**values)

    exact = [path for path in exact if path] + list(expand(rule.paths))
    return sorted(set(exact)), sorted(set(expand(rule.prefixes)))


def purge_page(page, rule: PagePurge | None = None) -> tuple[list[str], list[str]]:
    """Purge what shows this page: its listings (a listed type) or every cached page.

    Returns what was purged (exact paths, prefixes); ``rule`` replaces the page type's.
    """
    from wagtail.models import Page

    datacache.invalidate()
    page = page.specific_deferred if type(page) is Page else page
    rule = rule or page_rule(page)
    if rule is None:
        purge_everything(page)
        return [], ["/"]
    exact, prefixes = purge_plan(page, rule)
    _purge_paths(exact, prefixes)
    if cdn_configured():
        site = page.get_site()
        if site is not None:
            urls = [
                site.root_url + alias for path in exact for alias in pagecache.with_aliases(path)
            ]
            if rule.cdn_urls:
                for url in getattr(page, rule.cdn_urls)():
                    if not url.startswith(site.root_url + "/"):
                        urls.append(url)
                        continue
                    path = url.removeprefix(site.root_url)
                    urls += [site.root_url + alias for alias in pagecache.with_aliases(path)]
            purge_cdn(urls)
    return exact, prefixes


def _purge_paths(exact, prefixes) -> None:
    for path in exact:
        pagecache.purge_path(path)
    for prefix in prefixes:
        pagecache.purge_prefix(prefix)


def purge_page_rows(instance, rule: PageRows) -> None:
    """A row of a ``PageRows`` rule changed: purge its page's plan now and on commit (a reader
    between the two could store the old rows under the new tokens)."""
    from django.db import transaction

    page = getattr(instance, rule.page, None)
    if page is None or not page.live:
        datacache.invalidate()
        return
    exact, prefixes = purge_page(page, rule.purge)
    transaction.on_commit(lambda: _purge_paths(exact, prefixes))


def purge_everything(page=None) -> None:
    datacache.invalidate()
    pagecache.purge_all()
    if cdn_configured():
        from wagtail.models import Site

        if page is not None:
            site = page.get_site()
        else:
            site = Site.objects.filter(is_default_site=True).first()
        if site is not None:
            purge_cdn([site.root_url + "/"])


def cdn_configured() -> bool:
    return bool(settings.WAGTAILFRONTENDCACHE)


def purge_cdn(urls: list[str]) -> None:
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_urls(sorted(set(urls)))
    try:
        batch.purge()
    except Exception:  # noqa: BLE001  a CDN outage must not block publishing
        logger.exception("CDN purge failed")


# --- signal receivers ----------------------------------------------------------------------------


def _historical(model) -> bool:
    """A migration's model (its own app registry): data migrations purge nothing, and on a new
    database the cache (a table created after ``migrate``) may not exist yet."""
    return model._meta.apps is not apps


def _model_saved_or_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if _historical(sender):
        return
    if isinstance(instance, Page):
        datacache.invalidate()  # a draft, a revision pointer: data only
        if kwargs.get("signal") is post_delete:
            purge_everything()
        return
    rule = model_rule(sender)
    if rule == EVERY_PAGE:
        purge_everything()
    elif rule == DATA_ONLY:
        datacache.invalidate()
    elif isinstance(rule, PageRows):
        purge_page_rows(instance, rule)


def _m2m_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    if _historical(type(instance)):
        return
    if isinstance(instance, Page) or model_rule(type(instance)) is not None:
        datacache.invalidate()


def _page_published_or_unpublished(sender, instance, **kwargs):
    purge_page(instance)


def _page_url_changed(sender, **kwargs):
    purge_everything()


def connect() -> None:
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    cache_map()  # an error in the map shows at start-up
    post_save.connect(_model_saved_or_deleted, dispatch_uid="caching-save")
    post_delete.connect(_model_saved_or_deleted, dispatch_uid="caching-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="caching-m2m")
    page_published.connect(_page_published_or_unpublished, dispatch_uid="caching-published")
    page_unpublished.connect(_page_published_or_unpublished, dispatch_uid="caching-unpublished")
    page_slug_changed.connect(_page_url_changed, dispatch_uid="caching-slug")
    post_page_move.connect(_page_url_changed, dispatch_uid="caching-move")
