"""RSS 2.0 and Atom feeds (Django's syndication framework): all articles, per tag, per author.

Feeds list exactly what the HTML listings list (``NewsIndexPage.get_articles``: live, public,
newest first) and carry the full text with the lead image.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext
from taggit.models import Tag

from .models import Author, NewsIndexPage, publication_settings

FEED_LENGTH = 20
FEED_IMAGE_SPEC = "width-1200|format-jpeg"
_RELATIVE_URL = re.compile(r'((?:src|href)=")(/[^/])')
_SRCSET = re.compile(r'srcset="([^"]*)"')


class FullTextRss(Rss201rev2Feed):
    """RSS 2.0 with the article body in <content:encoded>."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullTextAtom(Atom1Feed):
    """Atom with the standfirst as <summary> and the article body as <content type="html">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


def absolutise(html: str, request) -> str:
    """Feed readers need absolute URLs for images and links."""
    base = request.build_absolute_uri("/")[:-1]
    html = _RELATIVE_URL.sub(lambda m: m.group(1) + base + m.group(2), html)

    def fix_srcset(match):
        parts = []
        for candidate in match.group(1).split(","):
            candidate = candidate.strip()
            parts.append(base + candidate if candidate.startswith("/") else candidate)
        return 'srcset="' + ", ".join(parts) + '"'

    return _SRCSET.sub(fix_srcset, html)


def site_news_index() -> NewsIndexPage:
    index = NewsIndexPage.find_main()
    if index is None:
        raise Http404("No news index")
    return index


class ArticleFeed(Feed):
    """All articles. Subclasses narrow the listing to a tag or an author."""

    feed_type = FullTextRss

    @property
    def language(self) -> str:
        """The reader's language as a BCP 47 tag: en, sq, sr-Cyrl, sr-Latn."""
        code = translation.get_language() or settings.LANGUAGE_CODE
        return settings.LANGUAGE_TAGS.get(code, code)

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return {"index": site_news_index()}

    def publication(self) -> str:
        return publication_settings(self.request).publication_name

    def title(self, obj):
        return self.publication()

    def link(self, obj):
        return obj["index"].get_url(self.request)

    def description(self, obj):
        return obj["index"].intro or gettext("The latest articles from %(publication)s.") % {
            "publication": self.publication()
        }

    subtitle = description

    def feed_url(self, obj):
        return self.request.path

    def items(self, obj):
        articles = obj["index"].get_articles(
            tag=obj.get("tag"), author=obj.get("author"), renditions=[FEED_IMAGE_SPEC]
        )
        # Full text: the body is needed, so undo the listing's deferral of StreamFields.
        return articles.defer(None).prefetch_related("tags", "corrections")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.updated_at or item.date

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]

    def item_extra_kwargs(self, item):
        return {"content_html": self.full_text(item)}

    def full_text(self, item) -> str:
        """The article's body with its lead image, with absolute URLs (the same in every feed)."""
        image = item.lead_image.get_rendition(FEED_IMAGE_SPEC) if item.lead_image else None
        html = render_to_string(
            "news/feed_item.html", {"article": item, "image": image}, request=self.request
        )
        return absolutise(html, self.request)


class ArticleAtomFeed(ArticleFeed):
    feed_type = FullTextAtom


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return {"index": site_news_index(), "tag": get_object_or_404(Tag, slug=slug)}

    def title(self, obj):
        return f"{obj['tag'].name} | {self.publication()}"

    def link(self, obj):
        return obj["index"].tag_url(obj["tag"], self.request)

    def description(self, obj):
        return gettext("Articles tagged %(tag)s from %(publication)s.") % {
            "tag": obj["tag"].name,
            "publication": self.publication(),
        }

    subtitle = description


class TagAtomFeed(TagFeed):
    feed_type = FullTextAtom


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return {"index": site_news_index(), "author": get_object_or_404(Author, slug=slug)}

    def title(self, obj):
        return f"{obj['author'].name} | {self.publication()}"

    def link(self, obj):
        return obj["index"].author_url(obj["author"], self.request)

    def description(self, obj):
        return gettext("Articles by %(name)s for %(publication)s.") % {
            "name": obj["author"].name,
            "publication": self.publication(),
        }

    subtitle = description


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullTextAtom
