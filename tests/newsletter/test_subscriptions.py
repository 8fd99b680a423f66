"""Reader side of the newsletter: subscribe forms, double opt-in, unsubscribe, abuse."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client, override_settings

from newsletter.models import Subscriber
from newsletter.tokens import make_confirm_token
from tests.support.helpers import soup, text_of
from tests.support.newsletter import confirm_link, make_subscribers, path_of, unsubscribe_link

pytestmark = pytest.mark.django_db


def form_data(form, email):
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    data["email"] = email
    return data


def subscribe(client, email, **extra):
    return client.post("/newsletter/", {"email": email, "source": "test", **extra})


@pytest.fixture
def article(make_article):
    return make_article(title="Tariffs on the Drina", slug="drina")


def test_every_article_ends_with_a_subscribe_form_and_the_footer_has_one(article, client):
    response = client.get(article.url)
    html = soup(response)
    forms = html.select("div.subscribe-cta form")
    assert len(forms) == 2
    article_form = html.select_one("article div.subscribe-cta form")
    footer_form = html.select_one("footer.site-footer div.subscribe-cta form")
    for form in (article_form, footer_form):
        assert form["method"] == "post"
        assert form["action"] == "/newsletter/"
        assert form.select_one("input[type=email][name=email][required]")
        assert form.select_one("button[type=submit]")
    section = html.select_one("article div.subscribe-cta")
    assert text_of(section.select_one("h2")) == "Discover more from The Balkan Report"
    assert "Subscribe to get the latest posts sent to your email." in text_of(section)
    # Several forms on one page: every id is unique and every label points at its input.
    ids = [node["id"] for node in html.select("[id]")]
    assert len(ids) == len(set(ids))
    for label in html.select("div.subscribe-cta label[for]"):
        assert html.select_one(f"#{label['for']}")
    assert article_form.select_one("input[name=source_page]")["value"] == str(article.pk)


def test_article_pages_carry_no_csrf_token_so_they_can_be_cached(article, client):
    response = client.get(article.url)
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


# The site's own full-page cache (caching.pagecache), as in production.
CACHED = {"PAGE_CACHE_ENABLED": True}


def test_a_cached_article_page_still_subscribes_another_reader(article):
    """A full-page cache serves reader A's copy to reader B; B's subscription must work."""
    from django.core.cache import cache

    cache.clear()
    with override_settings(**CACHED):
        first = Client().get(article.url)
        reader_b = Client(enforce_csrf_checks=True)
        second = reader_b.get(article.url)
        # The same bytes: B got A's cached page (each form carries a random id suffix).
        assert second.content == first.content
        form = soup(second).select_one("article div.subscribe-cta form")
        response = reader_b.post(form["action"], form_data(form, "b.reader@example.org"))
    assert response.status_code == 303
    assert response["Location"] == "/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "b.reader@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source == "article"
    assert subscriber.source_page_id == article.pk
    assert "never share your address" in subscriber.consent_text
    assert len(mail.outbox) == 1


def test_new_pending_confirmed_and_unsubscribed_get_the_same_answer(client):
    for status, prefix in [
        ("pending", "pending"),
        ("confirmed", "confirmed"),
        ("unsubscribed", "gone"),
    ]:
        make_subscribers(1, status=status, prefix=prefix)
        Subscriber.objects.filter(email=f"{prefix}0@example.org").update(
            email=f"{prefix}@example.org"
        )
    answers = set()
    for email in [
        "new@example.org",
        "pending@example.org",
        "confirmed@example.org",
        "gone@example.org",
    ]:
        response = subscribe(client, email)
        page = client.get(response["Location"])
        answers.add(
            (
                response.status_code,
                response["Location"],
                page.status_code,
                text_of(soup(page).select_one("main")),
            )
        )
    assert len(answers) == 1
    status, location, page_status, text = answers.pop()
    assert (status, location, page_status) == (303, "/newsletter/check-your-inbox/", 200)
    assert "Check your inbox" in text
    # Nobody can re-subscribe or downgrade someone else: statuses only change on confirmation.
    assert Subscriber.objects.get(email="confirmed@example.org").status == "confirmed"
    # An unsubscribed reader stays unsubscribed until they confirm the new request.
    assert Subscriber.objects.get(email="gone@example.org").status == "unsubscribed"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "gone@example.org",
        "new@example.org",
        "pending@example.org",
    ]


def test_double_opt_in_confirms_only_on_post(client):
    subscribe(client, "  Reader@Example.ORG ")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.status == "pending"
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "Confirm your subscription to The Balkan Report"
    html_part, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = confirm_link(message)
    assert link in html_part
    # A link scanner GETs the link: nothing changes, the page shows a button.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert (
        soup(page).select_one("main form[method=post] button").get_text()
        == "Confirm my subscription"
    )
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"
    # The reader presses the button (with the page's CSRF token).
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(path_of(link))
    token = soup(page).select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = reader.post(path_of(link), {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "You are subscribed" in text_of(soup(response).select_one("h1"))
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert subscriber.confirmed_at is not None


def test_confirmation_link_expires_after_48_hours_and_rejects_tampering(client):
    subscriber = Subscriber.objects.create(email="late@example.org")
    with mock.patch(
        "django.core.signing.time.time", return_value=__import__("time").time() - 49 * 3600
    ):
        old_token = make_confirm_token(subscriber)
    response = client.post(f"/newsletter/confirm/{old_token}/")
    assert response.status_code == 400
    assert "expired or is not valid" in text_of(soup(response).select_one("h1"))
    # The page offers to subscribe again.
    assert soup(response).select_one("main form input[name=email]")
    fresh = make_confirm_token(subscriber)
    assert client.post(f"/newsletter/confirm/{fresh[:-2]}xx/").status_code == 400
    assert (
        client.post(
            f"/newsletter/confirm/{fresh.replace(str(subscriber.pk), '999', 1)}/"
        ).status_code
        == 400
    )
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"
    with mock.patch(
        "django.core.signing.time.time", return_value=__import__("time").time() - 47 * 3600
    ):
        recent = make_confirm_token(subscriber)
    assert client.post(f"/newsletter/confirm/{recent}/").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"


def test_one_click_unsubscribe_and_resubscribe(client):
    subscribe(client, "reader@example.org")
    message = mail.outbox[-1]
    client.post(path_of(confirm_link(message)))
    assert Subscriber.objects.get().status == "confirmed"
    # Every email carries RFC 8058 headers and a visible link.
    url = unsubscribe_link(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.alternatives[0][0]
    # A GET only asks; the mail client's POST has no cookie, no login and no CSRF token.
    assert client.get(path_of(url)).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path_of(url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "unsubscribed"
    assert subscriber.unsubscribed_at is not None
    # Posting again is harmless; a forged token is refused.
    assert mail_client.post(path_of(url)).status_code == 200
    assert mail_client.post("/newsletter/unsubscribe/1:forged/").status_code == 400
    # Re-subscribing works: a new confirmation, then confirmed again.
    subscribe(client, "reader@example.org")
    assert Subscriber.objects.get().status == "unsubscribed"
    client.post(path_of(confirm_link(mail.outbox[-1])))
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert subscriber.unsubscribed_at is None


def test_email_is_unique_regardless_of_case(client):
    subscribe(client, "Reader@Example.org")
    subscribe(client, "reader@EXAMPLE.ORG")
    assert Subscriber.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="READER@example.org")


def test_honeypot_stores_and_sends_nothing(client):
    response = subscribe(client, "bot@example.org", website="http://spam.example")
    assert response.status_code == 303
    assert not Subscriber.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Please enter your email address."),
        ("not-an-address", "Please enter a valid email address"),
        ("a" * 250 + "@example.org", "too long"),
        ("victim@example.org\r\nBcc: everyone@example.org", "single email address on one line"),
        ("victim@example.org%0ABcc:everyone@example.org", "single email address on one line"),
    ],
)
def test_bad_addresses_get_a_clear_message_and_store_nothing(client, email, message):
    response = subscribe(client, email)
    assert response.status_code == 400
    (error,) = soup(response).select(".subscribe-error")  # not repeated in the footer form
    assert message in text_of(error)
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_oversized_bodies_are_rejected(client):
    response = subscribe(client, "big@example.org", padding="x" * 10_000)
    assert response.status_code == 413
    assert "too large" in text_of(soup(response).select_one("h1"))
    assert not Subscriber.objects.exists()


@override_settings(NEWSLETTER_RATE_LIMIT_IP=(3, 600))
def test_rate_limit_per_ip_answers_429_with_a_friendly_page(client):
    for n in range(3):
        assert subscribe(client, f"r{n}@example.org").status_code == 303
    response = subscribe(client, "r4@example.org")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Too many attempts" in text_of(soup(response).select_one("h1"))
    assert "10 minutes" in text_of(soup(response).select_one("main"))
    assert not Subscriber.objects.filter(email="r4@example.org").exists()
    # Another IP is not affected.
    assert subscribe(Client(REMOTE_ADDR="10.1.2.3"), "r5@example.org").status_code == 303


@override_settings(NEWSLETTER_RATE_LIMIT_ADDRESS=(2, 3600))
def test_rate_limit_per_address_stops_mail_bombing(client):
    for n in range(2):
        ip_client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert subscribe(ip_client, "victim@example.org").status_code == 303
    response = subscribe(Client(REMOTE_ADDR="10.0.0.9"), "VICTIM@example.org")
    assert response.status_code == 429
    assert len(mail.outbox) == 2


@override_settings(TRUSTED_PROXY_COUNT=1, NEWSLETTER_RATE_LIMIT_IP=(1, 600))
def test_rate_limit_uses_the_forwarded_ip_behind_a_proxy(client):
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert subscribe(first, "a@example.org").status_code == 303
    assert subscribe(second, "b@example.org").status_code == 303
    assert subscribe(first, "c@example.org").status_code == 429


def test_subscribe_page_works_on_its_own(client):
    response = client.get("/newsletter/")
    assert response.status_code == 200
    assert soup(response).select_one("main form input[name=email]")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.put("/newsletter/").status_code == 405


def test_subscribe_block_in_an_article_body(make_article, client):
    page = make_article(
        slug="with-block",
        body=[
            ("paragraph", "<p>Before.</p>"),
            ("subscribe", {"heading": "Get the Balkans briefing", "text": "Twice a week."}),
        ],
    )
    html = soup(client.get(page.url))
    block = html.select_one(".article-body .block-subscribe")
    assert text_of(block.select_one("h2")) == "Get the Balkans briefing"
    assert "Twice a week." in text_of(block)
    form = block.select_one("form")
    response = client.post(form["action"], form_data(form, "blockreader@example.org"))
    assert response.status_code == 303
    assert Subscriber.objects.get().source == "block"


def test_confirmation_not_resent_to_confirmed_readers(client):
    make_subscribers(1)
    subscribe(client, "reader0@example.org")
    assert not mail.outbox
    assert datetime  # keeps the import honest for linters
