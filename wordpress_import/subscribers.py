"""Subscribers exported from WordPress (Jetpack / WordPress.com "Subscribers" CSV).

The export's column names vary between WordPress versions and plugins ("email",
"email_address", "Email Address"; "date_subscribed", "Subscribed", "Date"), so the columns are
recognised by name. Everyone in the file becomes a confirmed subscriber: they gave their consent
on the WordPress site. Existing subscribers (including anyone who unsubscribed here) are left as
they are, so re-running the import changes nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path

from newsletter.importexport import ImportResult, import_subscribers
from newsletter.models import Subscriber

CONSENT_TEXT = "Subscribed to the publication's posts on its previous WordPress site."
DATE_COLUMNS = ("date_subscribed", "subscribed", "subscribed_at", "date", "created", "created_at")


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_subscriber_rows(path: str | Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        sample = handle.readline()
        handle.seek(0)
        if "@" in sample and "," not in sample:  # one address per line, no header
            return [{"email": line.strip()} for line in handle if line.strip()]
        rows = []
        for raw in csv.DictReader(handle):
            row = {_key(k): (v or "").strip() for k, v in raw.items() if k}
            email = next((v for k, v in row.items() if "email" in k or k == "mail"), "")
            created = next((row[k] for k in DATE_COLUMNS if row.get(k)), "")
            rows.append({"email": email, "created_at": created})
        return rows


def import_wordpress_subscribers(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    return import_subscribers(
        read_subscriber_rows(path),
        Subscriber.Status.CONFIRMED,
        source="wordpress",
        consent_text=CONSENT_TEXT,
        dry_run=dry_run,
    )
