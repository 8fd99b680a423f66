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
