"""Sending an article to every confirmed subscriber, in batches, at most once each.

Every delivery is a row written *before* sending (status "sending", owned by one run's claim)
and updated *after* (sent / retry later / failed). A worker killed mid-batch leaves rows in
"sending": a later run marks them "interrupted" and never sends them again, so nobody gets the
same article twice. Transient failures are retried with exponential backoff; an address that
fails permanently (5xx) or too often is marked bounced and is not mailed again.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from collections import Counter

from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from . import conf
from .emails import get_mailer, render_article, unsubscribe_url
from .models import Delivery, Mailing, Subscriber

logger = logging.getLogger(__name__)

PERMANENT = "permanent"
TRANSIENT = "transient"


def _classify(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return PERMANENT if codes and all(code >= 500 for code in codes) else TRANSIENT
    if isinstance(error, smtplib.SMTPResponseException):
        return PERMANENT if error.smtp_code >= 500 else TRANSIENT
    if isinstance(error, ValueError):  # an address Django refuses to put in a header
        return PERMANENT
    return TRANSIENT


def _connection_lost(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(
        seconds=conf.get("NEWSLETTER_RETRY_BASE_SECONDS") * 2 ** (attempts - 1)
    )


def snapshot_recipients(mailing: Mailing) -> int:
    """Queue a delivery for everyone confirmed when the article was published."""
    already = Delivery.objects.filter(article_id=mailing.article_id, subscriber=OuterRef("pk"))
    recipients = (
        Subscriber.objects.filter(
            status=Subscriber.Status.CONFIRMED,
            bounced_at__isnull=True,
            confirmed_at__lte=mailing.created_at,
        )
        .filter(~Exists(already))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    created = 0
    chunk: list[int] = []
    for pk in recipients.iterator(chunk_size=2000):
        chunk.append(pk)
        if len(chunk) == 2000:
            created += _queue(mailing.article_id, chunk)
            chunk = []
    if chunk:
        created += _queue(mailing.article_id, chunk)
    return created


def _queue(article_id: int, subscriber_ids: list[int]) -> int:
    now = timezone.now()
    rows = [
        Delivery(article_id=article_id, subscriber_id=pk, created_at=now) for pk in subscriber_ids
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def mark_interrupted(article_id: int, now: datetime.datetime) -> int:
    stale = now - datetime.timedelta(seconds=conf.get("NEWSLETTER_SENDING_STALE_SECONDS"))
    return Delivery.objects.filter(
        article_id=article_id, status=Delivery.Status.SENDING, updated_at__lt=stale
    ).update(
        status=Delivery.Status.INTERRUPTED,
        last_error="The worker stopped while sending; not resent to avoid a duplicate.",
        updated_at=now,
    )


def claim_batch(article_id: int, size: int, now: datetime.datetime) -> list[Delivery]:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ids = list(
        Delivery.objects.filter(article_id=article_id, status=Delivery.Status.QUEUED)
        .filter(due)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not ids:
        return []
    claim = uuid.uuid4().hex
    # The conditional UPDATE is atomic per row: two workers never own the same delivery.
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, claim=claim, updated_at=timezone.now()
    )
    return list(
        Delivery.objects.filter(claim=claim, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )


def _fail(delivery: Delivery, error: Exception, kind: str, now, *, bounce: bool = True) -> str:
    delivery.attempts += 1
    delivery.last_error = f"{type(error).__name__}: {error}"[:300]
    if kind == TRANSIENT and delivery.attempts < conf.get("NEWSLETTER_MAX_ATTEMPTS"):
        delivery.status = Delivery.Status.QUEUED
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        outcome = "retry"
    else:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
        if not bounce:  # our mail server was down: not the address's fault
            outcome = "failed"
            delivery.save(
                update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"]
            )
            return outcome
        Subscriber.objects.filter(pk=delivery.subscriber_id).update(
            bounced_at=now, bounce_reason=delivery.last_error
        )
        outcome = "failed"
    delivery.save(
        update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"]
    )
    return outcome


def send_batch(rendered, batch: list[Delivery], stats: Counter) -> bool:
    """Send one claimed batch; False when the mail server could not be reached at all."""
    now = timezone.now()
    sendable = []
    for delivery in batch:
        if delivery.subscriber.is_mailable:
            sendable.append(delivery)
        else:  # unsubscribed or bounced since the article was queued
            delivery.status = Delivery.Status.SKIPPED
            delivery.save(update_fields=["status", "updated_at"])
            stats["skipped"] += 1
    mailer = get_mailer()
    try:
        mailer.open()
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("newsletter: cannot reach the mail server: %s", error)
        for delivery in sendable:
            stats[_fail(delivery, error, TRANSIENT, now, bounce=False)] += 1
        return False
    sent_ids = []
    fast = isinstance(mailer, SMTPBackend)
    reachable = True
    try:
        for position, delivery in enumerate(sendable):
            subscriber = delivery.subscriber
            unsubscribe = unsubscribe_url(subscriber)
            try:
                if fast and subscriber.email.isascii() and unsubscribe.isascii():
                    mailer.connection.sendmail(
                        rendered.envelope_from,
                        [subscriber.email],
                        rendered.mime_for(subscriber.email, unsubscribe),
                    )
                else:
                    mailer.send_messages([rendered.message_for(subscriber.email, unsubscribe)])
            except (OSError, ValueError) as error:  # smtplib's errors are OSErrors too
                if not _connection_lost(error):
                    stats[_fail(delivery, error, _classify(error), timezone.now())] += 1
                    continue
                # The connection broke: not this address's fault. Retry it later, reconnect.
                stats[_fail(delivery, error, TRANSIENT, timezone.now(), bounce=False)] += 1
                mailer.close()
                try:
                    mailer.open()
                except (OSError, smtplib.SMTPException) as reconnect_error:
                    for rest in sendable[position + 1 :]:
                        outcome = _fail(rest, reconnect_error, TRANSIENT, now, bounce=False)
                        stats[outcome] += 1
                    reachable = False
                    break
            else:
                sent_ids.append(delivery.pk)
                if len(sent_ids) >= 50:  # record progress often: less to lose to a crash
                    _mark_sent(sent_ids)
                    stats["sent"] += len(sent_ids)
                    sent_ids = []
    finally:
        if sent_ids:
            _mark_sent(sent_ids)
            stats["sent"] += len(sent_ids)
        mailer.close()
    return reachable


def _mark_sent(ids: list[int]) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.SENT, sent_at=now, updated_at=now, attempts=F("attempts") + 1
    )


def deliver_article(article_id: int) -> dict:
    """Send the article to every recipient that is due; returns counts and the next retry."""
    from news.models import ArticlePage

    stats: Counter = Counter()
    article = ArticlePage.objects.live().filter(pk=article_id).first()
    mailing = Mailing.objects.filter(article_id=article_id).first()
    if article is None or mailing is None:
        return {"skipped_article": 1}
    now = timezone.now()
    stats["interrupted"] = mark_interrupted(article_id, now)
    stats["queued"] = snapshot_recipients(mailing)
    rendered = render_article(article)
    size = conf.get("NEWSLETTER_BATCH_SIZE")
    while batch := claim_batch(article_id, size, timezone.now()):
        if not send_batch(rendered, batch, stats):
            break
    remaining = Delivery.objects.filter(
        article_id=article_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    )
    next_retry = (
        remaining.filter(status=Delivery.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    oldest_sending = (
        remaining.filter(status=Delivery.Status.SENDING)
        .order_by("updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    if oldest_sending is not None:
        # Another run is sending, or one died: look again once those rows count as stale.
        check = oldest_sending + datetime.timedelta(
            seconds=conf.get("NEWSLETTER_SENDING_STALE_SECONDS") + 1
        )
        next_retry = min(next_retry, check) if next_retry else check
    if not remaining.exists():
        Mailing.objects.filter(pk=mailing.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    result = dict(stats)
    result["next_retry"] = next_retry.isoformat() if next_retry else None
    logger.info("newsletter: article %s: %s", article_id, result)
    return result


def delivery_counts(article_id: int) -> dict[str, int]:
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for row in (
        Delivery.objects.filter(article_id=article_id).values("status").annotate(n=Count("pk"))
    ):
        counts[row["status"]] = row["n"]
    return counts
