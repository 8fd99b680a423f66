"""From the store into the database: hourly and daily aggregates (``manage.py flush_analytics``
and the scheduler's "analytics flush" job, every minute).

Crash-safe: the pending counts are first renamed to a batch (views pushed meanwhile start a new
one); a batch is written in one transaction together with a ``FlushedBatch`` row naming it, and
only then deleted from the store. A crash before the commit leaves the batch for the next pass;
a crash after it leaves a batch whose id is already recorded, which the next pass deletes
without counting it again.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from . import conf
from .classify import SOURCES
from .models import DailyReaders, DailyViews, FlushedBatch, HourlyViews
from .store import SITE_WIDE, get_store, local_day

logger = logging.getLogger(__name__)


def _root_paths() -> list[str]:
    return [root.root_path for root in Site.get_site_root_paths()]


def _relative(url_path: str, roots: list[str]) -> str | None:
    for root in roots:
        if url_path.startswith(root):
            return "/" + url_path[len(root) :]
    return None


def resolve(keys) -> dict[str, tuple[str, int | None]]:
    """page key ("/path/" or "#<page id>") -> (path, page id or None); unknown ids are left out.

    A path belongs to the deepest page whose URL starts it (a tag page to its news index);
    paths no page owns (search) are kept with no page.
    """
    roots = _root_paths()
    resolved: dict[str, tuple[str, int | None]] = {}
    ids = {int(key[1:]) for key in keys if key.startswith("#") and key[1:].isdigit()}
    if ids:
        for page_id, url_path in Page.objects.filter(id__in=ids).values_list("id", "url_path"):
            path = _relative(url_path, roots)
            if path is not None:
                resolved[f"#{page_id}"] = (path, page_id)
    paths = {key for key in keys if key.startswith("/")}
    if paths and roots:
        root = roots[0]
        candidates = {}
        for path in paths:
            segments = [s for s in path.split("/") if s]
            # The home page owns "/" only: a path no page below it owns (search) has no page.
            for depth in range(len(segments), 0 if segments else -1, -1):
                url_path = root + "".join(f"{s}/" for s in segments[:depth])
                candidates.setdefault(url_path, []).append((path, depth))
        owners: dict[str, tuple[int, int]] = {}
        found = Page.objects.filter(url_path__in=list(candidates)).values_list("id", "url_path")
        for page_id, url_path in found:
            for path, depth in candidates[url_path]:
                if path not in owners or owners[path][1] < depth:
                    owners[path] = (page_id, depth)
        for path in paths:
            resolved[path] = (path, owners[path][0] if path in owners else None)
    return resolved


def _hour(value: str) -> datetime.datetime:
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H").replace(tzinfo=datetime.UTC)


def _add(model, period: str, counts: Counter, pages: dict[str, int | None]) -> None:
    """Add ``counts`` ({(period value, path, source, referrer): views}) to ``model``'s rows."""
    if not counts:
        return
    existing = model.objects.select_for_update().filter(
        **{f"{period}__in": {key[0] for key in counts}},
        path__in={key[1] for key in counts},
    )
    rows = {(getattr(r, period), r.path, r.source, r.referrer): r for r in existing}
    changed, new = [], []
    for key, views in counts.items():
        row = rows.get(key)
        if row is not None:
            row.views += views
            row.page_id = pages[key[1]]
            changed.append(row)
        else:
            value, path, source, referrer = key
            new.append(
                model(
                    **{period: value},
                    path=path,
                    page_id=pages[path],
                    source=source,
                    referrer=referrer,
                    views=views,
                )
            )
    model.objects.bulk_update(changed, ["views", "page"], batch_size=500)
    model.objects.bulk_create(new, batch_size=500)


def apply_batch(batch_id: str, counts: Counter, store) -> int:
    """Write one batch into the aggregates (once); the number of views written."""
    with transaction.atomic():
        if FlushedBatch.objects.filter(batch=batch_id).exists():
            return 0  # written before a crash, not yet deleted from the store
        resolved = resolve({key[1] for key in counts})
        pages = dict(resolved.values())
        hourly, daily = Counter(), Counter()
        touched: set[tuple[str, str]] = set()
        total = 0
        for (hour, key, source, referrer), views in counts.items():
            if source not in SOURCES or key not in resolved or views <= 0:
                continue
            path = resolved[key][0]
            day = local_day(hour)
            hourly[(_hour(hour), path, source, referrer[:100])] += views
            daily[(datetime.date.fromisoformat(day), path, source, referrer[:100])] += views
            touched.add((day, key))
            total += views
        _add(HourlyViews, "hour", hourly, pages)
        _add(DailyViews, "day", daily, pages)
        for day in {day for day, _key in touched}:
            touched.add((day, SITE_WIDE))
        for day, key in touched:
            path, page = (SITE_WIDE, None) if key == SITE_WIDE else resolved[key]
            readers = store.readers(day, key)
            row, created = DailyReaders.objects.get_or_create(
                day=datetime.date.fromisoformat(day),
                path=path,
                defaults={"page_id": page, "readers": readers},
            )
            if not created and readers > row.readers:
                row.readers = readers
                row.save(update_fields=["readers"])
        FlushedBatch.objects.create(batch=batch_id, views=total)
    return total


def prune(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    keep = datetime.timedelta(days=conf.get("ANALYTICS_HOURLY_DAYS"))
    deleted, _ = HourlyViews.objects.filter(hour__lt=now - keep).delete()
    FlushedBatch.objects.filter(flushed_at__lt=now - keep).delete()
    return deleted


def flush(store=None) -> str:
    """Claim the pending views and write every batch found; a one-line summary."""
    store = store or get_store()
    lock = store.lock()
    if not lock.acquire(blocking=False):
        return "analytics: another flush is running"
    try:
        store.claim()
        batches = store.batches()
        total = 0
        for batch_id in batches:
            total += apply_batch(batch_id, store.read(batch_id), store)
            store.forget(batch_id)
        prune()
    finally:
        try:
            lock.release()
        except Exception:  # noqa: BLE001  (an expired Redis lock: nothing to undo)
            logger.warning("analytics: the flush lock expired before the flush ended")
    return f"analytics: {total} views in {len(batches)} batches"
