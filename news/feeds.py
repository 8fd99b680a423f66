"""RSS 2.0 and Atom feeds (Django's syndication framework): all articles, per tag, per author.

Feeds list exactly what the HTML listings list (``NewsIndexPage.get_articles``: live, public,
newest first) and carry the full text with the lead image.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext, pgettext

from .models import NewsIndexPage, publication_settings

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


class FeedEntry(NamedTuple):
    """One article as a feed lists it."""

    title: str
    description: str
    link: str
    guid: str
    pubdate: datetime.datetime
    updateddate: datetime.datetime
    author_name: str | None
    categories: list[str]
    content_html: str


class WrittenFeed(NamedTuple):
    """A feed as written: what ``Feed.__call__`` asks of a feed generator, kept as text."""

    content_type: str
    latest: datetime.datetime
    text: str

    @classmethod
    def of(cls, generator) -> WrittenFeed:
        """Write ``generator`` (a Django feed generator) once, as text."""
        return cls(
            generator.content_type, generator.latest_post_date(), generator.writeString("utf-8")
        )

    def latest_post_date(self) -> datetime.datetime:
        return self.latest

    def write(self, outfile, encoding) -> None:
        outfile.write(self.text)


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

    def get_feed(self, obj, request):
        return self.written(obj)

    def written(self, obj) -> WrittenFeed:
        """The whole document for this listing, URL and language (``config/cache_map.py``
        keeps it until the next change)."""
        return WrittenFeed.of(super().get_feed(obj, self.request))

    def publication(self) -> str:
        return publication_settings(self.request).publication_name

    def feed_name(self) -> str:
        """The publication's name as a feed's title gives it: "The Balkan Report" in English
        (and on a site with one language), "The Balkan Report në shqip" and "... на српском"
        in the other languages, so that a reader's feeds say which language each is in."""
        return pgettext("feed title", "%(publication)s") % {"publication": self.publication()}

    def title(self, obj):
        return self.feed_name()

    def link(self, obj):
        return obj["index"].get_url(self.request)

    def description(self, obj):
        """The news index's intro, when the index has its own: a language's index made as an
        alias of the English one (wagtail-localize does so for an article's first translation)
        repeats the English intro, so its feed says the catalogue's sentence instead."""
        index = obj["index"]
        if index.intro and index.alias_of_id is None:
            return index.intro
        return gettext("The latest articles from %(publication)s.") % {
            "publication": self.publication()
        }

    subtitle = description

    def feed_url(self, obj):
        return self.request.path

    def items(self, obj):
        return self.entries(obj)

    def articles(self, obj):
        articles = obj["index"].get_articles(
            tag=obj.get("tag"), author=obj.get("author"), renditions=[FEED_IMAGE_SPEC]
        )
        # Full text: the body is needed, so undo the listing's deferral of StreamFields.
        return articles.defer(None).prefetch_related("tags", "corrections")[:FEED_LENGTH]

    def entries(self, obj) -> list[FeedEntry]:
        """The feed's items as plain values: what the articles' rows, bylines, tags and full
        texts give (``config/cache_map.py`` keeps them, so a feed is written without loading
        its articles)."""
        return [self.entry(article) for article in self.articles(obj)]

    def entry(self, article) -> FeedEntry:
        url = article.get_url(self.request)
        return FeedEntry(
            title=article.title,
            description=article.standfirst,
            link=url,
            guid=self.request.build_absolute_uri(url),
            pubdate=article.date,
            updateddate=article.updated_at or article.date,
            author_name=", ".join(author.name for author in article.authors) or None,
            categories=[tag.name for tag in article.tag_list],
            content_html=self.full_text(article),
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    def item_pubdate(self, item):
        return item.pubdate

    def item_updateddate(self, item):
        return item.updateddate

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return item.categories

    def item_extra_kwargs(self, item):
        return {"content_html": item.content_html}

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
        tag = NewsIndexPage.find_tag(slug)
        if tag is None:
            raise Http404("No such tag")
        return {"index": site_news_index(), "tag": tag}

    def title(self, obj):
        return f"{obj['tag'].name} | {self.feed_name()}"

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
        author = NewsIndexPage.find_author(slug)
        if author is None:
            raise Http404("No such author")
        return {"index": site_news_index(), "author": author}

    def title(self, obj):
        return f"{obj['author'].name} | {self.feed_name()}"

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
