"""Demo readers' numbers: two weeks of views per article, so Most read, the dashboard panel and
the stats views have something to show. Deterministic and idempotent (existing rows are kept)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

# (source, referring domain, share of a day's views)
DEMO_SOURCES = [
    ("direct", "", 0.35),
    ("search", "google.com", 0.25),
    ("social", "facebook.com", 0.15),
    ("newsletter", "", 0.15),
    ("referral", "balkaninsight.com", 0.05),
    ("internal", "", 0.05),
]


def load_demo_counts(days: int = 14, now: datetime.datetime | None = None) -> int:
    """Daily, hourly and reader rows for every live article; the number of rows added."""
    from analytics.models import DailyReaders, DailyViews, HourlyViews
    from news.models import ArticlePage

    now = now or timezone.now()
    today = timezone.localdate(now)
    daily, hourly, readers = [], [], []
    site_readers: dict[datetime.date, int] = {}
    for rank, article in enumerate(
        ArticlePage.objects.live().order_by("-display_date", "pk"), start=1
    ):
        rng = random.Random(f"{article.slug}")  # noqa: S311  (demo numbers)
        popularity = 400 / rank
        url = article.url
        for back in range(days):
            day = today - datetime.timedelta(days=back)
            if day < timezone.localdate(article.date):
                continue
            total = int(popularity * rng.uniform(0.4, 1.2) / (1 + back / 3))
            for source, referrer, share in DEMO_SOURCES:
                views = int(total * share)
                if views:
                    daily.append(
                        DailyViews(
                            day=day,
                            path=url,
                            page=article,
                            source=source,
                            referrer=referrer,
                            views=views,
                        )
                    )
            reader_count = int(total * 0.7)
            readers.append(DailyReaders(day=day, path=url, page=article, readers=reader_count))
            site_readers[day] = site_readers.get(day, 0) + reader_count
        start = now.replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=5)
        for hour in range(6):
            views = int(popularity / 30 * rng.uniform(0.5, 1.5))
            if views:
                hourly.append(
                    HourlyViews(
                        hour=start + datetime.timedelta(hours=hour),
                        path=url,
                        page=article,
                        source="direct",
                        views=views,
                    )
                )
    readers += [DailyReaders(day=day, path="*", readers=n) for day, n in site_readers.items()]
    added = 0
    for model, rows in ((DailyViews, daily), (HourlyViews, hourly), (DailyReaders, readers)):
        before = model.objects.count()
        model.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        added += model.objects.count() - before
    return added
