"""Integration: a real SMTP server (aiosmtpd) receives the confirmation and a newsletter."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client, override_settings

from newsletter.models import Subscriber
from tests.support.newsletter import links_in, path_of

pytestmark = pytest.mark.django_db


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    smtp = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    smtp["OPTIONS"] = {"host": "127.0.0.1", "port": port, "timeout": 10}
    try:
        with override_settings(MAILERS={"default": smtp}):
            yield sink
    finally:
        controller.stop()


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_confirmation_and_newsletter_through_a_real_smtp_server(smtp_server, publish_new):
    reader = Client()
    response = reader.post("/newsletter/", {"email": "Reader@Example.org", "source": "footer"})
    assert response.status_code == 303
    # The confirmation arrives over SMTP.
    ((mail_from, rcpts, confirmation),) = smtp_server.messages
    assert rcpts == ["reader@example.org"]
    assert "newsletter@balkanreport.example" in mail_from
    assert confirmation["Subject"] == "Confirm your subscription to The Balkan Report"
    text, html = parts(confirmation)
    link = next(url for url in links_in(text) if "/newsletter/confirm/" in url)
    assert link in html
    assert reader.post(path_of(link)).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"

    # A new article arrives over SMTP, HTML + text, with one-click unsubscribe headers.
    article = publish_new(
        title="Ura e Mitrovicës rihapet – bridge reopens",
        standfirst="Trafiku rifillon, më në fund. Traffic resumes.",
    )
    assert len(smtp_server.messages) == 2
    _, rcpts, newsletter = smtp_server.messages[1]
    assert rcpts == ["reader@example.org"]
    assert newsletter["Subject"] == "Ura e Mitrovicës rihapet – bridge reopens"
    text, html = parts(newsletter)
    assert "Traffic resumes." in text and "Traffic resumes." in html
    assert article.get_full_url() in text
    unsubscribe = newsletter["List-Unsubscribe"].strip("<>")
    assert "/newsletter/unsubscribe/" in unsubscribe
    assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html

    # The mail client's one-click POST (RFC 8058) unsubscribes at once.
    one_click = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"
    publish_new(title="Another story")
    assert len(smtp_server.messages) == 2
