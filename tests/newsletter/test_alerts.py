"""Breaking alerts: one short email per breaking live update, to the live page's newsletter,
through the newsletter's sending (deliveries, suppression list, List-Unsubscribe)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from live.models import AlertRefused, LiveUpdate
from newsletter.alerts import alert_key, queue_alert
from newsletter.models import Delivery, Mailing, Suppression
from tests.support.live import alerting_page
from tests.support.newsletter import links_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(news_index):
    return alerting_page(news_index)[0]


def breaking(page, html, capture, **fields):
    with capture(execute=True):
        return page.post_update(body=[("paragraph", html)], breaking=True, **fields)


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def test_an_alert_is_emailed_once_to_the_page_s_newsletter(
    page, django_capture_on_commit_callbacks, authors
):
    update = breaking(
        page,
        "<p>Police reopen the <b>Jarinje</b> crossing.</p>",
        django_capture_on_commit_callbacks,
        author=authors["arta-berisha"],
    )
    assert recipients() == ["alert0@example.org", "alert1@example.org", "alert2@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Breaking: Police reopen the Jarinje crossing."
    assert "Police reopen the Jarinje crossing." in message.body
    permalink = f"{page.get_full_url()}?src=nl#update-{update.pk}"
    html = message.alternatives[0][0]
    assert f'href="{permalink}"' in html and permalink in message.body
    assert "Arta Berisha" in html and page.title in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and unsubscribe[1:-1] in links_in(html)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailing = Mailing.objects.get(key=alert_key(update.pk))
    assert mailing.newsletter.slug == "breaking-news"
    statuses = list(mailing.deliveries.values_list("status", flat=True))
    assert statuses == [Delivery.Status.SENT] * 3

    # The same update again (a replayed signal, a resumed worker): nobody gets it twice.
    queue_alert(update=update)
    call_command("newsletter_resume", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 3


def test_a_second_alert_within_the_hour_is_refused_and_emails_nobody(
    page, django_capture_on_commit_callbacks
):
    first = breaking(page, "<p>First alert.</p>", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    with pytest.raises(AlertRefused) as refused:
        breaking(page, "<p>Second alert.</p>", django_capture_on_commit_callbacks)
    assert "at most one an hour" in str(refused.value)
    assert refused.value.retry_at == first.posted_at + datetime.timedelta(hours=1)
    assert len(mail.outbox) == 3
    assert LiveUpdate.objects.count() == 1  # nothing was posted
    assert Mailing.objects.filter(key__startswith="live-alert:").count() == 1

    # An hour later the next one may go.
    LiveUpdate.objects.filter(pk=first.pk).update(
        posted_at=first.posted_at - datetime.timedelta(minutes=61)
    )
    breaking(page, "<p>Next alert.</p>", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 6


def test_a_suppressed_address_is_skipped(page, django_capture_on_commit_callbacks):
    Suppression.add("alert1@example.org", Suppression.Reason.COMPLAINT, source="ses")
    update = breaking(page, "<p>Alert.</p>", django_capture_on_commit_callbacks)
    assert recipients() == ["alert0@example.org", "alert2@example.org"]
    mailing = Mailing.objects.get(key=alert_key(update.pk))
    assert not mailing.deliveries.filter(subscriber__email="alert1@example.org").exists()


def test_hostile_markup_is_cleaned_in_the_email(page, django_capture_on_commit_callbacks):
    # Stored as it is (the admin form and the API clean it first; this is the last line).
    breaking(
        page,
        '<p>Counting <b onclick="steal()">continues</b>.<script>alert(1)</script>'
        '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">Results</a>'
        "<style>body{display:none}</style></p>",
        django_capture_on_commit_callbacks,
    )
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    for hostile in ("<script", "onclick", "onerror", "javascript:", "<img src=x", "<style>body"):
        assert hostile not in html and hostile not in message.subject
    assert "Counting continues." in html and "Results" in html
    assert "<script" not in message.body


def test_a_withdrawn_update_is_not_sent_when_the_worker_gets_to_it(
    page, django_capture_on_commit_callbacks, settings
):
    update = page.post_update(body=[("paragraph", "<p>Premature.</p>")], breaking=True)
    update.withdrawn = True
    update.correction_note = "Not confirmed."
    update.save(update_fields=["withdrawn", "correction_note"])
    queue_alert(update=update)  # what the commit would have done
    assert mail.outbox == []
    mailing = Mailing.objects.get(key=alert_key(update.pk))
    assert set(mailing.deliveries.values_list("status", flat=True)) == {Delivery.Status.SKIPPED}


def test_an_inactive_newsletter_refuses_the_alert(news_index, django_capture_on_commit_callbacks):
    page, newsletter = alerting_page(news_index)
    newsletter.active = False
    newsletter.save()
    page.refresh_from_db()
    with pytest.raises(AlertRefused, match="not active"):
        breaking(page, "<p>Nobody hears this.</p>", django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Mailing.objects.exists()
