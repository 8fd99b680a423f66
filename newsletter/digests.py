"""Daily and weekly digests: a scheduler job (``core.scheduler``) that, once a digest's local
send time has passed, creates that digest once and queues its sending.

The send time is a wall-clock time in the newsletter's time zone, so a digest "at 07:00" stays
at 07:00 local across daylight-saving changes (the UTC instant moves). Each digest covers the
articles first published since the previous digest (or the last day or week), is skipped when
there are none, and is keyed by newsletter and local date: repeating a pass, or two schedulers
at once, create it once. A reader gets an article in a digest only when the digest is their
highest-priority newsletter for it and they were not sent it already.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from .models import Delivery, Mailing, Newsletter, Subscription
from .sending import active_subscriptions, newsletters_for, queue

logger = logging.getLogger(__name__)

GRACE = datetime.timedelta(hours=6)  # a digest whose time passed longer ago is not sent late
MAX_ITEMS = 30


def latest_slot(newsletter: Newsletter, now: datetime.datetime) -> datetime.datetime:
    """The most recent scheduled send time at or before ``now`` (an aware datetime)."""
    zone = newsletter.zone
    local_now = now.astimezone(zone)
    day = local_now.date()
    for _ in range(8):
        if newsletter.cadence == Newsletter.Cadence.DAILY or day.weekday() == newsletter.weekday:
            slot = datetime.datetime.combine(day, newsletter.send_time, tzinfo=zone)
            # A time in the spring-forward gap resolves to the instant the clocks jump past it.
            if slot.astimezone(datetime.UTC) <= now.astimezone(datetime.UTC):
                return slot
        day -= datetime.timedelta(days=1)
    raise AssertionError("no slot in the last week")  # pragma: no cover


def period(newsletter: Newsletter) -> datetime.timedelta:
    return datetime.timedelta(days=7 if newsletter.cadence == Newsletter.Cadence.WEEKLY else 1)


def digest_articles(newsletter, start, end) -> list:
    from news.models import ArticlePage

    candidates = (
        ArticlePage.objects.live()
        .public()
        .filter(skip_newsletter=False, first_published_at__gt=start, first_published_at__lte=end)
        .order_by("first_published_at", "pk")
    )
    picked = []
    for article in candidates[: MAX_ITEMS * 4]:
        if any(n.pk == newsletter.pk for n in newsletters_for(article)):
            picked.append(article)
    return picked[-MAX_ITEMS:]


def create_digest(newsletter: Newsletter, now: datetime.datetime) -> tuple[str, Mailing | None]:
    """("created" | "exists" | "skipped" | "not due", mailing) for the newsletter's latest slot."""
    slot = latest_slot(newsletter, now)
    if slot < newsletter.created_at or now - slot > GRACE:
        return "not due", None
    local = slot.astimezone(newsletter.zone)
    key = f"digest:{newsletter.pk}:{local.date().isoformat()}"
    existing = Mailing.objects.filter(key=key).first()
    if existing is not None:
        return "exists", existing
    previous = (
        Mailing.objects.filter(newsletter=newsletter, kind=Mailing.Kind.DIGEST)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    start = max(previous, slot - period(newsletter)) if previous else slot - period(newsletter)
    articles = digest_articles(newsletter, start, slot)
    if not articles:
        return "skipped", None
    subject = f"{newsletter.name}, {dateformat.format(local, 'j F Y')}"
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                kind=Mailing.Kind.DIGEST,
                newsletter=newsletter,
                key=key,
                subject=subject,
                period_start=start,
                period_end=slot,
            )
            queued = queue_digest(mailing, newsletter, articles)
    except IntegrityError:  # another scheduler created it at the same moment
        return "exists", Mailing.objects.filter(key=key).first()
    from .tasks import send_mailing

    send_mailing.enqueue(mailing.pk)  # after the commit: the worker finds every delivery
    logger.info("newsletter: digest %s: %s articles, %s readers", key, len(articles), queued)
    return "created", mailing


def queue_digest(mailing: Mailing, newsletter: Newsletter, articles: list) -> int:
    """One delivery per reader, listing the digest's articles this reader is due."""
    excluded: dict[int, set[int]] = {}
    for article in articles:
        ranked = [n.pk for n in newsletters_for(article)]
        higher = ranked[: ranked.index(newsletter.pk)]
        wins_elsewhere = Subscription.objects.filter(
            newsletter_id__in=higher, status=Subscription.Status.ACTIVE
        ).values_list("subscriber_id", flat=True)
        already = Delivery.objects.filter(article=article).values_list("subscriber_id", flat=True)
        excluded[article.pk] = set(wins_elsewhere) | set(already)
    recipients = (
        active_subscriptions([newsletter.pk], before=mailing.period_end)
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
    )
    groups: dict[str, list[int]] = {}
    created = 0
    for subscriber_id in recipients.iterator(chunk_size=2000):
        items = ",".join(str(a.pk) for a in articles if subscriber_id not in excluded[a.pk])
        if not items:
            continue
        group = groups.setdefault(items, [])
        group.append(subscriber_id)
        if len(group) == 2000:
            created += queue(mailing, newsletter.pk, group, items=items)
            group.clear()
    for items, group in groups.items():
        if group:
            created += queue(mailing, newsletter.pk, group, items=items)
    return created


def send_due_digests(now: datetime.datetime | None = None) -> str:
    """The scheduler job (every minute): create and queue every digest that is due."""
    now = now or timezone.now()
    outcomes, skipped = [], 0
    digests = Newsletter.objects.filter(
        active=True, cadence__in=[Newsletter.Cadence.DAILY, Newsletter.Cadence.WEEKLY]
    )
    for newsletter in digests:
        outcome, _ = create_digest(newsletter, now)
        if outcome == "created":
            outcomes.append(f"{newsletter.slug}: created")
        skipped += outcome == "skipped"
    if skipped:
        outcomes.append(f"{skipped} due with nothing new")
    return "; ".join(outcomes) or "no digest due"
