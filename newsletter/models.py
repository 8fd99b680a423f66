"""Newsletters, subscribers and their subscriptions, the suppression list, and the record of
every send and every delivery."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

EMAIL_MAX_LENGTH = 254


def normalize_email(value: str) -> str:
    """One spelling per address: trimmed and lower-cased (unique regardless of case)."""
    return (value or "").strip().lower()


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"{value!r} is not a time zone, e.g. Europe/Belgrade.") from error


def language_choices():
    return [("", "Any language"), *settings.LANGUAGES]


class NewsletterQuerySet(models.QuerySet):
    def offered(self):
        return self.filter(active=True).order_by("-priority", "pk")

    def defaults(self):
        return self.offered().filter(is_default=True)


class Newsletter(models.Model):
    """A list readers subscribe to: what feeds it, when it is sent, and how it looks."""

    class Cadence(models.TextChoices):
        INSTANT = "instant", "Every new article, when it is published"
        DAILY = "daily", "Daily digest"
        WEEKLY = "weekly", "Weekly digest"
        MANUAL = "manual", "Sent by editors only"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown beside the subscribe checkbox."
    )
    language = models.CharField(
        max_length=15,
        blank=True,
        choices=language_choices,
        help_text="The language of this newsletter; leave empty for any.",
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.INSTANT)
    send_time = models.TimeField(
        default=datetime.time(7, 0), help_text="Digests: the local time they are sent."
    )
    weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY, help_text="Weekly digests: the day."
    )
    time_zone = models.CharField(
        max_length=60,
        blank=True,
        validators=[validate_time_zone],
        help_text="The time zone of the send time, e.g. Europe/Belgrade; empty: the site's.",
    )
    sections = models.ManyToManyField(
        "news.NewsIndexPage",
        blank=True,
        related_name="+",
        help_text="Articles in these sections feed this newsletter.",
    )
    tags = models.ManyToManyField(
        "taggit.Tag",
        blank=True,
        related_name="+",
        help_text="Articles with any of these tags feed it too. No section and no tag: every "
        "article.",
    )
    sender_name = models.CharField(
        max_length=100,
        blank=True,
        help_text='The name readers see as the sender, e.g. "The Balkan Report Morning".',
    )
    priority = models.IntegerField(
        default=0,
        help_text="When an article is in several newsletters a reader has, it is sent once, in "
        "the one with the highest priority.",
    )
    track_clicks = models.BooleanField(
        default=False,
        help_text="Count clicks through signed redirect links (no open tracking pixel, ever).",
    )
    welcome_subject = models.CharField(max_length=150, blank=True)
    welcome_text = models.TextField(
        blank=True, help_text="Sent once when a reader confirms; leave empty for no welcome email."
    )
    is_default = models.BooleanField(
        default=False,
        help_text="Subscribe forms that offer no choice subscribe readers to the default "
        "newsletters.",
    )
    active = models.BooleanField(default=True, help_text="Inactive newsletters are not sent.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_digest(self) -> bool:
        return self.cadence in (self.Cadence.DAILY, self.Cadence.WEEKLY)

    @property
    def sends_articles(self) -> bool:
        return self.cadence != self.Cadence.MANUAL

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending (not confirmed yet)"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, unique=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The page the reader subscribed from.",
    )
    source = models.CharField(
        max_length=60,
        blank=True,
        help_text='Where the form was, e.g. "article", "footer", "import".',
    )
    consent_text = models.TextField(blank=True, help_text="The consent text the reader saw.")
    bounced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when the address failed permanently; it is not mailed again until the "
        "reader confirms a new subscription.",
    )
    bounce_reason = models.CharField(max_length=300, blank=True)
    language = models.CharField(
        max_length=15, blank=True, choices=language_choices, help_text="The reader's choice."
    )
    soft_bounces = models.PositiveIntegerField(
        default=0, help_text="Temporary failures reported by the email provider."
    )
    newsletters = models.ManyToManyField(
        Newsletter, through="Subscription", related_name="subscribers"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_mailable(self) -> bool:
        return self.status == self.Status.CONFIRMED and self.bounced_at is None

    def confirm(self) -> list[Subscription]:
        """Confirm the address and its pending subscriptions; returns those newly active."""
        now = timezone.now()
        self.status = self.Status.CONFIRMED
        self.confirmed_at = now
        self.unsubscribed_at = None
        self.bounced_at = None
        self.bounce_reason = ""
        self.save()
        pending = list(
            self.subscriptions.filter(status=Subscription.Status.PENDING).select_related(
                "newsletter"
            )
        )
        for subscription in pending:
            subscription.activate(now)
        return pending

    def unsubscribe(self) -> None:
        """Leave every newsletter."""
        now = timezone.now()
        self.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED).update(
            status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now
        )
        if self.status != self.Status.UNSUBSCRIBED:
            self.status = self.Status.UNSUBSCRIBED
            self.unsubscribed_at = now
            self.save(update_fields=["status", "unsubscribed_at", "updated_at"])

    def leave(self, newsletter_ids) -> None:
        """Leave some newsletters; leaving the last one unsubscribes the address."""
        now = timezone.now()
        self.subscriptions.filter(newsletter_id__in=newsletter_ids).exclude(
            status=Subscription.Status.UNSUBSCRIBED
        ).update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now)
        if not self.subscriptions.exclude(status=Subscription.Status.UNSUBSCRIBED).exists():
            self.unsubscribe()

    def active_newsletter_ids(self) -> set[int]:
        return set(
            self.subscriptions.filter(status=Subscription.Status.ACTIVE).values_list(
                "newsletter_id", flat=True
            )
        )


class Subscription(models.Model):
    """One reader on one newsletter."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending (address not confirmed yet)"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    welcomed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="newsletter_subscription_once"
            ),
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self) -> str:
        return f"{self.subscriber_id} on {self.newsletter_id}: {self.status}"

    def activate(self, now=None) -> None:
        self.status = self.Status.ACTIVE
        self.activated_at = now or timezone.now()
        self.unsubscribed_at = None
        self.save(update_fields=["status", "activated_at", "unsubscribed_at"])


class Suppression(models.Model):
    """An address no newsletter email goes to (hard bounce, complaint, or an editor's entry)."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Hard bounce"
        COMPLAINT = "complaint", "Spam complaint"
        SMTP_REJECTED = "smtp_rejected", "Refused by the mail server (5xx)"
        MANUAL = "manual", "Added by an editor"

    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.MANUAL)
    source = models.CharField(
        max_length=30, blank=True, help_text='Who reported it: "ses", "postmark", "smtp", ...'
    )
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @classmethod
    def add(cls, email: str, reason: str, source: str = "", detail: str = "") -> bool:
        """Suppress an address (idempotent); True when it was not suppressed before."""
        _, created = cls.objects.get_or_create(
            email=normalize_email(email),
            defaults={"reason": reason, "source": source, "detail": detail[:300]},
        )
        return created

    @classmethod
    def is_suppressed(cls, email: str) -> bool:
        return cls.objects.filter(email=normalize_email(email)).exists()


class Delivery(models.Model):
    """One article sent (or being sent) to one subscriber: written before and after sending."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        INTERRUPTED = "interrupted", "Interrupted (not resent)"

    mailing = models.ForeignKey(
        "Mailing", on_delete=models.CASCADE, related_name="deliveries", null=True
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    newsletter = models.ForeignKey(
        Newsletter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        help_text="The newsletter this email was sent as (its sender name and unsubscribe link).",
    )
    article = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="newsletter_deliveries",
        null=True,
        blank=True,
        help_text="A new-article email: at most one per article and reader.",
    )
    items = models.CharField(
        max_length=500, blank=True, help_text="A digest: the ids of the articles in it."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    claim = models.CharField(
        max_length=32, blank=True, db_index=True, help_text="The sending run that owns this row."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the email provider reported afterwards (webhooks), and what the reader did.
    delivered_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_type = models.CharField(max_length=10, blank=True)
    complained_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "subscriber"], name="newsletter_delivery_once_per_article"
            ),
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="newsletter_delivery_once_per_mailing"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "status"]),
            models.Index(fields=["mailing", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.subscriber_id}: {self.status}"


class Mailing(models.Model):
    """One send: a new article (to every newsletter it feeds, once per reader), a digest, or
    an editor's email to one newsletter. Its deliveries carry the per-send statistics."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "New article"
        DIGEST = "digest", "Digest"
        MANUAL = "manual", "Editor's email"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    article = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="newsletter_mailing",
        null=True,
        blank=True,
    )
    newsletter = models.ForeignKey(
        Newsletter,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mailings",
        help_text="Digests and editors' emails: the newsletter they go to.",
    )
    key = models.CharField(
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text="Digests: the newsletter and period, so each digest is created once.",
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, help_text="An editor's email: the text.")
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(
        "not sent because",
        max_length=300,
        blank=True,
        help_text="Set when this send was not sent at all, e.g. a digest whose time passed "
        "while the scheduler was down.",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        if self.article_id:
            return f"New article: {self.article.title}"
        return self.subject or f"{self.get_kind_display()} {self.pk}"


class WebhookEvent(models.Model):
    """Each provider event applied once: a replayed request with the same id is refused."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="newsletter_webhook_event_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"
