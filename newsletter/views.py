"""Reader-facing views: subscribe, check your inbox, confirm, unsubscribe.

The subscribe form sits on every article and in the footer, i.e. on pages that a full-page cache
serves to everyone. A CSRF token in it would be cached and then rejected for other readers, so
the subscribe endpoint is ``csrf_exempt`` and protected instead by what CSRF would not stop
anyway: a honeypot, per-IP and per-address rate limits and double opt-in (nothing is ever sent
to an address except a confirmation email, and nothing changes for an existing subscriber).
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from core import ratelimit
from core.clientip import client_ip

from . import conf, i18n
from .forms import PreferencesForm, SubscribeForm
from .models import Delivery, Newsletter, Subscriber, Subscription
from .tokens import (
    click_from_token,
    subscriber_from_confirm_token,
    subscriber_from_preferences_token,
    unsubscribe_from_token,
)

logger = logging.getLogger(__name__)


def _page(request, template, context=None, status=200):
    return render(request, f"newsletter/{template}", context or {}, status=status)


def _rate_limited(request):
    limit, window = conf.get("NEWSLETTER_RATE_LIMIT_IP")
    response = _page(request, "rate_limited.html", {"minutes": max(1, window // 60)}, status=429)
    response["Retry-After"] = str(window)
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        return _page(request, "subscribe.html", {"newsletter_form": SubscribeForm()})

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > conf.get("NEWSLETTER_MAX_BODY_BYTES"):
        return _page(request, "too_large.html", status=413)

    ip_limit, ip_window = conf.get("NEWSLETTER_RATE_LIMIT_IP")
    if not ratelimit.hit("newsletter-ip", client_ip(request), ip_limit, ip_window):
        return _rate_limited(request)

    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _page(request, "subscribe.html", {"newsletter_form": form}, status=400)
    if form.is_bot:
        # Looks like success to the bot; nothing is stored or sent.
        logger.info("newsletter: honeypot filled, ignored")
        return HttpResponseRedirect(reverse("newsletter:check_inbox"), status=303)

    email = form.cleaned_data["email"]
    address_limit, address_window = conf.get("NEWSLETTER_RATE_LIMIT_ADDRESS")
    if not ratelimit.hit("newsletter-address", email, address_limit, address_window):
        return _rate_limited(request)

    register_subscription(
        email,
        source=form.cleaned_data.get("source") or "",
        source_page_id=form.cleaned_data.get("source_page"),
        newsletters=form.cleaned_data["newsletters"],
        language=translation.get_language() if i18n.enabled() else "",
    )
    return HttpResponseRedirect(reverse("newsletter:check_inbox"), status=303)


def register_subscription(
    email: str, *, source: str = "", source_page_id=None, newsletters=None, language=""
) -> None:
    """Record a subscription request and queue a confirmation email when one is due.

    The reader sees the same answer whatever happens here (no enumeration of addresses). A
    confirmed reader asking for a newsletter they do not have yet gets a confirmation email
    for it: nobody can add newsletters to someone else's address. ``language`` is the
    language of the page the form was on: a new or not yet confirmed reader's language (a
    confirmed reader changes theirs on the preferences page only).
    """
    if language not in i18n.site_languages():
        language = ""
    from .tasks import send_confirmation_email

    if newsletters is None:
        newsletters = list(Newsletter.objects.defaults())

    source_page = Page.objects.filter(pk=source_page_id).first() if source_page_id else None
    subscriber, created = Subscriber.objects.get_or_create(
        email=email,
        defaults={
            "source": source,
            "source_page": source_page,
            "consent_text": gettext(conf.get("NEWSLETTER_CONSENT_TEXT")),
            "language": language,
        },
    )
    have = set(subscriber.subscriptions.values_list("newsletter_id", "status"))
    active = {pk for pk, status in have if status == Subscription.Status.ACTIVE}
    wanted = [n for n in newsletters if n.pk not in active or not subscriber.is_mailable]
    if not created and subscriber.is_mailable and not wanted:
        # Already subscribed to all of them: nothing to do, and nothing to reveal.
        return
    for newsletter in wanted:
        Subscription.objects.update_or_create(
            subscriber=subscriber,
            newsletter=newsletter,
            defaults={"status": Subscription.Status.PENDING, "unsubscribed_at": None},
        )
    if not created:
        # Pending, unsubscribed or bounced: ask again. An unsubscribed reader stays unsubscribed
        # until they confirm, so nobody can re-subscribe someone else.
        subscriber.source = source
        subscriber.source_page = source_page
        subscriber.consent_text = gettext(conf.get("NEWSLETTER_CONSENT_TEXT"))
        if not subscriber.is_mailable:
            subscriber.language = language or subscriber.language
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.save()
    send_confirmation_email.enqueue(subscriber.pk)


@never_cache
def check_inbox(request):
    return _page(request, "check_inbox.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscriber = subscriber_from_confirm_token(token)
    if subscriber is None:
        return _page(request, "invalid_link.html", {"newsletter_form": SubscribeForm()}, status=400)
    if request.method == "POST":
        from .tasks import send_welcome_email

        for subscription in subscriber.confirm():
            if subscription.newsletter.welcome_text:
                send_welcome_email.enqueue(subscription.pk)
        return _page(request, "confirmed.html", {"subscriber": subscriber, **_choices(subscriber)})
    # GET only shows a button: link scanners that follow links cannot confirm for the reader.
    return _page(request, "confirm.html", {"subscriber": subscriber})


def _with_languages(context: dict) -> dict:
    """The language choice of the preferences form, each language named in itself."""
    form = context["form"]
    if "language" not in form.fields:
        return context
    from languages.routing import hreflang

    current = form["language"].value() or ""
    context["language_options"] = [
        {"code": code, "name": name, "lang": hreflang(code), "checked": code == current}
        for code, name in form.fields["language"].choices
    ]
    return context


def _invalid_link(request):
    return _page(request, "invalid_link.html", {"newsletter_form": SubscribeForm()}, status=400)


def _choices(subscriber) -> dict:
    active = subscriber.active_newsletter_ids()
    return {"newsletters": [n for n in Newsletter.objects.offered() if n.pk in active]}


def _record_unsubscribe(subscriber, newsletter_id) -> None:
    """Count the unsubscribe on the reader's latest email (per-send statistics)."""
    latest = Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.SENT)
    if newsletter_id is not None:
        latest = latest.filter(newsletter_id=newsletter_id)
    pk = latest.order_by("-sent_at", "-pk").values_list("pk", flat=True).first()
    if pk:
        Delivery.objects.filter(pk=pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058 one-click: a POST authenticated by the signed token, no login, no CSRF token.

    The token names one newsletter (the email's own) or none (leave all)."""
    subscriber, newsletter_id = unsubscribe_from_token(token)
    if subscriber is None:
        return _invalid_link(request)
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first() if newsletter_id else None
    if newsletter_id and newsletter is None:  # the newsletter was deleted: leave all
        newsletter_id = None
    context = {"subscriber": subscriber, "newsletter": newsletter}
    if request.method == "POST":
        if newsletter is None:
            subscriber.unsubscribe()
        else:
            subscriber.leave([newsletter.pk])
        _record_unsubscribe(subscriber, newsletter_id)
        return _page(request, "unsubscribed.html", {**context, **_choices(subscriber)})
    return _page(request, "unsubscribe.html", context)


# The link in every email is the credential (signed, bound to the address): like the one-click
# unsubscribe, this form needs no login and no CSRF cookie (reader pages set no cookies).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    from .emails import unsubscribe_url
    from .tasks import send_welcome_email

    subscriber = subscriber_from_preferences_token(token)
    if subscriber is None:
        return _invalid_link(request)
    active = subscriber.active_newsletter_ids()
    initial = {
        "newsletters": [n for n in Newsletter.objects.offered() if n.pk in active],
        "language": i18n.reader_language(subscriber),
    }
    context = {"subscriber": subscriber, "leave_url": unsubscribe_url(subscriber)}
    if request.method == "GET":
        form = PreferencesForm(initial=initial)
        saved = request.GET.get("saved") == "1"
        return _page(
            request, "preferences.html", _with_languages({**context, "form": form, "saved": saved})
        )
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _page(
            request, "preferences.html", _with_languages({**context, "form": form}), status=400
        )
    chosen = {n.pk: n for n in form.cleaned_data["newsletters"]}
    now = timezone.now()
    if request.POST.get("action") == "leave" or not chosen:
        subscriber.unsubscribe()
        _record_unsubscribe(subscriber, None)
        return _page(request, "unsubscribed.html", {"subscriber": subscriber, "newsletters": []})
    # The link came to this address: the reader has proved it, no confirmation email needed.
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.unsubscribed_at = None
    language = form.cleaned_data.get("language") or subscriber.language
    language_changed = language != subscriber.language
    subscriber.language = language
    subscriber.save()
    left = active - set(chosen)
    subscriber.subscriptions.filter(newsletter_id__in=left).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now
    )
    for newsletter_id in left:
        _record_unsubscribe(subscriber, newsletter_id)
    for newsletter in chosen.values():
        if newsletter.pk in active:
            continue
        subscription, _ = Subscription.objects.get_or_create(
            subscriber=subscriber, newsletter=newsletter
        )
        subscription.activate(now)
        if newsletter.welcome_text and subscription.welcomed_at is None:
            send_welcome_email.enqueue(subscription.pk)
    if language_changed and i18n.reader_language(subscriber) != translation.get_language():
        # The same page in the language just chosen (its URL prefix), saying it is saved.
        with i18n.override(i18n.reader_language(subscriber)):
            url = reverse("newsletter:preferences", args=[token])
        return HttpResponseRedirect(f"{url}?saved=1", status=303)
    form = PreferencesForm(
        initial={"newsletters": list(chosen.values()), "language": subscriber.language}
    )
    return _page(
        request, "preferences.html", _with_languages({**context, "form": form, "saved": True})
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def click(request, token):
    """A tracked link (newsletters that opted in): count the click, go where the email said."""
    found = click_from_token(token)
    if found is None:
        return HttpResponseBadRequest("This link is not valid.", content_type="text/plain")
    delivery_id, url = found
    Delivery.objects.filter(pk=delivery_id).update(clicks=F("clicks") + 1)
    return HttpResponseRedirect(url)
