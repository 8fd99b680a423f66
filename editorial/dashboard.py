"""The "Newsroom" panel on the admin dashboard: what is waiting, what is scheduled, what is out."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, WorkflowState

PANEL_LIMIT = 8


def site_time_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def in_site_time(value):
    return timezone.localtime(value, site_time_zone()) if value else None


def awaiting_review(limit: int = PANEL_LIMIT) -> list[dict]:
    """Articles in the "Editorial review" workflow (or any workflow), oldest request first."""
    from news.models import ArticlePage

    states = (
        WorkflowState.objects.active()
        .filter(content_type=ContentType.objects.get_for_model(ArticlePage))
        .select_related("requested_by", "current_task_state__task")
        .order_by("created_at")[:limit]
    )
    pages = Page.objects.in_bulk([int(state.object_id) for state in states])
    rows = []
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None:
            continue
        rows.append(
            {
                "page": page,
                "title": page.get_admin_display_title(),
                "requested_by": state.requested_by,
                "submitted_at": in_site_time(state.created_at),
                "task": state.current_task_state.task if state.current_task_state else None,
            }
        )
    return rows


def scheduled(limit: int = PANEL_LIMIT) -> list[dict]:
    """Page revisions approved to go live later, soonest first, with times in the site's zone."""
    revisions = Revision.page_revisions.filter(approved_go_live_at__isnull=False).order_by(
        "approved_go_live_at"
    )[:limit]
    pages = Page.objects.in_bulk([int(revision.object_id) for revision in revisions])
    now = timezone.now()
    rows = []
    for revision in revisions:
        page = pages.get(int(revision.object_id))
        if page is None:
            continue
        rows.append(
            {
                "page": page,
                "title": revision.object_str or page.get_admin_display_title(),
                "go_live_at": in_site_time(revision.approved_go_live_at),
                "overdue": revision.approved_go_live_at <= now,
            }
        )
    return rows


def recently_published(limit: int = PANEL_LIMIT):
    from news.models import ArticlePage

    return list(
        ArticlePage.objects.live()
        .defer_streamfields()
        .filter(last_published_at__isnull=False)
        .order_by("-last_published_at")[:limit]
    )


class NewsroomPanel(Component):
    name = "newsroom"
    template_name = "editorial/newsroom_panel.html"
    order = 50

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context.update(
            awaiting_review=awaiting_review(),
            scheduled=scheduled(),
            recently_published=[
                {"page": page, "published_at": in_site_time(page.last_published_at)}
                for page in recently_published()
            ],
            time_zone=settings.TIME_ZONE,
        )
        return context
