"""Readers' numbers written straight into the daily aggregates (as a flush would)."""

import datetime

from django.utils import timezone


def add_views(page, views, days_ago=0, source="direct", referrer=""):
    from analytics.models import DailyViews

    DailyViews.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        path=page.url,
        page=page,
        source=source,
        referrer=referrer,
        views=views,
    )
