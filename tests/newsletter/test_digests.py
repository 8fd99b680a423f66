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
from tests.support.helpers import soup, text_of
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


def test_a_scheduler_up_to_six_hours_late_still_sends_the_digest(daily, published):
    published(at(2026, 3, 27, 12), title="Friday story")
    # 07:00 Belgrade is 06:00 UTC; the scheduler comes back at 12:00 UTC, 6 hours late.
    assert send_due_digests(at(2026, 3, 28, 12, 0)) == "briefing: created"
    assert len(mail.outbox) == 3 and all("Friday story" in m.body for m in mail.outbox)


def test_a_digest_more_than_six_hours_late_is_skipped_shown_to_editors_and_caught_up(
    daily, published, admin_client
):
    published(at(2026, 3, 27, 12), title="Friday story")
    # The scheduler was down from before Saturday's 07:00 until 18:00 UTC (12 hours late).
    assert send_due_digests(at(2026, 3, 28, 18, 0)) == "briefing: not sent, too late"
    for minute in (1, 2):  # later passes record it once
        assert send_due_digests(at(2026, 3, 28, 18, minute)) == "no digest due"
    assert mail.outbox == []
    skipped = Mailing.objects.get(kind="digest")
    assert skipped.subject == "Morning briefing, 28 March 2026"
    assert not skipped.deliveries.exists() and skipped.finished_at is not None

    # The editor sees it in Sends and statistics, with the reason.
    table = soup(admin_client.get("/admin/newsletter-deliveries/")).select_one("table")
    headers = [text_of(th) for th in table.select("thead th")]
    row = next(tr for tr in table.select("tbody tr") if "28 March 2026" in text_of(tr))
    cells = dict(zip(headers, [text_of(td) for td in row.select("td")], strict=False))
    assert cells["Sent"] == "0"
    assert "scheduler ran 12 hours after the send time" in cells["Not sent because"]
    assert "go in the next digest" in cells["Not sent because"]

    # Sunday's digest (07:00 CEST = 05:00 UTC) carries Friday's story too: nothing is lost.
    published(at(2026, 3, 28, 20), title="Saturday story")
    assert send_due_digests(at(2026, 3, 29, 5, 0)) == "briefing: created"
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.subject == "Morning briefing, 29 March 2026"
        assert "Friday story" in message.body and "Saturday story" in message.body
    sent = Mailing.objects.get(kind="digest", skip_reason="")
    assert sent.period_start == skipped.period_start  # Friday 06:00 UTC, the last sent digest
    assert sent.period_start == at(2026, 3, 27, 6, 0)


def test_the_first_digest_after_a_sent_one_and_two_skipped_covers_all_three_days(daily, published):
    published(at(2026, 3, 24, 12), title="Tuesday story")
    assert send_due_digests(at(2026, 3, 25, 6, 0)) == "briefing: created"  # Wednesday 07:00
    published(at(2026, 3, 25, 12), title="Wednesday story")
    published(at(2026, 3, 26, 12), title="Thursday story")
    assert send_due_digests(at(2026, 3, 26, 20, 0)) == "briefing: not sent, too late"
    assert send_due_digests(at(2026, 3, 27, 19, 0)) == "briefing: not sent, too late"
    mail.outbox.clear()
    assert send_due_digests(at(2026, 3, 28, 6, 0)) == "briefing: created"
    body = mail.outbox[0].body
    assert "Wednesday story" in body and "Thursday story" in body
    assert "Tuesday story" not in body  # sent on Wednesday already


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
