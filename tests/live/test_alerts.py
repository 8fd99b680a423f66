"""Marking an update "breaking" in the admin and through the API: who may, the hourly limit
and the message the editor gets (the email itself: tests/newsletter/test_alerts.py)."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from live.models import LiveUpdate
from tests.support.helpers import soup, text_of
from tests.support.live import alerting_page, api_post, draftail

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(news_index):
    return alerting_page(news_index)[0]


def post_url(page):
    return reverse("live_post_update", args=[page.pk])


def admin_post(client, page, text, capture, **data):
    with capture(execute=True):
        return client.post(post_url(page), {"text": draftail(text), **data}, follow=True)


def test_an_editor_marks_an_update_breaking_and_its_readers_get_it(
    client, page, newsroom, django_capture_on_commit_callbacks
):
    client.force_login(newsroom["editor"])
    form = soup(client.get(post_url(page)))
    assert "subscribers of Breaking news" in text_of(form.select_one("#id_breaking").parent.parent)
    response = admin_post(
        client, page, "Shots fired at Jarinje.", django_capture_on_commit_callbacks, breaking="on"
    )
    messages = [text_of(m) for m in soup(response).select(".messages li")]
    assert any("emailed to the subscribers of Breaking news" in m for m in messages), messages
    assert LiveUpdate.objects.get().breaking
    assert len(mail.outbox) == 3


def test_a_second_breaking_update_within_the_hour_is_refused_with_a_clear_message(
    client, page, newsroom, django_capture_on_commit_callbacks
):
    client.force_login(newsroom["editor"])
    admin_post(client, page, "First.", django_capture_on_commit_callbacks, breaking="on")
    capture = django_capture_on_commit_callbacks
    response = admin_post(client, page, "Second.", capture, breaking="on")
    assert response.status_code == 200
    error = text_of(soup(response).select_one("#id_breaking").find_parent("div", class_="w-field"))
    assert "at most one an hour" in error and 'Untick "Breaking"' in error
    assert LiveUpdate.objects.count() == 1  # nothing posted: the reporter decides
    assert len(mail.outbox) == 3
    # Without "breaking" it is posted at once, with no email.
    admin_post(client, page, "Second.", capture)
    assert LiveUpdate.objects.count() == 2 and len(mail.outbox) == 3


def test_a_reporter_without_the_right_posts_but_never_alerts(
    client, page, newsroom, django_capture_on_commit_callbacks
):
    client.force_login(newsroom["reporter"])
    assert soup(client.get(post_url(page))).select_one("#id_breaking") is None
    admin_post(client, page, "Posted.", django_capture_on_commit_callbacks, breaking="on")
    update = LiveUpdate.objects.get()
    assert not update.breaking and mail.outbox == []


def test_a_page_without_an_alert_newsletter_says_so(
    client, live_page, newsroom, django_capture_on_commit_callbacks
):
    client.force_login(newsroom["editor"])
    form = soup(client.get(post_url(live_page)))
    assert "No alerts from this page yet" in text_of(form.select_one("#id_breaking").parent.parent)
    response = admin_post(client, live_page, "x", django_capture_on_commit_callbacks, breaking="on")
    assert "sends no breaking alerts" in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_the_api_marks_breaking_and_refuses_a_second_within_the_hour(
    client, page, tokens, django_capture_on_commit_callbacks
):
    alert = {"text": "<p>Alert.</p>", "breaking": True}
    with django_capture_on_commit_callbacks(execute=True):
        first = api_post(client, page, alert, tokens["editor"])
    assert first.status_code == 201, first.content
    assert first.json()["breaking"] is True
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        second = api_post(client, page, alert, tokens["editor"])
    assert second.status_code == 429
    assert second["Content-Type"] == "application/problem+json"
    assert "at most one an hour" in second.json()["detail"]
    assert LiveUpdate.objects.count() == 1 and len(mail.outbox) == 3


def test_the_api_refuses_breaking_without_the_right_or_a_newsletter(
    client, page, live_page, tokens
):
    refused = api_post(client, page, {"text": "<p>x</p>", "breaking": True}, tokens["reporter"])
    assert refused.status_code == 403
    none = api_post(client, live_page, {"text": "<p>x</p>", "breaking": True}, tokens["editor"])
    assert none.status_code == 422
    assert "sends no breaking alerts" in json.dumps(none.json())
    assert not LiveUpdate.objects.exists() and mail.outbox == []
