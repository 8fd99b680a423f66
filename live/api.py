"""Posting to a live page through Wagtail's v3 API (``/api/v3/live/``; django-ninja).

Requests carry ``Authorization: Bearer <token>`` (an ``APIToken`` an editor makes in the admin
under Settings → Users → API tokens); the token's user needs the same rights as in the admin
(``live.add_liveupdate`` to post, ``live.change_liveupdate`` to pin or withdraw). Wagtail's
error handlers answer: no or a wrong token 401, no right 403, a bad body 422, a bad rich text
format 400. Text is database HTML or ``{"format": "db_markdown", "content": "..."}``, cleaned to
the paragraph block's features (docs/live.md has a curl example).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, model_validator
from wagtail.api.rich_text import APIRichText
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

from news.blocks import PARAGRAPH_FEATURES
from news.models import Author

from .models import AlertRefused, LivePage, LiveUpdate, update_body

router = Router(tags=["live"])


class UpdateIn(Schema):
    text: str | dict = Field("", description="Database HTML, or a rich text envelope.")
    quote: str = Field("", max_length=500)
    quote_by: str = Field("", max_length=120)
    author: str | None = Field(None, description="The slug of the byline's author.")
    pinned: bool = False
    breaking: bool = Field(
        False,
        description="Also email a breaking alert to the live page's newsletter (the right "
        "live.alert_liveupdate; at most one an hour per live page, else 429).",
    )

    @model_validator(mode="after")
    def something_to_say(self):
        if not (self.text or self.quote):
            raise ValueError("Give some text or a quote.")
        if self.quote and not self.quote_by.strip():
            raise ValueError("Say who said the quote (quote_by).")
        return self


class UpdateChange(Schema):
    pinned: bool | None = None
    withdrawn: bool | None = None
    correction_note: str | None = Field(None, max_length=500)


class UpdateOut(Schema):
    id: int
    url: str
    posted_at: datetime.datetime
    author: str | None
    pinned: bool
    withdrawn: bool
    breaking: bool
    text: str
    body: list[dict]


def _out(request, update: LiveUpdate) -> dict:
    return {
        "id": update.pk,
        "url": request.build_absolute_uri(update.get_url(request)),
        "posted_at": update.posted_at,
        "author": update.author.name if update.author else None,
        "pinned": update.pinned,
        "withdrawn": update.withdrawn,
        "breaking": update.breaking,
        "text": update.text_content(),
        "body": update.body.get_prep_value(),
    }


def _require(request, action: str) -> None:
    if not request.user.has_perm(f"live.{action}_liveupdate"):
        raise PermissionDenied(f"This token's user may not {action} live updates.")


@router.get(
    "/{page_id}/updates/",
    response=list[UpdateOut],
    auth=[BearerTokenAuth(), AllowAnonymous()],
    url_name="live_updates",
    summary="A live page's updates, newest first",
)
def list_updates(request, page_id: int, after: int = 0, limit: int = 50):
    page = get_object_or_404(LivePage.objects.live().public(), pk=page_id)
    updates = page.visible_updates().filter(pk__gt=after).order_by("-pk")[: max(1, min(limit, 100))]
    return [_out(request, update) for update in updates]


@router.post(
    "/{page_id}/updates/",
    response={201: UpdateOut},
    auth=BearerTokenAuth(),
    url_name="live_post_update",
    summary="Post an update to a live page (published at once)",
)
def post_update(request, page_id: int, data: UpdateIn):
    _require(request, "add")
    page = get_object_or_404(LivePage, pk=page_id)
    text = ""
    if data.text:
        text, _removed = APIRichText.convert_input(data.text, features=PARAGRAPH_FEATURES)
        if not strip_tags(text).strip():
            text = ""
    if not (text or data.quote):
        raise unprocessable("The text is empty once cleaned.")
    author = None
    if data.author:
        author = Author.objects.filter(slug=data.author).first()
        if author is None:
            raise unprocessable(f"No author with the slug {data.author!r}.")
    if data.breaking and not request.user.has_perm("live.alert_liveupdate"):
        raise PermissionDenied("This token's user may not email breaking alerts.")
    try:
        update = page.post_update(
            body=update_body(text=text, quote=data.quote, quote_by=data.quote_by),
            author=author,
            pinned=data.pinned,
            posted_by=request.user,
            breaking=data.breaking,
        )
    except AlertRefused as refusal:
        # Nothing is posted: the tool may post again without "breaking".
        if refusal.retry_at is not None:
            raise HttpError(429, str(refusal)) from refusal
        raise unprocessable(str(refusal)) from refusal
    return Status(201, _out(request, update))


@router.patch(
    "/updates/{update_id}/",
    response=UpdateOut,
    auth=BearerTokenAuth(),
    url_name="live_change_update",
    summary="Pin, unpin or withdraw an update",
)
def change_update(request, update_id: int, data: UpdateChange):
    _require(request, "change")
    update = get_object_or_404(LiveUpdate.objects.select_related("page", "author"), pk=update_id)
    fields = []
    for name in ("pinned", "withdrawn", "correction_note"):
        value = getattr(data, name)
        if value is not None:
            setattr(update, name, value)
            fields.append(name)
    if update.withdrawn and not update.correction_note.strip():
        raise unprocessable("Say why the update is withdrawn (correction_note).")
    if fields:
        update.save(update_fields=fields)
    return _out(request, update)


def unprocessable(message: str):
    """A 422 with Wagtail's problem+json body (its handler for Django ValidationError)."""
    from django.core.exceptions import ValidationError

    return ValidationError(message)


_registered = False


def register() -> None:
    """Add the router to Wagtail's v3 API (once; before its URLs are read)."""
    global _registered
    if _registered:
        return
    from wagtail.api.v3.api import api

    api.add_router("/live/", router)
    _registered = True
