"""Sending new articles: first publication only, batches, at most once, retries, bounces."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from newsletter.models import Delivery, Mailing, Subscriber, Suppression
from newsletter.sending import deliver_article
from tests.support.newsletter import make_subscribers, unsubscribe_link
from tests.support.newsletter_backends import FlakyBackend, refused

pytestmark = pytest.mark.django_db

FLAKY = {
    "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    "newsletter": {"BACKEND": "tests.support.newsletter_backends.FlakyBackend"},
}


@pytest.fixture
def flaky():
    FlakyBackend.reset()
    with override_settings(MAILERS=FLAKY):
        yield FlakyBackend
    FlakyBackend.reset()


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_first_publication_emails_every_confirmed_subscriber(publish_new, news_index):
    make_subscribers(3)
    make_subscribers(1, status=Subscriber.Status.PENDING, prefix="pending")
    make_subscribers(1, status=Subscriber.Status.UNSUBSCRIBED, prefix="gone")
    Subscriber.objects.create(
        email="bounced@example.org",
        status="confirmed",
        confirmed_at=timezone.now(),
        bounced_at=timezone.now(),
    )
    article = publish_new(title="Elections called in Kosovo", standfirst="A vote in spring.")
    assert recipients() == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Elections called in Kosovo"
    assert "A vote in spring." in message.body
    assert article.get_full_url() in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Elections called in Kosovo" in html and "A vote in spring." in html
    assert f'href="{article.get_full_url()}?src=nl"' in html
    assert "<svg" not in html.lower() and "<style" not in html.lower()
    assert 'style="' in html  # inline styles only
    url = unsubscribe_link(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in html
    # Each reader gets their own unsubscribe link.
    assert len({unsubscribe_link(m) for m in mail.outbox}) == 3
    assert Delivery.objects.filter(article=article, status="sent").count() == 3
    assert Mailing.objects.get(article=article).finished_at is not None


def test_lead_image_is_a_jpeg_with_alt_text(publish_new):
    from demo.build import demo_image

    make_subscribers(1)
    publish_new(lead_image=demo_image("Lead", 1), lead_image_alt="Soldiers on patrol")
    html = mail.outbox[0].alternatives[0][0]
    assert 'alt="Soldiers on patrol"' in html
    assert ".jpg" in html or ".jpeg" in html
    assert "http://testserver/media/" in html


def test_republishing_does_not_email_again(publish_new):
    make_subscribers(2)
    article = publish_new()
    assert len(mail.outbox) == 2
    article.standfirst = "Corrected standfirst."
    article.save_revision().publish()
    article.unpublish()
    article.save_revision().publish()
    assert len(mail.outbox) == 2
    assert Delivery.objects.count() == 2


def test_dont_email_this_article(publish_new):
    make_subscribers(2)
    article = publish_new(skip_newsletter=True)
    assert not mail.outbox
    assert not Mailing.objects.filter(article=article).exists()


def test_scheduled_article_is_sent_when_it_goes_live(publish_new):
    make_subscribers(1)
    publish_new(go_live_at=timezone.now() + datetime.timedelta(hours=1))
    assert not mail.outbox
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    assert recipients() == ["reader0@example.org"]


def test_imported_or_demo_articles_with_an_earlier_first_publication_are_not_sent(make_article):
    make_subscribers(1)
    make_article(slug="imported")  # sets first_published_at in the past, like an import
    assert not mail.outbox


@override_settings(NEWSLETTER_BATCH_SIZE=3)
def test_sends_in_batches_and_records_every_delivery(publish_new, flaky):
    make_subscribers(10)
    article = publish_new()
    assert len(mail.outbox) == 10
    assert flaky.opened == 4  # one connection per batch of 3
    assert Delivery.objects.filter(article=article, status="sent").count() == 10
    assert all(d.sent_at for d in Delivery.objects.all())


@override_settings(NEWSLETTER_BATCH_SIZE=4, NEWSLETTER_SENDING_STALE_SECONDS=0)
def test_a_killed_worker_resumes_without_sending_anyone_twice(publish_new, flaky):
    make_subscribers(10)
    flaky.CRASH_AFTER = 6
    with pytest.raises(KeyboardInterrupt):
        publish_new()
    article = Mailing.objects.get().article
    assert len(mail.outbox) == 6
    states = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")))
    # Recorded before sending: the row being sent when the worker died is "sending".
    assert states == {"sent": 6, "sending": 2, "queued": 2}
    flaky.CRASH_AFTER = None
    result = deliver_article(article.pk)
    assert result["sent"] == 2
    assert result["interrupted"] == 2
    got = recipients()
    assert len(got) == len(set(got)) == 8  # nobody twice; the two in flight are not resent
    assert Delivery.objects.filter(status="interrupted").count() == 2
    assert Mailing.objects.get().finished_at is not None
    # Running again sends nothing.
    deliver_article(article.pk)
    assert len(mail.outbox) == 8


@override_settings(NEWSLETTER_RETRY_BASE_SECONDS=60, NEWSLETTER_MAX_ATTEMPTS=3)
def test_transient_failures_are_retried_with_backoff(publish_new, flaky):
    make_subscribers(3)
    flaky.FAILURES = {
        "reader1@example.org": [
            refused("reader1@example.org", 451, b"Try later"),
            smtplib.SMTPServerDisconnected("lost"),
        ]
    }
    article = publish_new()
    assert recipients() == ["reader0@example.org", "reader2@example.org"]
    delivery = Delivery.objects.get(subscriber__email="reader1@example.org")
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    first_wait = delivery.next_attempt_at - delivery.updated_at
    assert datetime.timedelta(seconds=55) < first_wait < datetime.timedelta(seconds=65)
    # Not due yet: nothing happens.
    deliver_article(article.pk)
    assert len(mail.outbox) == 2
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    deliver_article(article.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 2)
    assert delivery.next_attempt_at - delivery.updated_at > datetime.timedelta(seconds=115)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    deliver_article(article.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert recipients() == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]


def test_a_permanently_failing_address_stops_being_mailed(publish_new, flaky):
    make_subscribers(2)
    flaky.FAILURES = {"reader0@example.org": [refused("reader0@example.org", 550)]}
    publish_new()
    assert recipients() == ["reader1@example.org"]
    delivery = Delivery.objects.get(subscriber__email="reader0@example.org")
    assert delivery.status == "failed"
    assert "550" in delivery.last_error
    subscriber = Subscriber.objects.get(email="reader0@example.org")
    assert subscriber.bounced_at is not None
    # The 5xx feeds the suppression list, which every newsletter honours.
    suppression = Suppression.objects.get(email="reader0@example.org")
    assert (suppression.reason, suppression.source) == ("smtp_rejected", "smtp")
    publish_new()
    assert recipients() == ["reader1@example.org", "reader1@example.org"]


@override_settings(NEWSLETTER_MAX_ATTEMPTS=2)
def test_too_many_transient_failures_also_stop_mailing(publish_new, flaky):
    make_subscribers(1)
    flaky.FAILURES = {"reader0@example.org": [smtplib.SMTPDataError(421, b"busy")] * 2}
    article = publish_new()
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliver_article(article.pk)
    assert Delivery.objects.get().status == "failed"
    assert Subscriber.objects.get().bounced_at is not None


def test_mail_server_down_is_retried_and_nobody_is_bounced(publish_new, flaky):
    make_subscribers(3)
    flaky.DOWN = True
    article = publish_new()
    assert not mail.outbox
    assert set(Delivery.objects.values_list("status", "attempts")) == {("queued", 1)}
    assert not Subscriber.objects.filter(bounced_at__isnull=False).exists()
    flaky.DOWN = False
    Delivery.objects.update(next_attempt_at=timezone.now())
    call_command("newsletter_resume")
    assert len(mail.outbox) == 3
    assert Mailing.objects.get(article=article).finished_at is not None


def test_unsubscribing_before_the_batch_is_sent_skips_the_reader(publish_new, flaky):
    make_subscribers(2)
    flaky.DOWN = True
    article = publish_new()
    Subscriber.objects.filter(email="reader0@example.org").update(status="unsubscribed")
    flaky.DOWN = False
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliver_article(article.pk)
    assert recipients() == ["reader1@example.org"]
    assert Delivery.objects.get(subscriber__email="reader0@example.org").status == "skipped"


def test_subscribers_who_confirm_after_publication_do_not_get_the_old_article(publish_new, flaky):
    make_subscribers(1)
    flaky.DOWN = True
    article = publish_new()
    Subscriber.objects.create(
        email="late@example.org", status="confirmed", confirmed_at=timezone.now()
    )
    flaky.DOWN = False
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliver_article(article.pk)
    assert recipients() == ["reader0@example.org"]


DATABASE_TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "newsletter": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.django_db(transaction=True)  # db_worker closes connections
def test_worker_path_publishing_enqueues_and_db_worker_sends(publish_new, client):
    from django_tasks_db.models import DBTaskResult

    make_subscribers(2)
    article = publish_new()
    # Publishing only queued a task in the database.
    assert not mail.outbox
    task = DBTaskResult.objects.get()
    assert task.task_path == "newsletter.tasks.send_article"
    assert task.args_kwargs["args"] == [article.pk]
    # A subscription queues its confirmation too.
    client.post("/newsletter/", {"email": "new@example.org"})
    assert not mail.outbox
    call_command("db_worker", "--batch", "--backend", "newsletter", "--no-startup-delay")
    assert recipients() == ["new@example.org", "reader0@example.org", "reader1@example.org"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@override_settings(TASKS=DATABASE_TASKS, NEWSLETTER_RETRY_BASE_SECONDS=1)
@pytest.mark.django_db(transaction=True)  # db_worker closes connections
def test_worker_path_schedules_a_deferred_retry(publish_new, flaky):
    from django_tasks_db.models import DBTaskResult

    make_subscribers(1)
    flaky.FAILURES = {"reader0@example.org": [refused("reader0@example.org", 421)]}
    publish_new()
    call_command("db_worker", "--batch", "--backend", "newsletter", "--no-startup-delay")
    assert not mail.outbox
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after is not None and retry.run_after > timezone.now() - datetime.timedelta(
        seconds=5
    )
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    Delivery.objects.update(next_attempt_at=timezone.now())
    call_command("db_worker", "--batch", "--backend", "newsletter", "--no-startup-delay")
    assert recipients() == ["reader0@example.org"]


@override_settings(NEWSLETTER_MAX_ATTEMPTS=1)
def test_a_dropped_connection_is_not_the_readers_fault(publish_new, flaky):
    make_subscribers(4)
    flaky.FAILURES = {"reader1@example.org": [smtplib.SMTPServerDisconnected("gone")]}
    article = publish_new()
    assert recipients() == ["reader0@example.org", "reader2@example.org", "reader3@example.org"]
    assert not Subscriber.objects.filter(bounced_at__isnull=False).exists()
    assert Delivery.objects.get(subscriber__email="reader1@example.org").status == "failed"
    assert Delivery.objects.filter(article=article, status="sent").count() == 3


def test_server_gone_mid_batch_requeues_the_rest(publish_new, flaky):
    make_subscribers(4)

    class GoDown(smtplib.SMTPServerDisconnected):
        def __init__(self):
            super().__init__("gone")
            FlakyBackend.DOWN = True

    flaky.FAILURES = {"reader1@example.org": [GoDown]}  # raised (and the server goes) on send
    article = publish_new()
    assert recipients() == ["reader0@example.org"]
    states = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert states == {
        "reader0@example.org": "sent",
        "reader1@example.org": "queued",
        "reader2@example.org": "queued",
        "reader3@example.org": "queued",
    }
    flaky.DOWN = False
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliver_article(article.pk)
    assert len(recipients()) == len(set(recipients())) == 4
