"""Sending a send (new article, digest, editor's email) to its readers, in batches, at most
once each. A new article goes to each reader once, in the highest-priority newsletter they
have that it feeds (``newsletters_for``).

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

from . import conf, i18n
from .emails import RenderedEmail, get_mailer, render_article, render_digest, render_manual
from .models import Delivery, Mailing, Newsletter, Subscriber, Subscription, Suppression

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


def feeds(newsletter, article, section_ids: set[int], tag_ids: set[int]) -> bool:
    """Whether the article feeds this newsletter: in its language (or it has none), and in one
    of its sections or with one of its tags; a newsletter with neither gets every article."""
    if not i18n.newsletter_takes(newsletter, i18n.article_locale(article)):
        return False
    wanted_sections = {s.pk for s in newsletter.sections.all()}
    wanted_tags = {t.pk for t in newsletter.tags.all()}
    if not wanted_sections and not wanted_tags:
        return True
    return bool(wanted_sections & section_ids or wanted_tags & tag_ids)


def article_feed_ids(article) -> tuple[set[int], set[int]]:
    sections = {article.get_parent().pk} if article.depth > 1 else set()
    tags = set(article.tags.values_list("pk", flat=True))
    return sections, tags


def newsletters_for(article) -> list[Newsletter]:
    """The active newsletters the article feeds, the winner first (highest priority)."""
    sections, tags = article_feed_ids(article)
    candidates = (
        Newsletter.objects.offered()
        .exclude(cadence=Newsletter.Cadence.MANUAL)
        .prefetch_related("sections", "tags")
    )
    return [n for n in candidates if feeds(n, article, sections, tags)]


def active_subscriptions(newsletter_ids, before=None):
    """Subscriptions that are mailed: active, confirmed address, not suppressed."""
    queryset = Subscription.objects.filter(
        newsletter_id__in=newsletter_ids,
        status=Subscription.Status.ACTIVE,
        subscriber__status=Subscriber.Status.CONFIRMED,
        subscriber__bounced_at__isnull=True,
    ).filter(~Exists(Suppression.objects.filter(email=OuterRef("subscriber__email"))))
    if before is not None:
        queryset = queryset.filter(Q(activated_at__isnull=True) | Q(activated_at__lte=before))
    return queryset


def snapshot_recipients(mailing: Mailing) -> int:
    """Queue the deliveries of a send (idempotent: unique per mailing and reader)."""
    if mailing.kind == Mailing.Kind.ARTICLE:
        return _snapshot_article(mailing)
    if mailing.kind == Mailing.Kind.MANUAL:
        already = Delivery.objects.filter(mailing=mailing, subscriber=OuterRef("subscriber"))
        recipients = (
            active_subscriptions([mailing.newsletter_id], before=mailing.created_at)
            .filter(~Exists(already))
            .order_by("subscriber_id")
            .values_list("subscriber_id", flat=True)
        )
        return _queue_all(mailing, mailing.newsletter_id, recipients)
    return 0  # digests are queued when they are created (newsletter.digests)


def _snapshot_article(mailing: Mailing) -> int:
    """Each reader gets the article once, in the highest-priority newsletter they have that it
    feeds and that sends it to them (newsletter.i18n: a newsletter for any language sends it
    to the readers of its language only). Readers whose winner is a digest get it in that
    digest, not now."""
    article = mailing.article
    locale = i18n.article_locale(article)
    created = 0
    ranked = newsletters_for(article)
    for position, newsletter in enumerate(ranked):
        if newsletter.cadence != Newsletter.Cadence.INSTANT:
            continue
        higher = [n.pk for n in ranked[:position]]
        already = Delivery.objects.filter(article_id=article.pk, subscriber=OuterRef("subscriber"))
        recipients = (
            active_subscriptions([newsletter.pk], before=mailing.created_at)
            .filter(i18n.receives_q(locale))
            .filter(~Exists(already))
        )
        if higher:
            wins_elsewhere = Subscription.objects.filter(
                i18n.receives_q(locale),
                subscriber=OuterRef("subscriber"),
                newsletter_id__in=higher,
                status=Subscription.Status.ACTIVE,
            )
            recipients = recipients.filter(~Exists(wins_elsewhere))
        ids = recipients.order_by("subscriber_id").values_list("subscriber_id", flat=True)
        created += _queue_all(mailing, newsletter.pk, ids, article_id=article.pk)
    return created


def _queue_all(mailing, newsletter_id, subscriber_ids, article_id=None, items="") -> int:
    created = 0
    chunk: list[int] = []
    for pk in subscriber_ids.iterator(chunk_size=2000):
        chunk.append(pk)
        if len(chunk) == 2000:
            created += queue(mailing, newsletter_id, chunk, article_id=article_id, items=items)
            chunk = []
    if chunk:
        created += queue(mailing, newsletter_id, chunk, article_id=article_id, items=items)
    return created


def queue(mailing, newsletter_id, subscriber_ids, *, article_id=None, items="") -> int:
    now = timezone.now()
    rows = [
        Delivery(
            mailing_id=mailing.pk,
            newsletter_id=newsletter_id,
            article_id=article_id,
            subscriber_id=pk,
            items=items,
            created_at=now,
        )
        for pk in subscriber_ids
    ]
    # Unique per (mailing, reader) and per (article, reader): a repeated run adds nobody twice.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def mark_interrupted(mailing_id: int, now: datetime.datetime) -> int:
    stale = now - datetime.timedelta(seconds=conf.get("NEWSLETTER_SENDING_STALE_SECONDS"))
    return Delivery.objects.filter(
        mailing_id=mailing_id, status=Delivery.Status.SENDING, updated_at__lt=stale
    ).update(
        status=Delivery.Status.INTERRUPTED,
        last_error="The worker stopped while sending; not resent to avoid a duplicate.",
        updated_at=now,
    )


def claim_batch(mailing_id: int, size: int, now: datetime.datetime) -> list[Delivery]:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ids = list(
        Delivery.objects.filter(mailing_id=mailing_id, status=Delivery.Status.QUEUED)
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
        if kind == PERMANENT:  # refused by the server: every newsletter stops mailing it
            Suppression.add(
                delivery.subscriber.email,
                Suppression.Reason.SMTP_REJECTED,
                source="smtp",
                detail=delivery.last_error,
            )
        outcome = "failed"
    delivery.save(
        update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"]
    )
    return outcome


def still_wanted(batch: list[Delivery]) -> set[int]:
    """The deliveries of the batch whose reader is still subscribed and not suppressed."""
    emails = {d.subscriber.email for d in batch}
    suppressed = set(Suppression.objects.filter(email__in=emails).values_list("email", flat=True))
    subscribed = set(
        Subscription.objects.filter(
            subscriber_id__in={d.subscriber_id for d in batch},
            status=Subscription.Status.ACTIVE,
        ).values_list("subscriber_id", "newsletter_id")
    )
    return {
        d.pk
        for d in batch
        if d.subscriber.is_mailable
        and d.subscriber.email not in suppressed
        and (d.newsletter_id is None or (d.subscriber_id, d.newsletter_id) in subscribed)
    }


def send_batch(render, batch: list[Delivery], stats: Counter) -> bool:
    """Send one claimed batch; False when the mail server could not be reached at all.

    ``render`` gives the rendered email of a delivery (or one RenderedEmail for all)."""
    if isinstance(render, RenderedEmail):
        rendered_email = render

        def render(delivery):
            return rendered_email

    now = timezone.now()
    sendable = []
    wanted = still_wanted(batch)
    skipped = [d.pk for d in batch if d.pk not in wanted]
    sendable = [d for d in batch if d.pk in wanted]
    if skipped:  # unsubscribed, bounced or suppressed since the send was queued
        Delivery.objects.filter(pk__in=skipped).update(
            status=Delivery.Status.SKIPPED, updated_at=now
        )
        stats["skipped"] += len(skipped)
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
            rendered = render(delivery)
            try:
                if fast and subscriber.email.isascii() and rendered.fast_path_ok:
                    mailer.connection.sendmail(
                        rendered.envelope_from,
                        [subscriber.email],
                        rendered.mime_for(subscriber, delivery.pk),
                    )
                else:
                    mailer.send_messages([rendered.message_for(subscriber, delivery.pk)])
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


class Renderer:
    """Each send's emails, rendered once per newsletter, language (and set of digest items)."""

    def __init__(self, mailing: Mailing):
        self.mailing = mailing
        self.cache: dict = {}
        self.newsletters = {n.pk: n for n in Newsletter.objects.all()}

    def __call__(self, delivery: Delivery) -> RenderedEmail:
        newsletter = self.newsletters.get(delivery.newsletter_id)
        language = i18n.email_language(delivery.subscriber, newsletter)
        key = (delivery.newsletter_id, delivery.items, language)
        if key not in self.cache:
            self.cache[key] = self.render(newsletter, delivery, language)
        return self.cache[key]

    def render(self, newsletter, delivery, language) -> RenderedEmail:
        from news.models import ArticlePage

        mailing = self.mailing
        if mailing.kind == Mailing.Kind.MANUAL:
            from .alerts import is_alert, render_alert

            if is_alert(mailing):  # a live page's breaking alert (newsletter/alerts.py)
                return render_alert(mailing, language=language)
            return render_manual(mailing, language=language)
        if mailing.kind == Mailing.Kind.DIGEST:
            ids = [int(pk) for pk in delivery.items.split(",") if pk]
            articles = {a.pk: a for a in ArticlePage.objects.live().filter(pk__in=ids)}
            ordered = [articles[pk] for pk in ids if pk in articles]
            if not ordered:  # every article was unpublished since: send nothing empty
                return None
            return render_digest(
                newsletter, ordered, mailing.subject, language=language, slot=mailing.period_end
            )
        return render_article(mailing.article.specific, newsletter, language=language)


def deliver_article(article_id: int) -> dict:
    """Send a newly published article (its mailing) to every reader it is due to."""
    mailing = Mailing.objects.filter(article_id=article_id).first()
    if mailing is None:
        return {"skipped_article": 1}
    return deliver_mailing(mailing.pk)


def deliver_mailing(mailing_id: int) -> dict:
    """Send every delivery of a send that is due; returns counts and the next retry."""
    from news.models import ArticlePage

    stats: Counter = Counter()
    mailing = Mailing.objects.select_related("newsletter").filter(pk=mailing_id).first()
    if mailing is None:
        return {"skipped_mailing": 1}
    if mailing.kind == Mailing.Kind.ARTICLE:
        article = ArticlePage.objects.live().filter(pk=mailing.article_id).first()
        if article is None:
            return {"skipped_article": 1}
        mailing.article = article
    now = timezone.now()
    stats["interrupted"] = mark_interrupted(mailing.pk, now)
    stats["queued"] = snapshot_recipients(mailing)
    renderer = Renderer(mailing)
    size = conf.get("NEWSLETTER_BATCH_SIZE")
    while batch := claim_batch(mailing.pk, size, timezone.now()):
        empty = [d.pk for d in batch if renderer(d) is None]
        if empty:
            Delivery.objects.filter(pk__in=empty).update(status=Delivery.Status.SKIPPED)
            stats["skipped"] += len(empty)
            batch = [d for d in batch if d.pk not in empty]
        if batch and not send_batch(renderer, batch, stats):
            break
    remaining = Delivery.objects.filter(
        mailing_id=mailing.pk, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
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
    logger.info("newsletter: mailing %s: %s", mailing.pk, result)
    return result


def delivery_counts(article_id: int) -> dict[str, int]:
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for row in (
        Delivery.objects.filter(mailing__article_id=article_id)
        .values("status")
        .annotate(n=Count("pk"))
    ):
        counts[row["status"]] = row["n"]
    return counts
