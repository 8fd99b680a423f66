"""Live coverage: a live page under the news index and the short updates posted to it.

A ``LivePage`` is an ordinary Wagtail page (headline, key points, status, closing note); its
updates are ``LiveUpdate`` rows, not part of the page's revisions, so posting one is a single
INSERT and needs no page revision or publish (docs/live.md). Readers get the updates newest
first, paginated ("show older"), with the pinned one on top; ``updates/`` answers the polling
script with JSON and ``feed/`` is an Atom feed of them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models, transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from news.models import CountedPaginator

from . import signals
from .blocks import LiveUpdateBodyBlock

UPDATES_PER_PAGE = 20
# The polling endpoint returns at most this many new updates (a reader who was away longer
# reloads the page).
POLL_MAX = 50
KEY_POINT_FEATURES = ["bold", "italic", "link", "ul", "ol"]
# A live page emails at most one breaking alert in this time.
ALERT_INTERVAL = datetime.timedelta(hours=1)
# How many of a page's newest updates the search index reads.
SEARCH_UPDATES = 1000


def raw_text(stream) -> str:
    """The plain text of an update body's paragraphs, quotes and fact boxes, from its stored
    JSON (``StreamValue.raw_data``) without converting blocks: what search indexes."""
    import html
    import re

    def strip_tags(markup: str) -> str:  # tags become spaces: "<p>a</p><p>b</p>" is "a b"
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))

    raw = getattr(stream, "raw_data", stream) or []
    if isinstance(raw, str):
        import json

        raw = json.loads(raw)
    parts = []
    for item in raw:
        value = item.get("value") if isinstance(item, dict) else None
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "paragraph" and isinstance(value, str):
            parts.append(strip_tags(value))
        elif kind == "quote" and isinstance(value, dict):
            parts += [str(value.get("quote") or ""), str(value.get("attribution") or "")]
        elif kind == "fact_box" and isinstance(value, dict):
            parts.append(str(value.get("title") or ""))
            for fact in value.get("facts") or []:
                if isinstance(fact, dict):
                    fact = fact.get("value", fact)
                    parts += [str(fact.get(k) or "") for k in ("qualifier", "figure", "label")]
        elif kind == "image" and isinstance(value, dict):
            parts.append(str(value.get("caption") or ""))
    return " ".join(" ".join(parts).split())


def update_body(*, text="", image=None, image_alt="", image_caption="", quote="", quote_by=""):
    """StreamField blocks for an update (admin form, API, demo): text, image, quote."""
    body: list[tuple[str, object]] = []
    if text:
        body.append(("paragraph", text))
    if image is not None:
        image.contextual_alt_text = image_alt
        image.decorative = False
        body.append(("image", {"image": image, "caption": image_caption, "credit": ""}))
    if quote:
        body.append(("quote", {"quote": quote, "attribution": quote_by, "role": ""}))
    return body


def prefetch_bodies(updates) -> list:
    """Convert the image blocks of many updates' bodies together: their images in one query and
    their renditions in another, instead of two queries per update with a picture.

    This is what ``StreamValue`` does within one stream (``_prefetch_blocks``, one
    ``bulk_to_python`` per block type), done across the streams of a page of updates.
    """
    from django.db.models import prefetch_related_objects
    from wagtail.blocks import StreamValue

    updates = list(updates)
    block = LiveUpdate._meta.get_field("body").stream_block.child_blocks["image"]
    places = []
    for update in updates:
        stream = update.body
        raw = getattr(stream, "_raw_data", None)
        bound = getattr(stream, "_bound_blocks", None)
        if raw is None or bound is None:
            continue
        places += [
            (stream, i, item)
            for i, item in enumerate(raw)
            if item is not None and item.get("type") == "image" and bound[i] is None
        ]
    if not places:
        return updates
    values = block.bulk_to_python([item["value"] for _, _, item in places])
    for (stream, i, item), value in zip(places, values, strict=True):
        stream._bound_blocks[i] = StreamValue.StreamChild(block, value, id=item.get("id"))
    images = [value["image"] for value in values if value.get("image") is not None]
    prefetch_related_objects(images, "renditions")
    return updates


class LazyUpdates:
    """A page of updates read (with ``prefetch_bodies``) only when a template first iterates
    it: inside a cached fragment, a warm view reads nothing."""

    def __init__(self, queryset):
        self.queryset = queryset
        self._items = None

    def _get(self) -> list:
        if self._items is None:
            self._items = prefetch_bodies(self.queryset)
        return self._items

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class LivePage(RoutablePageMixin, Page):
    """A live blog: timestamped updates, newest first, while something is happening."""

    LIVE = "live"
    ENDED = "ended"

    summary = RichTextField(
        "Key points",
        features=KEY_POINT_FEATURES,
        blank=True,
        help_text="What readers need to know now, as a short list; keep it current.",
    )
    status = models.CharField(
        max_length=10,
        choices=[(LIVE, "Live: updates are being posted"), (ENDED, "Ended: an archive")],
        default=LIVE,
        help_text='While live, the home page and the news index show a "Live" link to it.',
    )
    coverage_start = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to use the time of first publication."
    )
    coverage_end = models.DateTimeField(
        null=True, blank=True, help_text='Leave empty to use the time it was set to "Ended".'
    )
    closing_note = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Shown at the top once the coverage has ended, e.g. where to follow the story.",
    )
    alert_newsletter = models.ForeignKey(
        "newsletter.Newsletter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Breaking alerts go to",
        help_text="The newsletter whose subscribers get an email when an update is marked "
        '"breaking" (at most one an hour). Empty: no alerts from this page.',
    )

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        TitleFieldPanel("title", heading="Headline"),
        "summary",
        MultiFieldPanel(
            ["status", "coverage_start", "coverage_end", "closing_note"], heading="Coverage"
        ),
        FieldPanel("alert_newsletter", heading="Breaking alerts"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("closing_note"),
        # The updates' text: the reader search finds a live page by what was posted to it
        # (re-indexed whenever an update is saved or deleted, see LiveConfig.ready).
        index.SearchField("updates_text"),
        index.FilterField("status"),
        index.FilterField("expire_at"),  # the reader search's filter, with a search server
    ]

    class Meta:
        verbose_name = "live page"

    @property
    def is_live(self) -> bool:
        return self.status == self.LIVE

    @property
    def started_at(self):
        return self.coverage_start or self.first_published_at or self.latest_revision_created_at

    @property
    def summary_text(self) -> str:
        from django.utils.html import strip_tags

        return strip_tags(self.summary)

    def updates_text(self) -> str:
        """The visible updates' text, newest first, for the search index and search snippets.

        Read from the stored JSON of the bodies (no block conversion): one query, once per
        instance (the index asks for it several times; re-indexing loads the page afresh).
        """
        if getattr(self, "_updates_text", None) is not None:
            return self._updates_text
        rows = (
            self.updates.filter(withdrawn=False)
            .order_by("-posted_at", "-pk")
            .values_list("body", flat=True)[:SEARCH_UPDATES]
        )
        self._updates_text = " ".join(filter(None, (raw_text(body) for body in rows)))
        return self._updates_text

    @property
    def ended_at(self):
        if self.is_live:
            return None
        return self.coverage_end or self.last_published_at

    def save(self, *args, **kwargs):
        if not self.is_live and self.coverage_end is None:
            self.coverage_end = timezone.now()
        return super().save(*args, **kwargs)

    @classmethod
    def find_open(cls) -> list[LivePage]:
        """Live pages still being updated, newest first: home and the news index link them (in
        the reader's language on a site with several)."""
        pages = cls.objects.live().public().filter(status=cls.LIVE)
        if settings.WAGTAIL_I18N_ENABLED:
            language = get_supported_content_language_variant(translation.get_language())
            pages = pages.filter(locale__language_code=language)
        return list(pages.order_by("-first_published_at")[:3])

    # --- breaking alerts -----------------------------------------------------------------

    def last_alert_at(self):
        return (
            self.updates.filter(breaking=True)
            .order_by("-posted_at")
            .values_list("posted_at", flat=True)
            .first()
        )

    def alert_refusal(self, now=None) -> AlertRefused | None:
        """Why an update posted now may not be a breaking alert, or None when it may."""
        if self.alert_newsletter_id is None:
            return AlertRefused(
                "This live page sends no breaking alerts: choose a newsletter under "
                '"Breaking alerts" when editing the page.'
            )
        if not self.alert_newsletter.active:
            return AlertRefused(
                f"The newsletter {self.alert_newsletter.name} is not active: activate it, or "
                'choose another under "Breaking alerts" when editing the page.'
            )
        last = self.last_alert_at()
        now = now or timezone.now()
        if last is not None and now - last < ALERT_INTERVAL:
            local = timezone.localtime(last)
            after = timezone.localtime(last + ALERT_INTERVAL)
            return AlertRefused(
                f"A breaking alert for this page went out at {local:%H:%M}: at most one an hour."
                f' The next can go at {after:%H:%M}. Untick "Breaking" to post this update'
                " without an email.",
                retry_at=last + ALERT_INTERVAL,
            )
        return None

    def post_update(self, *, breaking: bool = False, **fields) -> LiveUpdate:
        """Post an update (the admin form and the API). ``breaking`` also emails an alert to
        the page's newsletter, once the update is saved; ``AlertRefused`` when the page may
        not send one now (nothing is posted then)."""
        with transaction.atomic():
            if breaking:
                # The page row is locked (PostgreSQL) so that two breaking posts at the same
                # moment cannot both pass the check.
                list(Page.objects.select_for_update().filter(pk=self.pk).values_list("pk"))
                refusal = self.alert_refusal()
                if refusal is not None:
                    raise refusal
            update = LiveUpdate.objects.create(page=self, breaking=breaking, **fields)
            if breaking:
                transaction.on_commit(
                    lambda: signals.breaking_update.send(sender=LiveUpdate, update=update)
                )
        return update

    # --- what readers see ------------------------------------------------------------------

    def visible_updates(self):
        """Updates readers see (not withdrawn), newest first, with their byline."""
        return self.updates.filter(withdrawn=False).select_related("author")

    @cached_property
    def pinned_update(self) -> LiveUpdate | None:
        return self.visible_updates().filter(pinned=True).first()

    def paginate(self, request):
        paginator = CountedPaginator(
            self.listed_updates(), UPDATES_PER_PAGE, count=self.count_listed
        )
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = LazyUpdates(page.object_list)
        return page

    def count_listed(self) -> int:
        """How many entries the timeline has (memoised: config/cache_map.py)."""
        return self.listed_updates().count()

    def listed_updates(self):
        """The timeline: visible updates and the notices of withdrawn ones, newest first."""
        return self.updates.filter(
            models.Q(withdrawn=False) | ~models.Q(correction_note="")
        ).select_related("author")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["updates"] = self.paginate(request)
        context["pinned"] = lambda: self.pinned_update  # asked inside the cached fragment
        return context

    @path("")
    def timeline(self, request):
        return self.render(request)

    @path("updates/")
    def updates_json(self, request):
        """New updates for the polling script: ``?after=<id>`` (an update of this page, or 0)."""
        after = request.GET.get("after", "0")
        if not after.isdigit() or len(after) > 18:
            return HttpResponseBadRequest("after must be the id of an update")
        after = int(after)
        if after and not self.updates.filter(pk=after).exists():
            # Not an update of this page: no cache entry for made-up values.
            return JsonResponse({"error": "unknown update"}, status=404)
        return JsonResponse(self.poll_data(request, after))

    def poll_data(self, request, after: int) -> dict:
        from django.template.loader import render_to_string

        new = prefetch_bodies(
            self.visible_updates().filter(pk__gt=after).order_by("-pk")[:POLL_MAX]
        )
        withdrawn = list(
            self.updates.filter(withdrawn=True, pk__lte=after).values_list("pk", flat=True)
        )
        latest = self.updates.order_by("-pk").values_list("pk", flat=True).first() or 0
        return {
            "latest": latest,
            "status": self.status,
            "more": len(new) == POLL_MAX,
            "withdrawn": withdrawn,
            "updates": [
                {
                    "id": update.pk,
                    "html": render_to_string(
                        "live/includes/update.html",
                        {"update": update, "page": self, "request": request},
                    ),
                }
                for update in new
            ],
        }

    @path("feed/")
    def feed(self, request):
        from .feeds import LiveUpdatesFeed

        return LiveUpdatesFeed()(request, page=self)


class AlertRefused(Exception):
    """A breaking alert the page may not send now; the message says why, for the editor.
    ``retry_at``: when the next one may go (None: not before the page chooses a newsletter)."""

    def __init__(self, message: str, retry_at=None):
        super().__init__(message)
        self.retry_at = retry_at


class LiveUpdate(models.Model):
    """One timestamped update of a live page. Saving one purges exactly what shows it
    (``config/cache_map.py``); it is never part of a page revision."""

    page = models.ForeignKey(LivePage, on_delete=models.CASCADE, related_name="updates")
    posted_at = models.DateTimeField(default=timezone.now, db_index=True)
    author = models.ForeignKey(
        "news.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_updates",
        help_text="The byline readers see.",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(LiveUpdateBodyBlock(), help_text="Text, an image, a quote, facts.")
    pinned = models.BooleanField(
        default=False, help_text="Shown at the top of the page (the newest pinned update)."
    )
    withdrawn = models.BooleanField(
        default=False,
        help_text="Removes the update from the page, the feed and the API. Say why below.",
    )
    correction_note = models.TextField(
        blank=True,
        max_length=500,
        help_text="What was wrong: shown under an edited update, or in place of a withdrawn one.",
    )
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    breaking = models.BooleanField(
        default=False,
        editable=False,
        help_text="Posted as breaking news: an alert was emailed to the page's newsletter.",
    )

    panels = ["page", "author", "body", "pinned", "withdrawn", "correction_note"]

    class Meta:
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["page", "-posted_at", "-id"], name="live_update_page")]
        verbose_name = "live update"
        permissions = [("alert_liveupdate", "Can email a breaking alert")]

    def __str__(self) -> str:
        local = timezone.localtime(self.posted_at)
        return f"{self.page.title}: {local:%d %b %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk and kwargs.get("update_fields") is None:
            self.edited_at = timezone.now()  # an edit in the admin or the API
        return super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"

    def get_url(self, request=None) -> str:
        return f"{self.page.get_url(request)}#{self.anchor}"

    @property
    def headline(self) -> str:
        """A one-line summary for feeds and alerts: the first words of the update."""
        words = self.text_content() or "Update"
        return (words[:97] + "…") if len(words) > 100 else words

    def text_content(self) -> str:
        """The update as plain text (feeds, the API, alerts): no markup, and nothing of a
        script or style element should one have been stored."""
        import re

        from django.utils.html import strip_tags

        parts = []
        for block in self.body:
            if block.block_type == "paragraph":
                source = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", block.value.source)
                parts.append(strip_tags(source))
            elif block.block_type == "quote":
                parts.append(f"“{block.value['quote']}” {block.value['attribution']}")
            elif block.block_type == "fact_box":
                parts.append(block.block.plain_text(block.value))
        return " ".join(" ".join(parts).split())
