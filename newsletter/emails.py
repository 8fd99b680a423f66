"""The emails: confirmation, welcome, new article, digest and editor's email, each as plain
text + HTML with inline styles. A newsletter email is rendered once per send (and newsletter,
and set of digest items) with placeholders for each reader's own links."""

from __future__ import annotations

import base64
import email.policy
import email.utils
import json
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.mail import DNS_NAME, EmailMultiAlternatives, mailers, make_msgid
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from . import conf, i18n
from .tokens import (
    make_click_token,
    make_confirm_token,
    make_preferences_token,
    make_unsubscribe_token,
)

# Rendered once per send; swapped for each subscriber's own links when sending.
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/__newsletter_unsubscribe__"
PREFERENCES_PLACEHOLDER = "https://preferences.invalid/__newsletter_preferences__"
CLICK_PLACEHOLDER = "https://click.invalid/__newsletter_click__/"
HREF = re.compile(r'href="(https?://[^"]+)"')


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


def unsubscribe_url(subscriber, newsletter_id: int | None = None) -> str:
    """One-click unsubscribe: from one newsletter, or (no newsletter) from all."""
    token = make_unsubscribe_token(subscriber, newsletter_id)
    return conf.absolute(reverse("newsletter:unsubscribe", args=[token]))


def preferences_url(subscriber) -> str:
    token = make_preferences_token(subscriber)
    return conf.absolute(reverse("newsletter:preferences", args=[token]))


def click_url(delivery_id: int, url: str) -> str:
    return conf.absolute(reverse("newsletter:click", args=[make_click_token(delivery_id, url)]))


def sender(newsletter=None) -> str:
    """The From header: the newsletter's sender name with the site's sending address."""
    name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    if newsletter is not None and newsletter.sender_name:
        name = newsletter.sender_name
    return email.utils.formataddr((name, address)) if name else address


def confirm_url(subscriber) -> str:
    return conf.absolute(reverse("newsletter:confirm", args=[make_confirm_token(subscriber)]))


def list_headers(unsubscribe: str) -> dict[str, str]:
    # RFC 2369 + RFC 8058: mail clients show an "Unsubscribe" button that POSTs here.
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirmation_message(subscriber) -> EmailMultiAlternatives:
    """In the reader's language (the page they subscribed on, or their choice since)."""
    language = i18n.reader_language(subscriber)
    with i18n.override(language):
        return _confirmation_message(subscriber, language)


def _confirmation_message(subscriber, language) -> EmailMultiAlternatives:
    name = publication_name()
    unsubscribe = unsubscribe_url(subscriber)
    context = {
        "publication": name,
        "confirm_url": confirm_url(subscriber),
        "unsubscribe_url": unsubscribe,
        "subscriber": subscriber,
        "newsletters": [s.newsletter for s in pending_subscriptions(subscriber)],
        "hours": conf_hours(),
    }
    subject = gettext("Confirm your subscription to %(publication)s") % {"publication": name}
    message = EmailMultiAlternatives(
        subject=i18n.in_script(subject, language, html=False),
        body=_text(language, "newsletter/email/confirmation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers=list_headers(unsubscribe),
    )
    message.attach_alternative(
        _html(language, "newsletter/email/confirmation.html", context), "text/html"
    )
    return message


def _text(language, template, context) -> str:
    return i18n.in_script(render_to_string(template, context), language, html=False)


def _html(language, template, context) -> str:
    return i18n.in_script(render_to_string(template, context), language, html=True)


def pending_subscriptions(subscriber):
    from .models import Subscription

    return subscriber.subscriptions.filter(status=Subscription.Status.PENDING).select_related(
        "newsletter"
    )


def welcome_message(subscription) -> EmailMultiAlternatives:
    language = i18n.email_language(subscription.subscriber, subscription.newsletter)
    with i18n.override(language):
        return _welcome_message(subscription, language)


def _welcome_message(subscription, language) -> EmailMultiAlternatives:
    newsletter = subscription.newsletter
    subscriber = subscription.subscriber
    unsubscribe = unsubscribe_url(subscriber, newsletter.pk)
    context = {
        "publication": publication_name(),
        "newsletter": newsletter,
        "unsubscribe_url": unsubscribe,
        "preferences_url": preferences_url(subscriber),
        "footer_note": gettext("You receive this email because you subscribed to %(name)s.")
        % {"name": newsletter.name},
        "site_url": conf.absolute("/"),
    }
    subject = newsletter.welcome_subject or gettext("Welcome to %(name)s") % {
        "name": newsletter.name
    }
    message = EmailMultiAlternatives(
        subject=i18n.in_script(subject, language, html=False),
        body=_text(language, "newsletter/email/welcome.txt", context),
        from_email=sender(newsletter),
        to=[subscriber.email],
        headers=list_headers(unsubscribe),
    )
    message.attach_alternative(
        _html(language, "newsletter/email/welcome.html", context), "text/html"
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


# Links in emails name their source, so readers' numbers count the visit as the newsletter's
# (docs/analytics.md); the page cache ignores the parameter.
SOURCE_QUERY = "?src=nl"


def article_url(article) -> str:
    url = article.get_full_url() if article.pk and article.url_path else None
    return (url or conf.absolute("/")) + SOURCE_QUERY


@dataclass
class RenderedEmail:
    """One send's email, rendered once, with placeholders for each reader's links."""

    subject: str
    text: str
    html: str
    from_email: str = ""
    newsletter_id: int | None = None
    links: list[str] = field(default_factory=list)  # tracked links, when clicks are counted
    language: str = ""  # the readers' links go to the pages in this language

    def __post_init__(self):
        self.from_email = self.from_email or sender()

    def track_clicks(self) -> None:
        """Point the HTML's links at numbered placeholders (each reader's signed redirect)."""

        def replace(match):
            url = match.group(1)
            if url in (UNSUBSCRIBE_PLACEHOLDER, PREFERENCES_PLACEHOLDER):
                return match.group(0)
            if url not in self.links:
                self.links.append(url)
            return f'href="{CLICK_PLACEHOLDER}{self.links.index(url)}"'

        self.html = HREF.sub(replace, self.html)

    def personalise(self, body: str, links: dict[str, str], delivery_id) -> str:
        for placeholder, url in links.items():
            body = body.replace(placeholder, url)
        if self.links and delivery_id is not None:
            # Highest index first: placeholder 1 is a prefix of placeholder 10.
            for index in range(len(self.links) - 1, -1, -1):
                body = body.replace(
                    f"{CLICK_PLACEHOLDER}{index}", click_url(delivery_id, self.links[index])
                )
        return body

    def reader_links(self, subscriber) -> dict[str, str]:
        with i18n.override(self.language):
            return {
                UNSUBSCRIBE_PLACEHOLDER: unsubscribe_url(subscriber, self.newsletter_id),
                PREFERENCES_PLACEHOLDER: preferences_url(subscriber),
            }

    @staticmethod
    def provider_headers(delivery_id) -> dict[str, str]:
        # Webhooks name the delivery back: Postmark returns metadata, Mailgun user variables,
        # SES the original Message-ID.
        if delivery_id is None:
            return {}
        return {
            "X-PM-Metadata-delivery": str(delivery_id),
            "X-Mailgun-Variables": json.dumps({"delivery": str(delivery_id)}),
        }

    @staticmethod
    def message_id(delivery_id) -> str:
        if delivery_id is None:
            return make_msgid(domain=DNS_NAME)
        return f"<nl.{delivery_id}.{secrets.token_hex(6)}@{DNS_NAME}>"

    def message_for(self, subscriber, delivery_id=None) -> EmailMultiAlternatives:
        links = self.reader_links(subscriber)
        headers = list_headers(links[UNSUBSCRIBE_PLACEHOLDER])
        headers.update(self.provider_headers(delivery_id))
        headers["Message-ID"] = self.message_id(delivery_id)
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.personalise(self.text, links, None),
            from_email=self.from_email,
            to=[subscriber.email],
            headers=headers,
        )
        message.attach_alternative(self.personalise(self.html, links, delivery_id), "text/html")
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
            + policy.fold("From", self.from_email)
        ).encode("ascii")

    @cached_property
    def envelope_from(self) -> str:
        return email.utils.parseaddr(self.from_email)[1]

    @property
    def fast_path_ok(self) -> bool:
        return self.from_email.isascii()

    def mime_for(self, subscriber, delivery_id=None) -> bytes:
        """The complete message as bytes for smtplib (ASCII address and URLs only)."""
        boundary = "=_" + secrets.token_hex(16)
        links = self.reader_links(subscriber)

        def part(content_type: str, body: str, delivery) -> str:
            encoded = base64.encodebytes(self.personalise(body, links, delivery).encode())
            return (
                f"--{boundary}\r\n"
                f'Content-Type: {content_type}; charset="utf-8"\r\n'
                "Content-Transfer-Encoding: base64\r\n\r\n"
                + encoded.decode("ascii").replace("\n", "\r\n")
            )

        extra = "".join(f"{k}: {v}\r\n" for k, v in self.provider_headers(delivery_id).items())
        head = (
            f"To: {subscriber.email}\r\n"
            f"Date: {email.utils.formatdate(usegmt=True)}\r\n"
            f"Message-ID: {self.message_id(delivery_id)}\r\n"
            f"List-Unsubscribe: <{links[UNSUBSCRIBE_PLACEHOLDER]}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f"{extra}"
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'
        )
        body = (
            part("text/plain", self.text, None)
            + part("text/html", self.html, delivery_id)
            + f"--{boundary}--\r\n"
        )
        return self._common_headers + (head + body).encode("ascii")


RenderedArticle = RenderedEmail  # the name before several newsletters


def _footer(newsletter) -> dict:
    name = newsletter.name if newsletter else gettext("new articles")
    return {
        "newsletter": newsletter,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "preferences_url": PREFERENCES_PLACEHOLDER,
        "footer_note": gettext("You receive this email because you subscribed to %(name)s.")
        % {"name": name},
        "site_url": conf.absolute("/"),
    }


def _finish(rendered: RenderedEmail, newsletter, language) -> RenderedEmail:
    rendered.language = language
    rendered.subject = i18n.in_script(rendered.subject, language, html=False)
    rendered.text = i18n.in_script(rendered.text, language, html=False)
    rendered.html = i18n.in_script(rendered.html, language, html=True)
    if newsletter is not None and newsletter.track_clicks:
        rendered.track_clicks()
    return rendered


def _in_language(render):
    """Render in ``language`` (the active one when None), in that language's Serbian script."""

    def wrapper(*args, language=None, **kwargs):
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        with i18n.override(language):
            return render(*args, language=language, **kwargs)

    wrapper.__name__ = render.__name__
    wrapper.__doc__ = render.__doc__
    return wrapper


@_in_language
def render_article(article, newsletter=None, *, language) -> RenderedEmail:
    context = {
        "publication": publication_name(),
        "article": article,
        "article_url": article_url(article),
        "lead_image": _lead_image(article),
        "authors": article.authors if article.pk else [],
        "date": article.date,
        **_footer(newsletter),
    }
    rendered = RenderedEmail(
        subject=article.title,
        text=render_to_string("newsletter/email/article.txt", context),
        html=render_to_string("newsletter/email/article.html", context),
        from_email=sender(newsletter),
        newsletter_id=newsletter.pk if newsletter else None,
    )
    return _finish(rendered, newsletter, language)


def digest_subject(newsletter, slot) -> str:
    """ "Morning briefing, 3 December 2026": the date of the send, local, in the language."""
    return f"{newsletter.name}, {date_format(slot.astimezone(newsletter.zone), 'DATE_FORMAT')}"


@_in_language
def render_digest(newsletter, articles, subject: str = "", *, language, slot=None) -> RenderedEmail:
    if slot is not None:
        subject = digest_subject(newsletter, slot)
    items = [
        {
            "article": article,
            "url": article_url(article),
            "authors": article.authors,
            "date": article.date,
        }
        for article in articles
    ]
    context = {
        "publication": publication_name(),
        "title": subject or newsletter.name,
        "items": items,
        **_footer(newsletter),
    }
    rendered = RenderedEmail(
        subject=subject or f"{newsletter.name}: {articles[0].title}",
        text=render_to_string("newsletter/email/digest.txt", context),
        html=render_to_string("newsletter/email/digest.html", context),
        from_email=sender(newsletter),
        newsletter_id=newsletter.pk,
    )
    return _finish(rendered, newsletter, language)


@_in_language
def render_manual(mailing, *, language) -> RenderedEmail:
    newsletter = mailing.newsletter
    context = {
        "publication": publication_name(),
        "title": mailing.subject,
        "body": mailing.body,
        **_footer(newsletter),
    }
    rendered = RenderedEmail(
        subject=mailing.subject,
        text=render_to_string("newsletter/email/manual.txt", context),
        html=render_to_string("newsletter/email/manual.html", context),
        from_email=sender(newsletter),
        newsletter_id=newsletter.pk,
    )
    return _finish(rendered, newsletter, language)


def newsletter_preview_response(article, request) -> HttpResponse:
    """The "Newsletter" preview mode: the email as subscribers will see it (in the article's
    language; Serbian in Cyrillic)."""
    language = article.locale.language_code if i18n.enabled() and article.locale_id else None
    rendered = render_article(article, language=language)
    html = rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, conf.absolute("/newsletter/"))
    return HttpResponse(html.replace(PREFERENCES_PLACEHOLDER, conf.absolute("/newsletter/")))
