"""Editors: subscribers in the admin, export/import, delivery counts, newsletter preview."""

import csv
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from newsletter.importexport import import_subscribers
from newsletter.models import Delivery, Subscriber
from tests.support.helpers import soup, text_of
from tests.support.newsletter import make_subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_subscribers():
    make_subscribers(3)
    make_subscribers(2, status="pending", prefix="waiting")
    make_subscribers(1, status="unsubscribed", prefix="gone")


def emails_listed(response):
    return sorted(
        text_of(a) for a in soup(response).select("table tbody td a") if "@" in text_of(a)
    )


def test_subscribers_listed_searched_and_filtered_in_the_admin(admin_client, some_subscribers):
    response = admin_client.get("/admin/subscribers/")
    assert response.status_code == 200
    assert len(emails_listed(response)) == 6
    confirmed = admin_client.get("/admin/subscribers/", {"status": "confirmed"})
    assert emails_listed(confirmed) == [f"reader{i}@example.org" for i in range(3)]
    found = admin_client.get("/admin/subscribers/", {"q": "waiting1"})
    assert emails_listed(found) == ["waiting1@example.org"]


def test_subscribers_export_as_csv_from_the_admin(admin_client, some_subscribers):
    response = admin_client.get("/admin/subscribers/", {"export": "csv", "status": "pending"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    rows = list(csv.reader(io.StringIO(body)))
    assert sorted(row[0] for row in rows[1:]) == ["waiting0@example.org", "waiting1@example.org"]


def test_the_admin_menu_has_the_newsletter(admin_client):
    response = admin_client.get("/admin/")
    content = response.content.decode()
    for item in ["Newsletters", "Subscribers", "Suppression list", "Sends and statistics"]:
        assert item in content


def test_delivery_counts_per_article(admin_client, publish_new):
    make_subscribers(3)
    article = publish_new(title="Counted article")
    Delivery.objects.filter(subscriber__email="reader0@example.org").update(status="failed")
    response = admin_client.get("/admin/newsletter-deliveries/")
    assert response.status_code == 200
    row = next(
        tr for tr in soup(response).select("table tbody tr") if "Counted article" in text_of(tr)
    )
    cells = [text_of(td) for td in row.select("td")]
    assert "2" in cells and "1" in cells
    assert article.newsletter_deliveries.filter(status="sent").count() == 2


def test_export_and_import_commands_round_trip(tmp_path, some_subscribers):
    out = io.StringIO()
    call_command("export_subscribers", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 6
    assert {"email", "status", "created_at", "consent_text"} <= set(rows[0])
    path = tmp_path / "subscribers.csv"
    call_command("export_subscribers", "--status", "confirmed", "--output", str(path))
    Subscriber.objects.all().delete()
    result = io.StringIO()
    call_command("import_subscribers", str(path), "--status", "confirmed", stdout=result)
    assert "3 created" in result.getvalue()
    assert Subscriber.objects.filter(status="confirmed").count() == 3
    assert not mail.outbox  # an import never emails anyone


def test_import_command_reads_plain_lists_and_skips_bad_rows(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("one@example.org\nONE@example.org\nnot an address\ntwo@example.org\n")
    out = io.StringIO()
    call_command(
        "import_subscribers", str(path), "--status", "pending", stdout=out, stderr=io.StringIO()
    )
    assert "2 created, 1 already there, 1 invalid" in out.getvalue()
    assert set(Subscriber.objects.values_list("email", "status")) == {
        ("one@example.org", "pending"),
        ("two@example.org", "pending"),
    }


def test_importer_is_reusable_and_never_overrides_an_unsubscribe():
    Subscriber.objects.create(email="left@example.org", status="unsubscribed")
    rows = [
        {"email": "Left@Example.org", "created_at": "2020-01-02T03:04:05+00:00"},
        {
            "email": "kept@example.org",
            "created_at": "2020-01-02T03:04:05",
            "consent_text": "WP form",
        },
        {"email": "x" * 250 + "@example.org"},
        {"email": "evil@example.org\nBcc: all@example.org"},
    ]
    result = import_subscribers(rows, Subscriber.Status.CONFIRMED, source="wordpress")
    assert (result.created, result.existing, len(result.invalid)) == (1, 1, 2)
    kept = Subscriber.objects.get(email="kept@example.org")
    assert kept.status == "confirmed" and kept.source == "wordpress"
    assert kept.created_at.year == 2020 and kept.confirmed_at == kept.created_at
    assert kept.consent_text == "WP form"
    assert Subscriber.objects.get(email="left@example.org").status == "unsubscribed"
    with pytest.raises(ValueError):
        import_subscribers(["a@example.org"], "vip")


def test_newsletter_preview_mode_shows_the_email(publish_new, admin_user):
    article = publish_new(title="Preview me", standfirst="The email version.")
    assert ("newsletter", "Newsletter email") in article.preview_modes
    assert article.preview_modes[0][0] == ""  # the normal page preview stays first
    request = RequestFactory().get("/")
    request.user = admin_user
    response = article.serve_preview(request, "newsletter")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview me" in html and "The email version." in html
    assert "Read the article" in html and "Unsubscribe" in html


def test_editor_sees_the_dont_email_option(admin_client, publish_new):
    article = publish_new()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("input[name=skip_newsletter][type=checkbox]")
    assert (
        "Don&#x27;t email this article" in response.content.decode()
        or "Don't email this article" in text_of(html)
    )
    assert html.select_one('[value="newsletter"]')  # the preview mode is offered
