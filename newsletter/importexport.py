"""CSV export and a reusable importer (the WordPress import feeds its subscribers through it)."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .forms import FORBIDDEN_CHARACTERS
from .models import EMAIL_MAX_LENGTH, Subscriber, normalize_email

EXPORT_FIELDS = [
    "email",
    "status",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
    "source",
    "source_page_id",
    "consent_text",
    "bounced_at",
]
_validate_email = EmailValidator()


@dataclass
class ImportResult:
    created: int = 0
    existing: int = 0
    invalid: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.existing} already there, {len(self.invalid)} invalid"


def _clean_email(value: str) -> str | None:
    email = normalize_email(value)
    if not email or len(email) > EMAIL_MAX_LENGTH or any(c in email for c in FORBIDDEN_CHARACTERS):
        return None
    try:
        _validate_email(email)
    except ValidationError:
        return None
    return email


def _parse_date(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if not value:
        return None
    parsed = parse_datetime(str(value).strip())
    if parsed and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def import_subscribers(
    rows: Iterable[Mapping | str],
    status: str = Subscriber.Status.CONFIRMED,
    *,
    source: str = "import",
    consent_text: str = "",
    dry_run: bool = False,
    newsletters=None,
) -> ImportResult:
    """Add subscribers from rows (dicts with at least "email", or plain addresses).

    Every new row gets ``status``. Existing subscribers are left as they are: an earlier
    unsubscribe always wins over an import. Optional keys: created_at, confirmed_at,
    consent_text, source. New subscribers join ``newsletters`` (default: the default
    newsletters).
    """
    from .models import Newsletter, Subscription

    if newsletters is None:
        newsletters = list(Newsletter.objects.defaults())
    subscription_status = {
        Subscriber.Status.CONFIRMED: Subscription.Status.ACTIVE,
        Subscriber.Status.PENDING: Subscription.Status.PENDING,
        Subscriber.Status.UNSUBSCRIBED: Subscription.Status.UNSUBSCRIBED,
    }
    if status not in Subscriber.Status.values:
        raise ValueError(f"Unknown status {status!r}; use one of {Subscriber.Status.values}")
    result = ImportResult()
    now = timezone.now()
    seen: set[str] = set()
    with transaction.atomic():
        for row in rows:
            data = {"email": row} if isinstance(row, str) else dict(row)
            email = _clean_email(str(data.get("email") or ""))
            if email is None:
                result.invalid.append(str(data.get("email") or "")[:80])
                continue
            if email in seen or Subscriber.objects.filter(email=email).exists():
                result.existing += 1
                seen.add(email)
                continue
            seen.add(email)
            created_at = _parse_date(data.get("created_at")) or now
            subscriber = Subscriber(
                email=email,
                status=status,
                created_at=created_at,
                source=(data.get("source") or source)[:60],
                consent_text=data.get("consent_text") or consent_text,
            )
            if status == Subscriber.Status.CONFIRMED:
                subscriber.confirmed_at = _parse_date(data.get("confirmed_at")) or created_at
            elif status == Subscriber.Status.UNSUBSCRIBED:
                subscriber.unsubscribed_at = _parse_date(data.get("unsubscribed_at")) or now
            if not dry_run:
                subscriber.save()
                Subscription.objects.bulk_create(
                    Subscription(
                        subscriber=subscriber,
                        newsletter=newsletter,
                        status=subscription_status[status],
                        created_at=created_at,
                        activated_at=subscriber.confirmed_at,
                        welcomed_at=now,  # imported readers get no welcome email
                    )
                    for newsletter in newsletters
                )
            result.created += 1
        if dry_run:
            transaction.set_rollback(True)
    return result


def export_subscribers(out, queryset=None) -> int:
    """Write subscribers as CSV to a text stream; returns the number of rows."""
    queryset = Subscriber.objects.order_by("pk") if queryset is None else queryset
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for subscriber in queryset.iterator(chunk_size=2000):
        row = []
        for name in EXPORT_FIELDS:
            value = getattr(subscriber, name)
            if isinstance(value, datetime.datetime):
                value = value.isoformat()
            row.append("" if value is None else value)
        writer.writerow(row)
        count += 1
    return count
