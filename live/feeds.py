"""The Atom feed of a live page's updates (``<page url>feed/``): newest first, full text."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from news.feeds import ArticleFeed, FullTextAtom, WrittenFeed, absolutise
from news.models import publication_settings

from .models import prefetch_bodies

FEED_LENGTH = 50


class LiveUpdatesFeed(Feed):
    feed_type = FullTextAtom
    language = ArticleFeed.language  # the reader's: en, sq, sr-Cyrl, sr-Latn

    def __call__(self, request, *args, page=None, **kwargs):
        self.request = request
        self.page = page
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return self.page

    def get_feed(self, obj, request):
        # Sent in one write, not one per XML element (news.feeds.WrittenFeed).
        return WrittenFeed.of(super().get_feed(obj, request))

    def title(self, obj):
        return f"{obj.title} | {publication_settings(self.request).publication_name}"

    def link(self, obj):
        return obj.get_url(self.request)

    def subtitle(self, obj):
        if obj.is_live:
            return gettext("Live coverage: every update, newest first.")
        return gettext("Live coverage (ended): every update, newest first.")

    def feed_url(self, obj):
        return self.request.path

    def items(self, obj):
        return prefetch_bodies(obj.visible_updates()[:FEED_LENGTH])

    def item_title(self, item):
        return f"{timezone.localtime(item.posted_at):%H:%M} {item.headline}"

    def item_description(self, item):
        return item.headline

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item):
        return item.posted_at

    def item_updateddate(self, item):
        return item.edited_at or item.posted_at

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_extra_kwargs(self, item):
        html = render_to_string("live/feed_item.html", {"update": item}, request=self.request)
        return {"content_html": absolutise(html, self.request)}
