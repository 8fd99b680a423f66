"""Digests: at the set local time across daylight-saving changes, once, skipped when nothing
is new, never repeating an article a reader was already sent."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from core import scheduler
from news.models import ArticlePage
from newsletter.digests import latest_slot, send_due_digests
from newsletter.models import Delivery, Mailing, Subscription
from tests.support.newsletter import default_newsletter, make_newsletter, make_subscribers

pytestmark = pytest.mark.django_db
BELGRADE = zoneinfo.ZoneInfo("Europe/Belgrade")
UTC = datetime.UTC
LONG_AGO = datetime.datetime(2025, 1, 1, tzinfo=UTC)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def daily(db):
    default_newsletter().delete()
    newsletter = make_newsletter(
        "briefing",
        name="Morning briefing",
        cadence="daily",
        send_time=datetime.time(7, 0),
        time_zone="Europe/Belgrade",
        created_at=LONG_AGO,
        sender_name="Morning briefing",
    )
    make_subscribers(3, newsletters=[newsletter])
    Subscription.objects.update(activated_at=LONG_AGO)
    return newsletter


@pytest.fixture
def published(publish_new):
    """Publish an article as if at ``when``."""

    def _publish(when, **fields):
        article = publish_new(**fields)
        ArticlePage.objects.filter(pk=article.pk).update(first_published_at=when)
        Delivery.objects.filter(article=article).delete()  # not about the instant email here
        return ArticlePage.objects.get(pk=article.pk)

    return _publish


def test_the_digest_job_is_registered_with_the_scheduler():
    assert "newsletter: send due digests" in [job.name for job in scheduler.jobs()]


def test_daily_digest_at_seven_local_time_across_the_spring_change(daily, published):
    # Clocks go forward in Belgrade at 02:00 on Sunday 29 March 2026: 07:00 is 06:00 UTC on the
    # Saturday and 05:00 UTC on the Sunday.
    published(at(2026, 3, 27, 12), title="Friday story")
    assert send_due_digests(at(2026, 3, 28, 5, 59)) == "no digest due"
    mail.outbox.clear()
    assert send_due_digests(at(2026, 3, 28, 6, 0)) == "briefing: created"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "reader0@example.org",
        "reader1@example.org",
        "reader2@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "Morning briefing, 28 March 2026"
    assert message.from_email.startswith("Morning briefing <")
    assert "Friday story" in message.body and "Friday story" in message.alternatives[0][0]
    # Every later pass that day creates nothing more.
    mail.outbox.clear()
    for minute in (1, 2, 30):
        send_due_digests(at(2026, 3, 28, 6, minute))
    assert mail.outbox == []

    published(at(2026, 3, 28, 20), title="Saturday story")
    assert send_due_digests(at(2026, 3, 29, 4, 59)) == "no digest due"  # 06:59 CEST
    assert send_due_digests(at(2026, 3, 29, 5, 0)) == "briefing: created"  # 07:00 CEST
    bodies = [m.body for m in mail.outbox]
    assert len(bodies) == 3
    assert all("Saturday story" in b and "Friday story" not in b for b in bodies)
    assert Mailing.objects.filter(kind="digest").count() == 2
    assert Delivery.objects.filter(mailing__kind="digest", status="sent").count() == 6


def test_daily_digest_across_the_autumn_change(daily, published):
    # Clocks go back at 03:00 on Sunday 25 October 2026: 07:00 is 05:00 UTC, then 06:00 UTC.
    assert latest_slot(daily, at(2026, 10, 24, 5, 0)) == at(2026, 10, 24, 5, 0)
    assert latest_slot(daily, at(2026, 10, 25, 5, 30)) == at(2026, 10, 24, 5, 0)
    assert latest_slot(daily, at(2026, 10, 25, 6, 0)) == at(2026, 10, 25, 6, 0)
    published(at(2026, 10, 24, 20), title="Saturday night")
    assert send_due_digests(at(2026, 10, 25, 5, 30)) == "no digest due"
    assert send_due_digests(at(2026, 10, 25, 6, 0)) == "briefing: created"
    assert len(mail.outbox) == 3


def test_weekly_digest_and_a_send_time_in_the_spring_gap(published):
    weekly = make_newsletter(
        "week",
        cadence="weekly",
        weekday=6,  # Sunday
        send_time=datetime.time(2, 30),  # does not exist on 29 March 2026
        time_zone="Europe/Belgrade",
        created_at=LONG_AGO,
    )
    make_subscribers(1, prefix="weekly", newsletters=[weekly])
    Subscription.objects.update(activated_at=LONG_AGO)
    slot = latest_slot(weekly, at(2026, 3, 29, 12))
    assert slot.astimezone(UTC) == at(2026, 3, 29, 1, 30)  # 03:30 CEST, once the clocks jumped
    assert latest_slot(weekly, at(2026, 3, 28, 12)).date() == datetime.date(2026, 3, 22)
    published(at(2026, 3, 25, 12), title="Midweek")
    assert send_due_digests(at(2026, 3, 29, 1, 30)) == "week: created"
    assert send_due_digests(at(2026, 3, 29, 1, 31)) == "no digest due"
    assert [m.to[0] for m in mail.outbox if "Midweek" in m.body] == ["weekly0@example.org"]


def test_nothing_new_means_no_digest(daily, published):
    published(at(2026, 3, 20, 12), title="Too old for this digest")
    assert send_due_digests(at(2026, 3, 28, 6, 0)) == "1 due with nothing new"
    assert not Mailing.objects.filter(kind="digest").exists()
    assert mail.outbox == []


def test_a_late_scheduler_does_not_send_a_stale_digest(daily, published):
    published(at(2026, 3, 27, 12))
    assert send_due_digests(at(2026, 3, 28, 18, 0)) == "no digest due"


def test_an_article_already_sent_instantly_is_left_out_of_the_digest(daily, publish_new):
    breaking = make_newsletter("breaking", priority=10, created_at=LONG_AGO)
    reader = daily.subscribers.get(email="reader0@example.org")
    Subscription.objects.create(
        subscriber=reader, newsletter=breaking, status="active", activated_at=LONG_AGO
    )
    article = publish_new(title="Breaking story")
    assert [m.to[0] for m in mail.outbox] == ["reader0@example.org"]
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=at(2026, 3, 27, 12))
    mail.outbox.clear()
    send_due_digests(at(2026, 3, 28, 6, 0))
    # Readers of the briefing only get it in the digest; reader0 had it from breaking news.
    assert sorted(m.to[0] for m in mail.outbox) == ["reader1@example.org", "reader2@example.org"]
