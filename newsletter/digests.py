"""Daily and weekly digests: a scheduler job (``core.scheduler``) that, once a digest's local
send time has passed, creates that digest once and queues its sending.

The send time is a wall-clock time in the newsletter's time zone, so a digest "at 07:00" stays
at 07:00 local across daylight-saving changes (the UTC instant moves). Each digest covers the
articles first published since the previous digest (or the last day or week), is skipped when
there are none, and is keyed by newsletter and local date: repeating a pass, or two schedulers
at once, create it once. A reader gets an article in a digest only when the digest is their
highest-priority newsletter for it, it is in their language (newsletter.i18n) and they were not
sent it already.

A late scheduler (down, or stuck) sends a digest late for up to ``GRACE`` after its time; later
than that the digest is not sent (a morning briefing in the evening is noise, and the next one is
due soon) but recorded as a send with ``skip_reason`` set, which editors see in *Sends and
statistics*. The next digest then starts where the last digest that was sent ended, so the
articles of the skipped one are in it (at most ``CATCH_UP`` periods back, ``MAX_ITEMS`` articles).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import i18n
from .emails import digest_subject
from .models import Delivery, Mailing, Newsletter, Subscription
from .sending import active_subscriptions, newsletters_for, queue

logger = logging.getLogger(__name__)

GRACE = datetime.timedelta(hours=6)  # a digest whose time passed longer ago is not sent late
CATCH_UP = 7  # periods: how far back a digest after skipped ones reaches
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
        .select_related("locale")
        .order_by("-first_published_at", "-pk")
    )
    picked = []  # the latest MAX_ITEMS that feed it, listed oldest first
    for article in candidates[: MAX_ITEMS * 10]:
        if any(n.pk == newsletter.pk for n in newsletters_for(article)):
            picked.append(article)
            if len(picked) == MAX_ITEMS:
                break
    return picked[::-1]


def window_start(newsletter: Newsletter, slot: datetime.datetime) -> datetime.datetime:
    """Where this digest starts: where the last one sent ended (a skipped one passes on its
    own start), at most ``CATCH_UP`` periods back; the first digest covers one period."""
    earliest = slot - CATCH_UP * period(newsletter)
    previous = (
        Mailing.objects.filter(newsletter=newsletter, kind=Mailing.Kind.DIGEST, period_end__lt=slot)
        .order_by("-period_end")
        .values_list("period_start", "period_end", "skip_reason")
        .first()
    )
    if previous is None:
        return slot - period(newsletter)
    start, end, skip_reason = previous
    return max(start if skip_reason else end, earliest)


def create_digest(newsletter: Newsletter, now: datetime.datetime) -> tuple[str, Mailing | None]:
    """("created" | "exists" | "skipped" | "not due", mailing) for the newsletter's latest slot."""
    slot = latest_slot(newsletter, now)
    if slot < newsletter.created_at:
        return "not due", None
    local = slot.astimezone(newsletter.zone)
    key = f"digest:{newsletter.pk}:{local.date().isoformat()}"
    existing = Mailing.objects.filter(key=key).first()
    if existing is not None:
        return "exists", existing
    start = window_start(newsletter, slot)
    articles = digest_articles(newsletter, start, slot)
    late = now - slot > GRACE
    if not articles:
        return ("not due" if late else "skipped"), None
    with i18n.override(settings.LANGUAGE_CODE):
        subject = digest_subject(newsletter, slot)
    if late:
        return "late", record_late(newsletter, key, subject, start, slot, now, len(articles))
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


def record_late(newsletter, key, subject, start, slot, now, count) -> Mailing | None:
    """The digest not sent because its time passed more than GRACE ago: a send with no
    deliveries and the reason, so editors see it; the next digest covers its articles."""
    hours = int((now - slot).total_seconds() // 3600)
    reason = (
        f"Not sent: the scheduler ran {hours} hours after the send time (more than "
        f"{int(GRACE.total_seconds() // 3600)}). Its {count} article(s) go in the next digest."
    )
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                kind=Mailing.Kind.DIGEST,
                newsletter=newsletter,
                key=key,
                subject=subject,
                period_start=start,
                period_end=slot,
                skip_reason=reason,
                finished_at=now,
            )
    except IntegrityError:  # another scheduler recorded it at the same moment
        return Mailing.objects.filter(key=key).first()
    logger.warning("newsletter: digest %s skipped: %s", key, reason)
    return mailing


def queue_digest(mailing: Mailing, newsletter: Newsletter, articles: list) -> int:
    """One delivery per reader, listing the digest's articles this reader is due."""
    excluded: dict[int, set[int]] = {}
    languages: dict[int, set[str] | None] = {}  # article -> its readers' languages (None: all)
    for article in articles:
        locale = i18n.article_locale(article)
        ranked = [n.pk for n in newsletters_for(article)]
        higher = ranked[: ranked.index(newsletter.pk)]
        wins_elsewhere = Subscription.objects.filter(
            i18n.receives_q(locale), newsletter_id__in=higher, status=Subscription.Status.ACTIVE
        ).values_list("subscriber_id", flat=True)
        already = Delivery.objects.filter(article=article).values_list("subscriber_id", flat=True)
        excluded[article.pk] = set(wins_elsewhere) | set(already)
        any_language = i18n.enabled() and not newsletter.language
        languages[article.pk] = set(i18n.readers_of(locale)) if any_language else None
    recipients = (
        active_subscriptions([newsletter.pk], before=mailing.period_end)
        .order_by("subscriber_id")
        .values_list("subscriber_id", "subscriber__language")
    )
    groups: dict[str, list[int]] = {}
    created = 0
    for subscriber_id, language in recipients.iterator(chunk_size=2000):
        items = ",".join(
            str(a.pk)
            for a in articles
            if subscriber_id not in excluded[a.pk]
            and (languages[a.pk] is None or language in languages[a.pk])
        )
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
        elif outcome == "late":
            outcomes.append(f"{newsletter.slug}: not sent, too late")
        skipped += outcome == "skipped"
    if skipped:
        outcomes.append(f"{skipped} due with nothing new")
    return "; ".join(outcomes) or "no digest due"
