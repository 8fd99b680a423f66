"""Live pages and updates for the live tests and the live browser test."""

from __future__ import annotations

import datetime
import json

from django.utils import timezone


def make_live_page(index, *, slug="border-live", title="Live: border crossings", **fields):
    from live.models import LivePage

    fields.setdefault("summary", "<ul><li>Two crossings are closed.</li></ul>")
    page = LivePage(title=title, slug=slug, **fields)
    index.add_child(instance=page)
    page.save_revision().publish()
    return LivePage.objects.get(pk=page.pk)


def post(page, text, *, minutes_ago=0, **fields):
    """An update as the admin form posts it (a paragraph of text)."""
    from live.models import LiveUpdate

    return LiveUpdate.objects.create(
        page=page,
        body=[("paragraph", f"<p>{text}</p>")],
        posted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **fields,
    )


def draftail(text: str) -> str:
    """The Draftail editor's form value for one paragraph of plain text."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }
    )


def api_post(client, page, data, token=None, **extra):
    """POST an update to ``/api/v3/live/<page>/updates/`` with a bearer token."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(
        f"/api/v3/live/{page.pk}/updates/",
        body,
        content_type="application/json",
        **headers,
        **extra,
    )


def alerting_page(index, *, readers=3, slug="alert-live", **fields):
    """A live page whose breaking alerts go to a "Breaking news" newsletter with ``readers``
    confirmed subscribers (alert0@... upwards), and a second newsletter that gets none."""
    from tests.support.newsletter import make_newsletter, make_subscribers

    breaking = make_newsletter("breaking-news", name="Breaking news", cadence="manual")
    other = make_newsletter("morning", name="Morning", cadence="daily")
    make_subscribers(readers, prefix="alert", newsletters=[breaking])
    make_subscribers(2, prefix="morning", newsletters=[other])
    page = make_live_page(index, slug=slug, alert_newsletter=breaking, **fields)
    return page, breaking
