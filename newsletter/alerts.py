"""Breaking alerts: a short email for one live update, to the live page's chosen newsletter.

The live app marks an update "breaking" (at most one an hour per live page, a right of its own:
``live.alert_liveupdate``) and sends ``live.signals.breaking_update`` once it is committed. Here
that becomes a send like any other: a ``Mailing`` (an editor's kind of email, keyed
``live-alert:<update id>`` so each update is emailed at most once) whose deliveries go through
``newsletter.sending`` on the "newsletter" task backend: only active, confirmed, unsuppressed
subscribers, List-Unsubscribe headers, retries, statistics. The email is rendered here
(``render_alert``): the update's text as plain text, escaped, and a link to its permalink.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from . import conf, i18n
from .emails import (
    SOURCE_QUERY,
    RenderedEmail,
    _finish,
    _footer,
    _in_language,
    publication_name,
    sender,
)
from .models import Mailing

KEY_PREFIX = "live-alert:"
SUBJECT_MAX = 150


def alert_key(update_id: int) -> str:
    return f"{KEY_PREFIX}{update_id}"


def is_alert(mailing: Mailing) -> bool:
    return bool(mailing.key) and mailing.key.startswith(KEY_PREFIX)


def _update_of(mailing: Mailing):
    from live.models import LiveUpdate

    update_id = mailing.key.removeprefix(KEY_PREFIX)
    if not update_id.isdigit():
        return None
    return (
        LiveUpdate.objects.select_related("page", "author")
        .filter(pk=int(update_id), withdrawn=False, page__live=True)
        .first()
    )


def subject_for(update) -> str:
    """ "Breaking: <the update's first words>", in the active language."""
    subject = gettext("Breaking: %(headline)s") % {"headline": update.headline}
    return " ".join(subject.split())[:SUBJECT_MAX]


def queue_alert(sender=None, update=None, **kwargs) -> Mailing | None:
    """The alert of a breaking update: its mailing, queued for sending (once per update).

    Nothing when the page chose no newsletter, or the newsletter is no longer active."""
    page = update.page
    newsletter = page.alert_newsletter
    if newsletter is None or not newsletter.active:
        return None
    with i18n.override(newsletter.language):  # the record's subject; each email has its own
        subject = subject_for(update)
    mailing, created = Mailing.objects.get_or_create(
        key=alert_key(update.pk),
        defaults={
            "kind": Mailing.Kind.MANUAL,
            "newsletter": newsletter,
            "subject": subject,
            "body": update.text_content(),
        },
    )
    if created:
        from .tasks import send_mailing

        send_mailing.enqueue(mailing.pk)
    return mailing


def alert_url(update) -> str:
    """The update's permalink on the live page, marked as the newsletter's visit."""
    page_url = update.page.get_full_url() or conf.absolute(update.page.url or "/")
    return f"{page_url}{SOURCE_QUERY}#{update.anchor}"


@_in_language
def render_alert(mailing: Mailing, *, language) -> RenderedEmail | None:
    """The alert email in ``language``; None (nothing is sent) once the update is withdrawn
    or its page unpublished."""
    update = _update_of(mailing)
    if update is None:
        return None
    newsletter = mailing.newsletter
    subject = subject_for(update)
    context = {
        "publication": publication_name(),
        "title": subject,
        "page_title": update.page.title,
        "text": update.text_content(),  # plain text: the HTML template escapes it
        "url": alert_url(update),
        "posted_at": timezone.localtime(update.posted_at),
        "author": update.author.name if update.author else "",
        **_footer(newsletter),
    }
    rendered = RenderedEmail(
        subject=subject,
        text=render_to_string("newsletter/email/alert.txt", context),
        html=render_to_string("newsletter/email/alert.html", context),
        from_email=sender(newsletter),
        newsletter_id=newsletter.pk if newsletter else None,
    )
    return _finish(rendered, newsletter, language)


def connect() -> None:
    """Listen to the live app (``NewsletterConfig.ready``)."""
    from live.signals import breaking_update

    breaking_update.connect(queue_alert, dispatch_uid="newsletter.alerts.queue_alert")
