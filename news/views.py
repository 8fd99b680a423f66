"""Reader-side views outside the page tree: feeds, robots.txt and the Google News sitemap."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe
from wagtail.coreutils import get_supported_content_language_variant

from . import feeds
from .models import ArticlePage, publication_settings

NEWS_SITEMAP_WINDOW = datetime.timedelta(hours=48)
NEWS_SITEMAP_MAX = 1000  # Google's limit per news sitemap


def _feed_view(feed_class):
    # A Feed instance keeps the request on itself, so each request gets a new one.
    @require_safe
    def view(request, *args, **kwargs):
        return feed_class()(request, *args, **kwargs)

    view.__name__ = feed_class.__name__
    return view


rss_all = _feed_view(feeds.ArticleFeed)
atom_all = _feed_view(feeds.ArticleAtomFeed)
rss_tag = _feed_view(feeds.TagFeed)
atom_tag = _feed_view(feeds.TagAtomFeed)
rss_author = _feed_view(feeds.AuthorFeed)
atom_author = _feed_view(feeds.AuthorAtomFeed)


@require_safe
def robots_txt(request):
    return render(request, "news/robots.txt", content_type="text/plain; charset=utf-8")


def content_language() -> str:
    """The Wagtail content language of the reader's language (sr-latn reads sr)."""
    if not settings.WAGTAIL_I18N_ENABLED:
        return settings.LANGUAGE_CODE
    return get_supported_content_language_variant(translation.get_language())


@require_safe
def news_sitemap(request):
    """Google News sitemap: articles published in the last 48 hours."""
    since = timezone.now() - NEWS_SITEMAP_WINDOW
    articles = ArticlePage.objects.live().public()
    language = content_language()
    if settings.WAGTAIL_I18N_ENABLED:  # one sitemap per language: /sq/news-sitemap.xml, ...
        articles = articles.filter(locale__language_code=language)
    articles = (
        articles.filter(display_date__gte=since)
        .defer_streamfields()
        .only("title", "url_path", "display_date", "first_published_at")
        .order_by("-display_date", "-pk")[:NEWS_SITEMAP_MAX]
    )
    return render(
        request,
        "news/news_sitemap.xml",
        {
            "articles": [(article.get_full_url(request), article) for article in articles],
            "publication": publication_settings(request).publication_name,
            # ISO 639 code, as Google News asks (both Serbian scripts are "sr").
            "language": language.split("-")[0],
        },
        content_type="application/xml; charset=utf-8",
    )
