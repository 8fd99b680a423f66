"""Subscribers and the record of every newsletter delivery."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

EMAIL_MAX_LENGTH = 254


def normalize_email(value: str) -> str:
    """One spelling per address: trimmed and lower-cased (unique regardless of case)."""
    return (value or "").strip().lower()


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

    def confirm(self) -> None:
        now = timezone.now()
        self.status = self.Status.CONFIRMED
        self.confirmed_at = now
        self.unsubscribed_at = None
        self.bounced_at = None
        self.bounce_reason = ""
        self.save()

    def unsubscribe(self) -> None:
        if self.status != self.Status.UNSUBSCRIBED:
            self.status = self.Status.UNSUBSCRIBED
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["status", "unsubscribed_at", "updated_at"])


class Delivery(models.Model):
    """One article sent (or being sent) to one subscriber: written before and after sending."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        INTERRUPTED = "interrupted", "Interrupted (not resent)"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="newsletter_deliveries"
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

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "subscriber"], name="newsletter_delivery_once_per_article"
            ),
        ]
        indexes = [models.Index(fields=["article", "status"])]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.subscriber_id}: {self.status}"


class Mailing(models.Model):
    """An article's newsletter send: created once, on the article's first publication."""

    article = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="newsletter_mailing"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Mailing of article {self.article_id}"
