"""Per-send statistics, click tracking (opt-in, signed redirects, no open pixel), editors'
emails sent from the admin."""

import re

import pytest
from django.core import mail
from django.test import Client

from newsletter.models import Delivery, Mailing
from newsletter.tokens import make_click_token
from tests.support.helpers import soup, text_of
from tests.support.newsletter import default_newsletter, make_newsletter, make_subscribers, path_of

pytestmark = pytest.mark.django_db


def html_links(message):
    return re.findall(r'href="([^"]+)"', message.alternatives[0][0])


def test_clicks_are_counted_only_when_the_newsletter_opts_in(publish_new):
    newsletter = default_newsletter()
    make_subscribers(1)
    article = publish_new()
    assert not [link for link in html_links(mail.outbox[0]) if "/newsletter/c/" in link]

    newsletter.track_clicks = True
    newsletter.save()
    mail.outbox.clear()
    article = publish_new()
    message = mail.outbox[0]
    links = html_links(message)
    tracked = [link for link in links if "/newsletter/c/" in link]
    assert tracked and all("/newsletter/c/" in link for link in links if article.url in link)
    # Unsubscribe and preference links, and the plain-text part, are never redirected.
    assert any("/newsletter/unsubscribe/" in link for link in links)
    assert any("/newsletter/preferences/" in link for link in links)
    assert "/newsletter/c/" not in message.body
    assert "<img" not in message.alternatives[0][0]  # no open-tracking pixel

    client = Client()
    response = client.get(path_of(tracked[0]))
    assert response.status_code == 302
    assert response["Location"] == article.get_full_url() + "?src=nl"
    assert not response.cookies
    client.get(path_of(tracked[0]))
    assert Delivery.objects.get(article=article).clicks == 2


def test_tampered_click_links_are_refused(publish_new, client):
    make_subscribers(1)
    publish_new()
    delivery = Delivery.objects.get()
    good = make_click_token(delivery.pk, "https://balkanreport.example/a/")
    for token in [good[:-1] + ("A" if good[-1] != "A" else "B"), "nonsense", good + "x"]:
        assert client.get(f"/newsletter/c/{token}/").status_code == 400
    evil = make_click_token(delivery.pk, "javascript:alert(1)")
    assert client.get(f"/newsletter/c/{evil}/").status_code == 400
    assert Delivery.objects.get().clicks == 0


def test_per_send_statistics_in_the_admin(admin_client, publish_new):
    make_subscribers(5)
    publish_new(title="Counted article")
    rows = list(Delivery.objects.order_by("pk"))
    Delivery.objects.filter(pk__in=[d.pk for d in rows[:4]]).update(delivered_at=rows[0].sent_at)
    Delivery.objects.filter(pk=rows[4].pk).update(bounced_at=rows[0].sent_at, bounce_type="hard")
    Delivery.objects.filter(pk=rows[3].pk).update(complained_at=rows[0].sent_at)
    Delivery.objects.filter(pk=rows[2].pk).update(unsubscribed_at=rows[0].sent_at, clicks=3)
    response = admin_client.get("/admin/newsletter-deliveries/")
    table = soup(response).select_one("table")
    headers = [text_of(th) for th in table.select("thead th")]
    row = next(tr for tr in table.select("tbody tr") if "Counted article" in text_of(tr))
    cells = dict(zip(headers, [text_of(td) for td in row.select("td")], strict=False))
    assert cells["Sent"] == "5"
    assert cells["Delivered"] == "4"
    assert (cells["Bounced"], cells["Complaints"], cells["Unsubscribed"]) == ("1", "1", "1")
    assert cells["Clicks"] == "3"


def test_editors_send_an_email_to_one_newsletter(admin_client, django_capture_on_commit_callbacks):
    briefing = make_newsletter("briefing", name="Morning briefing", cadence="manual")
    make_subscribers(2, prefix="briefing", newsletters=[briefing])
    make_subscribers(1, prefix="other")
    response = admin_client.post("/admin/newsletter-deliveries/new/", {"newsletter": briefing.pk})
    assert response.status_code == 200  # the form again, with errors
    assert "This field is required." in response.content.decode()
    assert not Mailing.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/newsletter-deliveries/new/",
            {
                "newsletter": briefing.pk,
                "subject": "A note from the editor",
                "body": "Thanks.\n\nBye.",
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "briefing0@example.org",
        "briefing1@example.org",
    ]
    assert mail.outbox[0].subject == "A note from the editor"
    assert "<p>Thanks.</p>" in mail.outbox[0].alternatives[0][0]
    mailing = Mailing.objects.get()
    assert (mailing.kind, mailing.finished_at is not None) == ("manual", True)
