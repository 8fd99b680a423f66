"""Most read: the articles with the most views today and over the last seven days.

``most_read`` is one query; ``config/cache_map.py`` memoises it in the data cache for
``ANALYTICS_MOST_READ_SECONDS``, so a reader's page asks the database at most once per period
(the day is part of its arguments: a new day starts new lists), and the section a reader's page
shows (``most_read_section``) for as long. Only live, public articles are
listed; with Wagtail's i18n on, only those in the reader's locale (the page's).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Page, Site

from . import conf
from .models import DailyViews


def most_read_section(day: str, locale_id: int | None = None) -> str:
    """The "Most read" section of a reader's page as HTML, in the active language ('' when
    nothing was read this week)."""
    lists = most_read(day, locale_id)  # through the module's name: the memoised one
    if not lists["week"]:
        return ""
    return render_to_string("analytics/includes/most_read_section.html", {"lists": lists})


def most_read(day: str, locale_id: int | None = None) -> dict[str, list[dict]]:
    """{"today": [...], "week": [...]} for the site's calendar ``day`` ("YYYY-MM-DD"); each
    item is {"id", "title", "url", "views"}, most views first."""
    today = datetime.date.fromisoformat(day)
    rows = DailyViews.objects.filter(
        day__gt=today - datetime.timedelta(days=7),
        day__lte=today,
        page__content_type__app_label="news",
        page__content_type__model="articlepage",
        page_id__in=Page.objects.live().public().values("id"),
    )
    if locale_id is not None and getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        rows = rows.filter(page__locale_id=locale_id)
    rows = rows.values("page_id", "page__title", "page__url_path").annotate(
        week=Sum("views"), today=Sum("views", filter=Q(day=today))
    )
    roots = Site.get_site_root_paths()
    items = []
    for row in rows:
        url_path = row["page__url_path"]
        root = next((r for r in roots if url_path.startswith(r.root_path)), None)
        url = root and page_url(url_path[len(root.root_path) :], root.language_code)
        if url is None:
            continue
        items.append(
            {
                "id": row["page_id"],
                "title": row["page__title"],
                "url": url,
                "today": row["today"] or 0,
                "week": row["week"] or 0,
            }
        )
    count = conf.get("ANALYTICS_MOST_READ_COUNT")

    def top(period):
        ranked = sorted(
            (item for item in items if item[period]), key=lambda i: (-i[period], i["title"])
        )
        return [
            {"id": item["id"], "title": item["title"], "url": item["url"], "views": item[period]}
            for item in ranked[:count]
        ]

    return {"today": top("today"), "week": top("week")}


def page_url(path: str, language_code: str | None) -> str | None:
    """The page's URL as Wagtail builds it: under its language's prefix when i18n is on."""
    try:
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False) and language_code:
            with translation.override(language_code):
                return reverse("wagtail_serve", args=(path,))
        return reverse("wagtail_serve", args=(path,))
    except NoReverseMatch:
        return None
