"""Bounce and complaint webhooks: SES through SNS, Postmark, Mailgun; signatures valid, invalid,
replayed; what each event changes (and that a refused request changes nothing)."""

import base64
import datetime
import hashlib
import hmac
import json
import shutil
import subprocess
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from newsletter import sns
from newsletter.models import Delivery, Subscriber, Suppression
from tests.support.newsletter import make_subscribers

pytestmark = pytest.mark.django_db
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
CERT_URL = "https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-abc.pem"


@pytest.fixture(scope="module")
def signing_key(tmp_path_factory):
    """An RSA key and self-signed certificate made by openssl, as SNS would use."""
    folder = tmp_path_factory.mktemp("sns")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
         "-out", cert, "-days", "2", "-subj", "/CN=sns.amazonaws.com"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert.read_bytes()


@pytest.fixture
def sns_certificate(signing_key):
    sns._certificates.clear()
    with mock.patch.object(sns, "https_get", return_value=signing_key[1]) as get:
        yield get
    sns._certificates.clear()


def sign(message, key, version="2"):
    message = {**message, "SignatureVersion": version, "SigningCertURL": CERT_URL}
    digest = "-sha256" if version == "2" else "-sha1"
    signature = subprocess.run(  # noqa: S603 - fixed arguments
        [OPENSSL, "dgst", digest, "-sign", key],
        input=sns.string_to_sign(message), check=True, capture_output=True,
    ).stdout  # fmt: skip
    message["Signature"] = base64.b64encode(signature).decode()
    return message


def notification(ses_event, message_id="msg-1", timestamp=None):
    return {
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": "arn:aws:sns:eu-central-1:123:ses-events",
        "Message": json.dumps(ses_event),
        "Timestamp": (timestamp or timezone.now()).isoformat().replace("+00:00", "Z"),
    }


def bounce(address, kind="Permanent", message_id="<nl.1.abc@host>"):
    return {
        "notificationType": "Bounce",
        "bounce": {"bounceType": kind, "bounceSubType": "General",
                   "bouncedRecipients": [{"emailAddress": address}]},
        "mail": {"commonHeaders": {"messageId": message_id}},
    }  # fmt: skip


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def sent(publish_new):
    """Two readers who received an article: their deliveries are what the events are about."""
    make_subscribers(2)
    publish_new()
    return {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}


def test_ses_hard_bounce_suppresses_for_every_newsletter(
    client, sns_certificate, signing_key, sent
):
    delivery = sent["reader0@example.org"]
    event = bounce("Reader0@Example.org", message_id=f"<nl.{delivery.pk}.1a2b@host>")
    message = sign(notification(event), signing_key[0])
    assert post(client, "/newsletter/webhooks/ses/", message).status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.source) == (
        "reader0@example.org",
        "hard_bounce",
        "ses",
    )
    delivery.refresh_from_db()
    assert delivery.bounced_at and delivery.bounce_type == "hard"
    sns_certificate.assert_called_once_with(CERT_URL)

    # The same message again (a replay) is refused and changes nothing.
    Suppression.objects.all().delete()
    assert post(client, "/newsletter/webhooks/ses/", message).status_code == 409
    assert not Suppression.objects.exists()


def test_ses_signature_version_1_complaint_and_delivery(client, sns_certificate, signing_key, sent):
    delivery = sent["reader1@example.org"]
    complaint = {
        "notificationType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": "reader1@example.org"}]},
        "mail": {"headers": [{"name": "Message-ID", "value": f"<nl.{delivery.pk}.ff@h>"}]},
    }
    message = sign(notification(complaint, "msg-c"), signing_key[0], version="1")
    assert post(client, "/newsletter/webhooks/ses/", message).status_code == 200
    assert Suppression.objects.get().reason == "complaint"
    delivered = {
        "notificationType": "Delivery",
        "delivery": {"recipients": ["reader1@example.org"]},
        "mail": {"commonHeaders": {"messageId": f"<nl.{delivery.pk}.ee@h>"}},
    }
    message = sign(notification(delivered, "msg-d"), signing_key[0])
    assert post(client, "/newsletter/webhooks/ses/", message).status_code == 200
    delivery.refresh_from_db()
    assert delivery.complained_at and delivery.delivered_at


def test_ses_soft_bounce_is_counted_not_suppressed(client, sns_certificate, signing_key, sent):
    message = sign(notification(bounce("reader0@example.org", "Transient")), signing_key[0])
    assert post(client, "/newsletter/webhooks/ses/", message).status_code == 200
    assert not Suppression.objects.exists()
    assert Subscriber.objects.get(email="reader0@example.org").soft_bounces == 1


def forged_messages(signing_key):
    good = sign(notification(bounce("reader0@example.org")), signing_key[0])
    yield "altered message", {**good, "Message": json.dumps(bounce("reader1@example.org"))}
    yield "no signature", {k: v for k, v in good.items() if k != "Signature"}
    yield "garbage signature", {**good, "Signature": "not base64!"}
    yield "unknown version", {**good, "SignatureVersion": "9"}
    for url in [
        "https://sns.eu-central-1.amazonaws.com.evil.example/cert.pem",
        "http://sns.eu-central-1.amazonaws.com/cert.pem",
        "https://evil.example/sns.eu-central-1.amazonaws.com/cert.pem",
        "https://sns.eu-central-1.amazonaws.com:8443/cert.pem",
        "https://sns.eu-central-1.amazonaws.com/cert.txt",
    ]:
        yield (
            url,
            sign({**notification(bounce("reader0@example.org"))}, signing_key[0])
            | {"SigningCertURL": url},
        )
    old = timezone.now() - datetime.timedelta(hours=2)
    yield (
        "old timestamp",
        sign(notification(bounce("reader0@example.org"), timestamp=old), signing_key[0]),
    )


def test_ses_forged_or_replayed_messages_change_nothing(client, sns_certificate, signing_key, sent):
    for name, message in forged_messages(signing_key):
        response = post(client, "/newsletter/webhooks/ses/", message)
        assert 400 <= response.status_code < 500, name
    assert (
        client.post(
            "/newsletter/webhooks/ses/", "{not json", content_type="application/json"
        ).status_code
        == 400
    )
    assert client.get("/newsletter/webhooks/ses/").status_code == 405
    # Certificates are only ever fetched from SNS hosts.
    assert {call.args[0] for call in sns_certificate.call_args_list} <= {CERT_URL}
    assert not Suppression.objects.exists()
    assert Subscriber.objects.filter(soft_bounces__gt=0).count() == 0
    assert not Delivery.objects.filter(bounced_at__isnull=False).exists()


@override_settings(NEWSLETTER_SES_TOPIC_ARNS=["arn:aws:sns:eu-central-1:123:other"])
def test_ses_other_topics_are_refused(client, sns_certificate, signing_key, sent):
    message = sign(notification(bounce("reader0@example.org")), signing_key[0])
    assert post(client, "/newsletter/webhooks/ses/", message).status_code == 403
    assert not Suppression.objects.exists()


def test_ses_subscription_confirmation_is_followed_on_sns_hosts_only(
    client, sns_certificate, signing_key
):
    confirm = {
        "Type": "SubscriptionConfirmation",
        "MessageId": "sub-1",
        "Token": "tok",
        "TopicArn": "arn:aws:sns:eu-central-1:123:ses-events",
        "Message": "You have chosen to subscribe.",
        "SubscribeURL": "https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok",
        "Timestamp": timezone.now().isoformat(),
    }
    assert (
        post(client, "/newsletter/webhooks/ses/", sign(confirm, signing_key[0])).status_code == 200
    )
    assert sns_certificate.call_args_list[-1].args[0] == confirm["SubscribeURL"]
    evil = sign({**confirm, "SubscribeURL": "https://evil.example/"}, signing_key[0])
    assert post(client, "/newsletter/webhooks/ses/", evil).status_code == 400
    assert sns_certificate.call_args_list[-1].args[0] != "https://evil.example/"


POSTMARK = {
    "NEWSLETTER_POSTMARK_WEBHOOK_USER": "postmark",
    "NEWSLETTER_POSTMARK_WEBHOOK_PASSWORD": "s3cret",
}


def basic(user, password):
    return {
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    }


@override_settings(**POSTMARK)
def test_postmark_bounces_and_complaints(client, sent):
    delivery = sent["reader0@example.org"]
    hard = {
        "RecordType": "Bounce",
        "ID": 42,
        "Type": "HardBounce",
        "Email": "reader0@example.org",
        "Metadata": {"delivery": str(delivery.pk)},
        "BouncedAt": timezone.now().isoformat(),
    }
    auth = basic("postmark", "s3cret")
    assert post(client, "/newsletter/webhooks/postmark/", hard, **auth).status_code == 200
    assert Suppression.objects.get().source == "postmark"
    delivery.refresh_from_db()
    assert delivery.bounce_type == "hard"
    assert post(client, "/newsletter/webhooks/postmark/", hard, **auth).status_code == 409
    soft = {**hard, "ID": 43, "Type": "SoftBounce", "Email": "reader1@example.org", "Metadata": {}}
    assert post(client, "/newsletter/webhooks/postmark/", soft, **auth).status_code == 200
    assert Subscriber.objects.get(email="reader1@example.org").soft_bounces == 1
    complaint = {"RecordType": "SpamComplaint", "ID": 44, "Email": "reader1@example.org"}
    assert post(client, "/newsletter/webhooks/postmark/", complaint, **auth).status_code == 200
    assert Suppression.objects.get(email="reader1@example.org").reason == "complaint"


@override_settings(**POSTMARK)
def test_postmark_without_the_right_credentials_changes_nothing(client, sent):
    hard = {"RecordType": "Bounce", "ID": 1, "Type": "HardBounce", "Email": "reader0@example.org"}
    for headers in [
        {},
        basic("postmark", "wrong"),
        basic("other", "s3cret"),
        {"HTTP_AUTHORIZATION": "Basic !!!"},
        {"HTTP_AUTHORIZATION": "Bearer s3cret"},
    ]:
        assert post(client, "/newsletter/webhooks/postmark/", hard, **headers).status_code == 401
    with override_settings(NEWSLETTER_POSTMARK_WEBHOOK_PASSWORD=""):  # not configured: closed
        assert (
            post(
                client, "/newsletter/webhooks/postmark/", hard, **basic("postmark", "")
            ).status_code
            == 401
        )
    assert not Suppression.objects.exists()


MAILGUN_KEY = "key-mailgun-signing"


def mailgun_body(event_data, timestamp=None, token="tok-1", key=MAILGUN_KEY):  # noqa: S107
    timestamp = str(int(timestamp if timestamp is not None else time.time()))
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return {"signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": event_data}  # fmt: skip


@override_settings(NEWSLETTER_MAILGUN_SIGNING_KEY=MAILGUN_KEY)
def test_mailgun_signed_events_once_within_the_window(client, sent):
    delivery = sent["reader1@example.org"]
    failed = {
        "event": "failed",
        "severity": "permanent",
        "recipient": "reader1@example.org",
        "user-variables": {"delivery": str(delivery.pk)},
        "delivery-status": {"code": 550},
    }
    body = mailgun_body(failed)
    assert post(client, "/newsletter/webhooks/mailgun/", body).status_code == 200
    assert Suppression.objects.get().email == "reader1@example.org"
    delivery.refresh_from_db()
    assert delivery.bounce_type == "hard"
    Suppression.objects.all().delete()
    assert post(client, "/newsletter/webhooks/mailgun/", body).status_code == 409  # same token
    old = mailgun_body(failed, timestamp=time.time() - 3600, token="tok-2")
    assert post(client, "/newsletter/webhooks/mailgun/", old).status_code == 400
    wrong_key = mailgun_body(failed, token="tok-3", key="another key")
    assert post(client, "/newsletter/webhooks/mailgun/", wrong_key).status_code == 403
    altered = mailgun_body(failed, token="tok-4")
    altered["signature"]["token"] = "tok-5"
    assert post(client, "/newsletter/webhooks/mailgun/", altered).status_code == 403
    assert post(client, "/newsletter/webhooks/mailgun/", {"event-data": failed}).status_code == 403
    assert not Suppression.objects.exists()
    temporary = {**failed, "severity": "temporary"}
    assert (
        post(
            client, "/newsletter/webhooks/mailgun/", mailgun_body(temporary, token="t6")
        ).status_code
        == 200
    )
    assert not Suppression.objects.exists()
    assert Subscriber.objects.get(email="reader1@example.org").soft_bounces == 1


def test_suppressed_addresses_get_no_email_of_any_kind(client, publish_new):
    make_subscribers(1)
    Suppression.add("reader0@example.org", Suppression.Reason.MANUAL)
    client.post("/newsletter/", {"email": "reader0@example.org"})
    publish_new()
    assert mail.outbox == []


def test_editors_see_and_edit_the_suppression_list(admin_client):
    Suppression.add("gone@example.org", Suppression.Reason.COMPLAINT, source="ses")
    response = admin_client.get("/admin/newsletter-suppressions/")
    assert "gone@example.org" in response.content.decode()
    response = admin_client.post(
        "/admin/newsletter-suppressions/new/",
        {"email": "Typo@Example.org", "reason": "manual", "detail": "asked by phone"},
    )
    assert response.status_code == 302
    assert Suppression.objects.filter(email="typo@example.org").exists()
    entry = Suppression.objects.get(email="gone@example.org")
    admin_client.post(f"/admin/newsletter-suppressions/delete/{entry.pk}/")
    assert not Suppression.objects.filter(email="gone@example.org").exists()
