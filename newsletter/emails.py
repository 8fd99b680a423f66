"""The emails: confirmation and new article, each as plain text + HTML with inline styles."""

from __future__ import annotations

import base64
import email.policy
import email.utils
import secrets
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.mail import DNS_NAME, EmailMultiAlternatives, mailers, make_msgid
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from . import conf
from .tokens import make_confirm_token, make_unsubscribe_token

# Rendered once per article; swapped for each subscriber's own link when sending.
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/__newsletter_unsubscribe__"


def get_mailer():
    alias = conf.get("NEWSLETTER_MAILER") or (
        "newsletter" if "newsletter" in mailers else "default"
    )
    return mailers[alias]


def publication_name() -> str:
    from home.models import SiteSettings

    try:
        return SiteSettings.for_request_or_default(None).publication_name or "The Balkan Report"
    except Exception:  # noqa: BLE001 - no site yet (fresh database): fall back to the default
        return "The Balkan Report"


def unsubscribe_url(subscriber) -> str:
    return conf.absolute(
        reverse("newsletter:unsubscribe", args=[make_unsubscribe_token(subscriber)])
    )


def confirm_url(subscriber) -> str:
    return conf.absolute(reverse("newsletter:confirm", args=[make_confirm_token(subscriber)]))


def list_headers(unsubscribe: str) -> dict[str, str]:
    # RFC 2369 + RFC 8058: mail clients show an "Unsubscribe" button that POSTs here.
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirmation_message(subscriber) -> EmailMultiAlternatives:
    name = publication_name()
    unsubscribe = unsubscribe_url(subscriber)
    context = {
        "publication": name,
        "confirm_url": confirm_url(subscriber),
        "unsubscribe_url": unsubscribe,
        "subscriber": subscriber,
        "hours": conf_hours(),
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {name}",
        body=render_to_string("newsletter/email/confirmation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers=list_headers(unsubscribe),
    )
    message.attach_alternative(
        render_to_string("newsletter/email/confirmation.html", context), "text/html"
    )
    return message


def conf_hours() -> int:
    from .tokens import CONFIRM_MAX_AGE

    return CONFIRM_MAX_AGE // 3600


def send_confirmation(subscriber) -> None:
    get_mailer().send_messages([confirmation_message(subscriber)])


def _lead_image(article):
    if not article.lead_image:
        return None
    rendition = article.lead_image.get_rendition("fill-1200x675|format-jpeg|jpegquality-80")
    return {"url": rendition.full_url, "alt": article.lead_alt, "width": 600, "height": 338}


def article_url(article) -> str:
    url = article.get_full_url() if article.pk and article.url_path else None
    return url or conf.absolute("/")


@dataclass
class RenderedArticle:
    """An article's email, rendered once, with a placeholder for the unsubscribe link."""

    subject: str
    text: str
    html: str

    def message_for(self, email: str, unsubscribe: str) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email],
            headers=list_headers(unsubscribe),
        )
        message.attach_alternative(
            self.html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe), "text/html"
        )
        return message

    # The fast path for SMTP: Python's email package needs several milliseconds to build each
    # message, which caps a sender at about 100 emails/s. The headers that are the same for
    # everyone are folded once; each message then only base64-encodes its two bodies.
    @cached_property
    def _common_headers(self) -> bytes:
        policy = email.policy.SMTP
        subject = " ".join(str(self.subject).split())  # one line, whatever the editor typed
        return (
            "MIME-Version: 1.0\r\n"
            + policy.fold("Subject", subject)
            + policy.fold("From", settings.DEFAULT_FROM_EMAIL)
        ).encode("ascii")

    @cached_property
    def envelope_from(self) -> str:
        return email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    def mime_for(self, address: str, unsubscribe: str) -> bytes:
        """The complete message as bytes for smtplib (ASCII address and URL only)."""
        boundary = "=_" + secrets.token_hex(16)

        def part(content_type: str, body: str) -> str:
            encoded = base64.encodebytes(
                body.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe).encode()
            )
            return (
                f"--{boundary}\r\n"
                f'Content-Type: {content_type}; charset="utf-8"\r\n'
                "Content-Transfer-Encoding: base64\r\n\r\n"
                + encoded.decode("ascii").replace("\n", "\r\n")
            )

        head = (
            f"To: {address}\r\n"
            f"Date: {email.utils.formatdate(usegmt=True)}\r\n"
            f"Message-ID: {make_msgid(domain=DNS_NAME)}\r\n"
            f"List-Unsubscribe: <{unsubscribe}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'
        )
        body = part("text/plain", self.text) + part("text/html", self.html) + f"--{boundary}--\r\n"
        return self._common_headers + (head + body).encode("ascii")


def render_article(article) -> RenderedArticle:
    context = {
        "publication": publication_name(),
        "article": article,
        "article_url": article_url(article),
        "lead_image": _lead_image(article),
        "authors": article.authors if article.pk else [],
        "date": article.date,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "site_url": conf.absolute("/"),
    }
    return RenderedArticle(
        subject=article.title,
        text=render_to_string("newsletter/email/article.txt", context),
        html=render_to_string("newsletter/email/article.html", context),
    )


def newsletter_preview_response(article, request) -> HttpResponse:
    """The "Newsletter" preview mode: the email as subscribers will see it."""
    rendered = render_article(article)
    html = rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, conf.absolute("/newsletter/"))
    return HttpResponse(html)
