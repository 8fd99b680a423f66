"""Helpers shared by the newsletter tests: subscribers and the links in their emails."""

import datetime
import re

from django.utils import timezone

from newsletter.models import Newsletter, Subscriber, Subscription

SUBSCRIPTION_STATUS = {
    Subscriber.Status.CONFIRMED: Subscription.Status.ACTIVE,
    Subscriber.Status.PENDING: Subscription.Status.PENDING,
    Subscriber.Status.UNSUBSCRIBED: Subscription.Status.UNSUBSCRIBED,
}


def default_newsletter():
    """The newsletter every existing subscriber got from the data migration."""
    newsletter, _ = Newsletter.objects.get_or_create(
        slug="new-articles",
        defaults={"name": "New articles", "cadence": "instant", "is_default": True},
    )
    return newsletter


def make_newsletter(slug, **fields):
    defaults = {"name": slug.replace("-", " ").title(), "cadence": "instant"}
    defaults.update(fields)
    return Newsletter.objects.create(slug=slug, **defaults)


def make_subscribers(n, status=Subscriber.Status.CONFIRMED, prefix="reader", newsletters=None):
    """Subscribers on the given newsletters (default: the default newsletter)."""
    confirmed_at = timezone.now() - datetime.timedelta(days=1)
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"{prefix}{i}@example.org",
            status=status,
            confirmed_at=confirmed_at if status == Subscriber.Status.CONFIRMED else None,
        )
        for i in range(n)
    )
    subscribe(subscribers, newsletters or [default_newsletter()], SUBSCRIPTION_STATUS[status])
    return subscribers


def subscribe(subscribers, newsletters, status=Subscription.Status.ACTIVE):
    Subscription.objects.bulk_create(
        Subscription(
            subscriber=subscriber,
            newsletter=newsletter,
            status=status,
            activated_at=subscriber.confirmed_at,
        )
        for subscriber in subscribers
        for newsletter in newsletters
    )


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def confirm_link(message) -> str:
    return next(link for link in links_in(message.body) if "/newsletter/confirm/" in link)


def unsubscribe_link(message) -> str:
    return next(link for link in links_in(message.body) if "/newsletter/unsubscribe/" in link)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def preferences_link(message) -> str:
    return next(link for link in links_in(message.body) if "/newsletter/preferences/" in link)
