"""Several newsletters: what feeds each, one email per article and reader, the data migration."""

import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from newsletter.models import Delivery, Mailing, Newsletter, Subscriber, Subscription, Suppression
from tests.support.newsletter import (
    default_newsletter,
    make_newsletter,
    make_subscribers,
    path_of,
    unsubscribe_link,
)

pytestmark = pytest.mark.django_db


def inbox():
    return sorted((m.to[0], m.from_email) for m in mail.outbox)


def test_an_article_in_two_newsletters_reaches_each_reader_once(publish_new):
    default_newsletter().delete()
    breaking = make_newsletter("breaking", priority=10, sender_name="Breaking news")
    briefing = make_newsletter("briefing", priority=1, sender_name="The briefing")
    make_subscribers(2, prefix="both", newsletters=[breaking, briefing])
    make_subscribers(1, prefix="breaking", newsletters=[breaking])
    make_subscribers(1, prefix="briefing", newsletters=[briefing])

    article = publish_new(title="Border crossing reopens")

    # Breaking news has the higher priority: readers of both get it from there, once.
    assert inbox() == [
        ("both0@example.org", "Breaking news <newsletter@balkanreport.example>"),
        ("both1@example.org", "Breaking news <newsletter@balkanreport.example>"),
        ("breaking0@example.org", "Breaking news <newsletter@balkanreport.example>"),
        ("briefing0@example.org", "The briefing <newsletter@balkanreport.example>"),
    ]
    assert Delivery.objects.filter(article=article).count() == 4
    # Each email's one-click link leaves that newsletter only.
    message = next(m for m in mail.outbox if m.to == ["both0@example.org"])
    Client().post(
        path_of(unsubscribe_link(message)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    reader = Subscriber.objects.get(email="both0@example.org")
    assert reader.status == "confirmed"
    assert reader.active_newsletter_ids() == {briefing.pk}
    assert Delivery.objects.get(subscriber=reader).unsubscribed_at is not None

    # Sending again (a retry, a second worker) adds nobody.
    from newsletter.sending import deliver_article

    mail.outbox.clear()
    assert deliver_article(article.pk)["queued"] == 0
    assert mail.outbox == []


def test_sections_and_tags_feed_newsletters(publish_new, news_index):
    default_newsletter().delete()
    sport = make_newsletter("sport")
    sport.tags.add(Tag.objects.create(name="Sport", slug="sport"))
    everything = make_newsletter("everything", priority=-1)
    section = make_newsletter("section")
    section.sections.add(news_index)
    make_subscribers(1, prefix="sport", newsletters=[sport])
    make_subscribers(1, prefix="all", newsletters=[everything])
    make_subscribers(1, prefix="section", newsletters=[section])

    publish_new(title="Parliament votes")
    assert sorted(m.to[0] for m in mail.outbox) == ["all0@example.org", "section0@example.org"]
    mail.outbox.clear()
    publish_new(title="Derby ends in a draw", tags=["Sport"])
    assert sorted(m.to[0] for m in mail.outbox) == [
        "all0@example.org",
        "section0@example.org",
        "sport0@example.org",
    ]


def test_a_higher_priority_digest_keeps_the_article_for_the_digest(publish_new):
    instant = default_newsletter()
    daily = make_newsletter("daily", cadence="daily", priority=5)
    editors = make_newsletter("editors", cadence="manual", priority=50)
    make_subscribers(1, prefix="both", newsletters=[instant, daily])
    make_subscribers(1, prefix="instant", newsletters=[instant, editors])
    publish_new()
    assert [m.to[0] for m in mail.outbox] == ["instant0@example.org"]


def test_readers_unsubscribed_or_suppressed_are_not_mailed(publish_new):
    newsletter = default_newsletter()
    make_subscribers(3)
    Subscription.objects.filter(subscriber__email="reader0@example.org").update(
        status="unsubscribed"
    )
    Suppression.add("READER1@example.org", Suppression.Reason.COMPLAINT, source="ses")
    publish_new()
    assert [m.to[0] for m in mail.outbox] == ["reader2@example.org"]
    assert newsletter.subscriptions.count() == 3


def test_data_migration_gives_existing_subscribers_the_default_newsletter(make_article):
    migration = importlib.import_module("newsletter.migrations.0003_default_newsletter")
    Newsletter.objects.all().delete()
    now = timezone.now()
    Subscriber.objects.create(email="reader@example.org", status="confirmed", confirmed_at=now)
    Subscriber.objects.create(email="pending@example.org", status="pending")
    Subscriber.objects.create(email="gone@example.org", status="unsubscribed")
    bounced = Subscriber.objects.create(
        email="bounced@example.org", status="confirmed", bounced_at=now, bounce_reason="550"
    )
    article = make_article()
    mailing = Mailing.objects.create(article=article)
    old = Delivery.objects.create(article=article, subscriber=bounced, status="failed")

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # repeatable

    newsletter = Newsletter.objects.get()
    assert (newsletter.slug, newsletter.cadence, newsletter.is_default) == (
        "new-articles",
        "instant",
        True,
    )
    statuses = dict(newsletter.subscriptions.values_list("subscriber__email", "status"))
    assert statuses == {
        "reader@example.org": "active",
        "pending@example.org": "pending",
        "gone@example.org": "unsubscribed",
        "bounced@example.org": "active",
    }
    assert Suppression.objects.get().email == "bounced@example.org"
    old.refresh_from_db()
    assert (old.mailing_id, old.newsletter_id) == (mailing.pk, newsletter.pk)
