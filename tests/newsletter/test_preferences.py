"""Choosing newsletters: the subscribe block, the preferences page, one-click (RFC 8058)."""

import pytest
from django.core import mail
from django.test import Client, override_settings

from newsletter.models import Subscriber, Subscription
from tests.support.helpers import soup, text_of
from tests.support.newsletter import (
    confirm_link,
    default_newsletter,
    make_newsletter,
    make_subscribers,
    path_of,
    preferences_link,
    unsubscribe_link,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(db):
    return {
        "default": default_newsletter(),
        "briefing": make_newsletter(
            "briefing",
            name="Morning briefing",
            description="Five stories at seven.",
            cadence="daily",
            welcome_text="Thank you for joining the briefing.",
        ),
        "longreads": make_newsletter("longreads", name="Long reads", cadence="weekly"),
    }


def states(email):
    subscriber = Subscriber.objects.get(email=email)
    return dict(subscriber.subscriptions.values_list("newsletter__slug", "status"))


def test_the_block_offers_several_newsletters_and_confirmation_activates_them(
    lists, make_article, client
):
    page = make_article(
        slug="with-choice",
        body=[("subscribe", {"heading": "", "text": "", "newsletters": ["briefing", "longreads"]})],
    )
    block = soup(client.get(page.url)).select_one(".article-body .block-subscribe")
    labels = [text_of(label) for label in block.select("fieldset label")]
    assert labels == ["Morning briefing Five stories at seven.", "Long reads"]
    form = block.select_one("form")
    data = {"email": "Reader@Example.org", "offered": "1", "newsletters": ["briefing", "longreads"]}
    assert client.post(form["action"], data).status_code == 303
    assert states("reader@example.org") == {"briefing": "pending", "longreads": "pending"}
    confirmation = mail.outbox[0]
    assert "Morning briefing and Long reads" in confirmation.body

    client.post(path_of(confirm_link(confirmation)))
    assert states("reader@example.org") == {"briefing": "active", "longreads": "active"}
    # The briefing has a welcome email; long reads has none.
    assert [m.subject for m in mail.outbox[1:]] == ["Welcome to Morning briefing"]
    assert "Thank you for joining the briefing." in mail.outbox[1].body
    # Confirming twice sends no second welcome.
    client.post(path_of(confirm_link(confirmation)))
    assert len(mail.outbox) == 2


def test_one_newsletter_in_the_block_is_a_hidden_choice(lists, make_article, client):
    page = make_article(
        slug="one-choice", body=[("subscribe", {"heading": "", "newsletters": ["longreads"]})]
    )
    block = soup(client.get(page.url)).select_one(".article-body .block-subscribe")
    assert not block.select("fieldset")
    assert block.select_one("input[name=newsletters]")["value"] == "longreads"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"offered": "1"}, "Please choose at least one newsletter."),
        ({"newsletters": ["no-such-list"]}, "That newsletter is not available any more."),
    ],
)
def test_bad_newsletter_choices_get_a_clear_error_and_store_nothing(lists, client, data, message):
    response = client.post("/newsletter/", {"email": "reader@example.org", **data})
    assert response.status_code == 400
    assert message in text_of(soup(response).select_one("main"))
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_confirmed_reader_adding_a_newsletter_must_confirm_it(lists, client):
    make_subscribers(1)
    client.post("/newsletter/", {"email": "reader0@example.org", "newsletters": ["briefing"]})
    assert states("reader0@example.org") == {"new-articles": "active", "briefing": "pending"}
    assert len(mail.outbox) == 1  # a confirmation, for the briefing only
    client.post(path_of(confirm_link(mail.outbox[0])))
    assert states("reader0@example.org") == {"new-articles": "active", "briefing": "active"}


@override_settings(WAGTAIL_I18N_ENABLED=True)
def test_preferences_page_from_the_link_in_every_email(lists, publish_new):
    make_subscribers(1)
    publish_new()
    link = path_of(preferences_link(mail.outbox[0]))
    assert link in mail.outbox[0].alternatives[0][0]
    client = Client(enforce_csrf_checks=True)
    page = soup(client.get(link))
    checked = [box["value"] for box in page.select("input[name=newsletters][checked]")]
    assert checked == ["new-articles"]

    response = client.post(link, {"newsletters": ["briefing", "longreads"], "language": "en-gb"})
    assert response.status_code == 200
    assert "Your choices are saved." in text_of(soup(response))
    assert not response.cookies  # reader pages set no cookies
    assert states("reader0@example.org") == {
        "new-articles": "unsubscribed",
        "briefing": "active",
        "longreads": "active",
    }
    assert Subscriber.objects.get().language == "en-gb"
    assert mail.outbox[-1].subject == "Welcome to Morning briefing"

    client.post(link, {"action": "leave", "newsletters": ["briefing"]})
    reader = Subscriber.objects.get()
    assert reader.status == "unsubscribed" and reader.active_newsletter_ids() == set()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"newsletters": ["gone"]}, "That newsletter is not available any more."),
        ({"newsletters": ["briefing"], "language": "xx-evil"}, "Select a valid choice."),
    ],
)
@override_settings(WAGTAIL_I18N_ENABLED=True)
def test_bad_preferences_are_refused_and_change_nothing(lists, client, data, message):
    reader = make_subscribers(1)[0]
    from newsletter.emails import preferences_url

    response = client.post(path_of(preferences_url(reader)), data)
    assert response.status_code == 400
    assert message in text_of(soup(response).select_one("main"))
    assert states("reader0@example.org") == {"new-articles": "active"}


def test_tampered_preference_and_unsubscribe_links_are_refused(lists, client):
    reader, other = make_subscribers(2)
    from newsletter.emails import preferences_url, unsubscribe_url
    from newsletter.tokens import make_preferences_token

    good = path_of(preferences_url(reader))
    token = make_preferences_token(reader)
    value, signature = token.split(":")
    forged = [
        good[:-2] + ("A/" if good[-2] != "A" else "B/"),
        good.replace(token, f"{other.pk}.{value.split('.')[1]}:{signature}"),
        good.replace(token, value),
        path_of(unsubscribe_url(reader)).replace("unsubscribe", "preferences"),  # other salt
    ]
    for link in forged:
        response = client.post(link, {"action": "leave"})
        assert response.status_code == 400, link
    one = path_of(unsubscribe_url(reader, lists["default"].pk))
    assert client.post(one[:-3] + "xy/").status_code == 400
    assert Subscription.objects.filter(status="active").count() == 2
    assert Subscriber.objects.filter(status="confirmed").count() == 2


def test_one_click_from_one_newsletter_or_all(lists, publish_new):
    reader = make_subscribers(1, newsletters=[lists["default"], lists["briefing"]])[0]
    publish_new()
    client = Client(enforce_csrf_checks=True)
    one = path_of(unsubscribe_link(mail.outbox[0]))
    assert "Stop sending <strong>New articles</strong>" in client.get(one).content.decode()
    client.post(one, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert states(reader.email) == {"new-articles": "unsubscribed", "briefing": "active"}
    assert Subscriber.objects.get().status == "confirmed"

    from newsletter.emails import unsubscribe_url

    every = path_of(unsubscribe_url(reader))
    client.post(
        every, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert states(reader.email) == {"new-articles": "unsubscribed", "briefing": "unsubscribed"}
    assert Subscriber.objects.get().status == "unsubscribed"


@override_settings(WAGTAIL_I18N_ENABLED=False)
def test_one_site_language_offers_no_language_choice(lists, client):
    reader = make_subscribers(1)[0]
    from newsletter.emails import preferences_url

    page = soup(client.get(path_of(preferences_url(reader))))
    assert not page.select("select[name=language]")
    assert page.select("input[name=newsletters]")
