"""Helpers shared by the newsletter tests: subscribers and the links in their emails."""

import datetime
import re

from django.utils import timezone

from newsletter.models import Subscriber


def make_subscribers(n, status=Subscriber.Status.CONFIRMED, prefix="reader"):
    confirmed_at = timezone.now() - datetime.timedelta(days=1)
    return Subscriber.objects.bulk_create(
        Subscriber(
            email=f"{prefix}{i}@example.org",
            status=status,
            confirmed_at=confirmed_at if status == Subscriber.Status.CONFIRMED else None,
        )
        for i in range(n)
    )


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def confirm_link(message) -> str:
    return next(link for link in links_in(message.body) if "/newsletter/confirm/" in link)


def unsubscribe_link(message) -> str:
    return next(link for link in links_in(message.body) if "/newsletter/unsubscribe/" in link)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
