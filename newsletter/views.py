"""Reader-facing views: subscribe, check your inbox, confirm, unsubscribe.

The subscribe form sits on every article and in the footer, i.e. on pages that a full-page cache
serves to everyone. A CSRF token in it would be cached and then rejected for other readers, so
the subscribe endpoint is ``csrf_exempt`` and protected instead by what CSRF would not stop
anyway: a honeypot, per-IP and per-address rate limits and double opt-in (nothing is ever sent
to an address except a confirmation email, and nothing changes for an existing subscriber).
"""

from __future__ import annotations

import logging

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from core import ratelimit
from core.clientip import client_ip

from . import conf
from .forms import SubscribeForm
from .models import Subscriber
from .tokens import subscriber_from_confirm_token, subscriber_from_unsubscribe_token

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
    )
    return HttpResponseRedirect(reverse("newsletter:check_inbox"), status=303)


def register_subscription(email: str, *, source: str = "", source_page_id=None) -> None:
    """Record a subscription request and queue a confirmation email when one is due.

    The reader sees the same answer whatever happens here (no enumeration of addresses).
    """
    from .tasks import send_confirmation_email

    source_page = Page.objects.filter(pk=source_page_id).first() if source_page_id else None
    subscriber, created = Subscriber.objects.get_or_create(
        email=email,
        defaults={
            "source": source,
            "source_page": source_page,
            "consent_text": conf.get("NEWSLETTER_CONSENT_TEXT"),
        },
    )
    if not created and subscriber.is_mailable:
        # Already subscribed: nothing to do, and nothing to reveal.
        return
    if not created:
        # Pending, unsubscribed or bounced: ask again. An unsubscribed reader stays unsubscribed
        # until they confirm, so nobody can re-subscribe someone else.
        subscriber.source = source
        subscriber.source_page = source_page
        subscriber.consent_text = conf.get("NEWSLETTER_CONSENT_TEXT")
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
        subscriber.confirm()
        return _page(request, "confirmed.html", {"subscriber": subscriber})
    # GET only shows a button: link scanners that follow links cannot confirm for the reader.
    return _page(request, "confirm.html", {"subscriber": subscriber})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058 one-click: a POST authenticated by the signed token, no login, no CSRF token."""
    subscriber = subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return _page(request, "invalid_link.html", {"newsletter_form": SubscribeForm()}, status=400)
    if request.method == "POST":
        subscriber.unsubscribe()
        return _page(request, "unsubscribed.html", {"subscriber": subscriber})
    return _page(request, "unsubscribe.html", {"subscriber": subscriber})
