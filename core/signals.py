"""Purge the page cache (and the CDN, when one is configured) when content changes.

Publishing, changing or unpublishing an article purges the article itself, the home page, its
news index (every page of it), all tag and author pages under the index and the feeds. The list
of prefixes is the ``PAGE_CACHE_ARTICLE_PURGE_PREFIXES`` setting, so new listings (sitemaps,
other feeds) are one line away. Anything that changes every page (site settings, authors,
images, view restrictions, moves, slug changes, other page types) purges everything.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import pagecache

logger = logging.getLogger(__name__)

DEFAULT_ARTICLE_PURGE_PREFIXES = (
    "{index}tag/",
    "{index}author/",
    "{index}feed/",
    "{index}rss/",
    "{index}atom/",
    "/feed/",
    "/feeds/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-pages.xml",
    "/sitemap-news.xml",
    "/news-sitemap.xml",
)


def _path(page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def article_purge_plan(page) -> tuple[list[str], list[str]]:
    """(exact paths, prefixes) to purge when this article changes."""
    exact = [p for p in [_path(page)] if p]
    index = page.get_parent()
    index_path = _path(index) if index else None
    home = index.get_parent() if index else None
    home_path = _path(home) if home else None
    exact += [p for p in (index_path, home_path, "/") if p]
    prefixes = []
    for template in getattr(
        settings, "PAGE_CACHE_ARTICLE_PURGE_PREFIXES", DEFAULT_ARTICLE_PURGE_PREFIXES
    ):
        if "{index}" in template and not index_path:
            continue
        prefixes.append(template.format(index=index_path or "/"))
    return sorted(set(exact)), sorted(set(prefixes))


def purge_for_page(page) -> None:
    page = page.specific_deferred if type(page) is Page else page
    from news.models import ArticlePage

    if not isinstance(page, ArticlePage):
        pagecache.purge_all()
        purge_cdn_all_listings(page)
        return
    exact, prefixes = article_purge_plan(page)
    for path in exact:
        pagecache.purge_path(path)
    for prefix in prefixes:
        pagecache.purge_prefix(prefix)
    purge_cdn(page, exact)


def _cdn_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_cdn(page, exact_paths) -> None:
    """Listing URLs for the CDN; wagtail.contrib.frontend_cache purges the page itself."""
    if not _cdn_configured():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    site = page.get_site()
    if site is None:
        return
    root = site.root_url
    urls = [root + path for path in exact_paths]
    index_path = _path(page.get_parent()) or "/"
    urls += [root + reverse("feed-rss"), root + reverse("feed-atom")]
    for tag in page.tags.all():
        urls.append(f"{root}{index_path}tag/{tag.slug}/")
        urls += [
            root + reverse(name, args=[tag.slug]) for name in ("feed-tag-rss", "feed-tag-atom")
        ]
    for author in getattr(page, "authors", []):
        urls.append(f"{root}{index_path}author/{author.slug}/")
        urls += [
            root + reverse(name, args=[author.slug])
            for name in ("feed-author-rss", "feed-author-atom")
        ]
    batch = PurgeBatch()
    batch.add_urls(sorted(set(urls)))
    try:
        batch.purge()
    except Exception:  # noqa: BLE001  a CDN outage must not block publishing
        logger.exception("CDN purge failed")


def purge_cdn_all_listings(page) -> None:
    if not _cdn_configured():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    site = page.get_site() if hasattr(page, "get_site") else None
    if site is None:
        return
    batch = PurgeBatch()
    batch.add_urls([site.root_url + "/"])
    try:
        batch.purge()
    except Exception:  # noqa: BLE001
        logger.exception("CDN purge failed")


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs):
    purge_for_page(instance)


@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_url_changed(sender, **kwargs):
    pagecache.purge_all()


@receiver(post_delete)
def _deleted(sender, instance, **kwargs):
    if isinstance(instance, Page | PageViewRestriction):
        pagecache.purge_all()


@receiver(post_save)
def _site_wide_change(sender, instance, **kwargs):
    """Objects shown on many pages: a change to any of them purges everything."""
    label = sender._meta.label
    if label in getattr(
        settings,
        "PAGE_CACHE_PURGE_ALL_ON_SAVE",
        (
            "home.SiteSettings",
            "news.Author",
            "wagtailcore.PageViewRestriction",
            "wagtailcore.Site",
            "wagtailimages.Image",
            "wagtailredirects.Redirect",
        ),
    ):
        pagecache.purge_all()


def _connect_login_throttle():
    from django.contrib.auth.signals import user_login_failed

    from .middleware import record_login_failure

    user_login_failed.connect(record_login_failure, dispatch_uid="core-login-throttle")


_connect_login_throttle()
