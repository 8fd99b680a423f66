"""What editors see: the dashboard panel's numbers and one page's stats (no memo: the admin
always reads the database)."""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.utils import timezone

from .models import SOURCE_CHOICES, DailyReaders, DailyViews, HourlyViews
from .mostread import most_read

SOURCE_LABELS = dict(SOURCE_CHOICES)


def last_hour(now: datetime.datetime | None = None) -> tuple[int, datetime.datetime]:
    """Views since the start of the previous clock hour, and that start."""
    now = now or timezone.now()
    since = now.replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=1)
    views = HourlyViews.objects.filter(hour__gte=since).aggregate(total=Sum("views"))["total"]
    return views or 0, since


def dashboard() -> dict:
    lists = most_read(timezone.localdate().isoformat())
    views, since = last_hour()
    readers = DailyReaders.objects.filter(day=timezone.localdate(), path="*").first()
    return {
        "today": lists["today"],
        "week": lists["week"],
        "last_hour": views,
        "since": timezone.localtime(since),
        "readers_today": readers.readers if readers else 0,
    }


def page_days(page, days: int) -> list[datetime.date]:
    today = timezone.localdate()
    return [today - datetime.timedelta(days=n) for n in range(days - 1, -1, -1)]


def page_stats(page, days: int = 30) -> dict:
    """Views per day (with readers), sources and referring domains of one page."""
    dates = page_days(page, days)
    rows = DailyViews.objects.filter(page=page, day__gte=dates[0])
    per_day = dict(rows.values_list("day").annotate(total=Sum("views")))
    readers = dict(
        DailyReaders.objects.filter(page=page, day__gte=dates[0]).values_list("day", "readers")
    )
    series = [
        {"day": day, "views": per_day.get(day, 0), "readers": readers.get(day, 0)} for day in dates
    ]
    total = sum(point["views"] for point in series)
    sources = [
        {
            "source": source,
            "label": SOURCE_LABELS.get(source, source),
            "views": views,
            "share": round(100 * views / total) if total else 0,
        }
        for source, views in rows.values_list("source")
        .annotate(total=Sum("views"))
        .order_by("-total", "source")
    ]
    referrers = list(
        rows.exclude(referrer="")
        .values_list("referrer", "source")
        .annotate(total=Sum("views"))
        .order_by("-total", "referrer")[:15]
    )
    newsletter = sum(s["views"] for s in sources if s["source"] == "newsletter")
    return {
        "series": series,
        "total": total,
        "sources": sources,
        "referrers": referrers,
        "newsletter": newsletter,
        "days": days,
        "chart": chart(series),
    }


def chart(series: list[dict], width: int = 600, height: int = 160) -> dict:
    """Bar geometry for an SVG chart of views per day (no JavaScript library)."""
    peak = max((point["views"] for point in series), default=0) or 1
    step = width / max(len(series), 1)
    bars = []
    for n, point in enumerate(series):
        bar_height = round(point["views"] / peak * (height - 20), 1)
        bars.append(
            {
                "x": round(n * step + 1, 1),
                "y": round(height - bar_height, 1),
                "width": round(step - 2, 1),
                "height": bar_height,
                "label": f"{point['day']:%d %b}: {point['views']} views",
            }
        )
    return {"bars": bars, "width": width, "height": height, "peak": peak}


def csv_rows(page):
    """Every daily row of a page: day, source, referring domain, views."""
    yield ["day", "source", "referring_domain", "views"]
    for day, source, referrer, views in (
        DailyViews.objects.filter(page=page)
        .order_by("day", "source", "referrer")
        .values_list("day", "source", "referrer", "views")
    ):
        yield [day.isoformat(), source, referrer, views]
