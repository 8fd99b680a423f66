"""Health of scheduled publishing, for /healthz/ and the dashboard.

A page is *overdue* when Wagtail should already have published it (an approved revision whose
go-live time has passed) or unpublished it (a live page whose expiry time has passed), and more
than ``grace`` has gone by: the scheduler (``manage.py run_scheduler``, the Procfile's
``scheduler`` process) runs every minute, so a few minutes late means it is not running.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.models import Page, Revision

DEFAULT_GRACE = datetime.timedelta(minutes=5)


def overdue_scheduled_pages(
    grace: datetime.timedelta = DEFAULT_GRACE, now: datetime.datetime | None = None
) -> list[dict]:
    """Pages whose scheduled publication or expiry is late by more than ``grace``.

    Each item: ``{"id", "title", "action": "publish" | "unpublish", "due": datetime,
    "late_by_seconds": int}``. Empty when all is well. Two small queries, no page rendering.
    """
    now = now or timezone.now()
    cutoff = now - grace
    overdue = []
    for revision in Revision.page_revisions.filter(approved_go_live_at__lt=cutoff).order_by(
        "approved_go_live_at"
    ):
        overdue.append(
            {
                "id": int(revision.object_id),
                "title": revision.object_str,
                "action": "publish",
                "due": revision.approved_go_live_at,
                "late_by_seconds": int((now - revision.approved_go_live_at).total_seconds()),
            }
        )
    for page in Page.objects.filter(live=True, expire_at__lt=cutoff).order_by("expire_at"):
        overdue.append(
            {
                "id": page.pk,
                "title": page.title,
                "action": "unpublish",
                "due": page.expire_at,
                "late_by_seconds": int((now - page.expire_at).total_seconds()),
            }
        )
    return overdue


def scheduler_status(grace: datetime.timedelta = DEFAULT_GRACE) -> dict:
    """A JSON-friendly summary: {"ok": bool, "overdue": [...]} with ISO dates."""
    overdue = overdue_scheduled_pages(grace)
    return {
        "ok": not overdue,
        "overdue": [{**item, "due": item["due"].isoformat()} for item in overdue],
    }
