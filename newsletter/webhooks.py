"""Bounce, complaint and delivery reports from email providers: Amazon SES (through SNS),
Postmark and Mailgun. Each request is authenticated (SNS signature, Postmark basic auth,
Mailgun HMAC with a timestamp window) and each event id is applied once; anything else gets a
4xx and changes nothing.

Hard bounces and complaints put the address on the suppression list (every newsletter stops);
soft bounces are counted on the subscriber; all of them are recorded on the delivery they are
about when the provider names it back (headers set in ``emails.RenderedEmail``).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import sns
from .models import Delivery, Subscriber, Suppression, WebhookEvent, normalize_email

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
HARD, SOFT, COMPLAINT, DELIVERED = "hard_bounce", "soft_bounce", "complaint", "delivered"
MESSAGE_ID = re.compile(r"<?nl\.(\d+)\.[0-9a-f]+@")


def setting(name: str, default=None):
    return getattr(settings, name, default)


def max_age() -> int:
    """Seconds: older signed requests are refused as replays."""
    return setting("NEWSLETTER_WEBHOOK_MAX_AGE", 15 * 60)


@dataclass
class Event:
    kind: str
    email: str
    delivery_id: int | None = None
    detail: str = ""


def apply(provider: str, event_id: str, events: list[Event]) -> bool:
    """Apply a provider's events once; False when this event id was seen before."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(provider=provider, event_id=event_id[:200])
        except IntegrityError:
            return False
        for event in events:
            _apply_one(provider, event)
    return True


def _apply_one(provider: str, event: Event) -> None:
    email = normalize_email(event.email)
    if not email:
        return
    now = timezone.now()
    delivery = None
    if event.delivery_id:
        delivery = Delivery.objects.filter(pk=event.delivery_id, subscriber__email=email)
    if event.kind in (HARD, COMPLAINT):
        reason = (
            Suppression.Reason.HARD_BOUNCE if event.kind == HARD else Suppression.Reason.COMPLAINT
        )
        Suppression.add(email, reason, source=provider, detail=event.detail)
    if event.kind == SOFT:
        Subscriber.objects.filter(email=email).update(soft_bounces=F("soft_bounces") + 1)
    if delivery is None:
        return
    if event.kind == DELIVERED:
        delivery.filter(delivered_at__isnull=True).update(delivered_at=now)
    elif event.kind == COMPLAINT:
        delivery.filter(complained_at__isnull=True).update(complained_at=now)
    else:
        delivery.filter(bounced_at__isnull=True).update(
            bounced_at=now, bounce_type="hard" if event.kind == HARD else "soft"
        )


def _answer(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain")


def _json_body(request):
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Amazon SES through SNS ------------------------------------------------------------------


def _ses_delivery_id(mail: dict) -> int | None:
    candidates = [(mail.get("commonHeaders") or {}).get("messageId") or ""]
    candidates += [
        h.get("value") or ""
        for h in mail.get("headers") or []
        if isinstance(h, dict) and str(h.get("name", "")).lower() == "message-id"
    ]
    for value in candidates:
        if match := MESSAGE_ID.search(str(value)):
            return int(match.group(1))
    return None


def ses_events(notification: dict) -> list[Event]:
    kind = notification.get("notificationType") or notification.get("eventType")
    mail = notification.get("mail") or {}
    delivery_id = _ses_delivery_id(mail)
    if kind == "Bounce":
        bounce = notification.get("bounce") or {}
        hard = bounce.get("bounceType") == "Permanent"
        detail = f"SES {bounce.get('bounceType')}/{bounce.get('bounceSubType')}"
        return [
            Event(HARD if hard else SOFT, r.get("emailAddress", ""), delivery_id, detail)
            for r in bounce.get("bouncedRecipients") or []
        ]
    if kind == "Complaint":
        complaint = notification.get("complaint") or {}
        return [
            Event(COMPLAINT, r.get("emailAddress", ""), delivery_id, "SES complaint")
            for r in complaint.get("complainedRecipients") or []
        ]
    if kind == "Delivery":
        return [
            Event(DELIVERED, address, delivery_id)
            for address in (notification.get("delivery") or {}).get("recipients") or []
        ]
    return []


@csrf_exempt
@require_POST
def ses(request):
    message = _json_body(request)
    if message is None:
        return _answer(400, "Expected an SNS message in JSON.")
    try:
        sns.verify(message)
    except sns.InvalidSignature as error:
        logger.warning("newsletter webhook ses: refused: %s", error)
        return _answer(403, "Invalid signature.")
    topics = setting("NEWSLETTER_SES_TOPIC_ARNS") or []
    if topics and message.get("TopicArn") not in topics:
        return _answer(403, "Unknown topic.")
    sent = parse_datetime(str(message.get("Timestamp") or ""))
    if sent is None or abs((timezone.now() - sent).total_seconds()) > max_age():
        return _answer(400, "Too old: refused as a replay.")
    kind = message.get("Type")
    if kind == "SubscriptionConfirmation":
        url = str(message.get("SubscribeURL") or "")
        if not sns.is_sns_url(url):
            return _answer(400, "The subscribe URL is not on an SNS host.")
        try:
            sns.https_get(url)
        except OSError as error:
            logger.warning("newsletter webhook ses: cannot confirm the subscription: %s", error)
            return _answer(502, "Could not confirm the subscription; SNS will retry.")
        return _answer(200, "Subscribed.")
    if kind != "Notification":
        return _answer(200, "Ignored.")
    try:
        notification = json.loads(message.get("Message") or "")
    except (ValueError, TypeError):
        return _answer(400, "The SNS message is not an SES notification.")
    if not isinstance(notification, dict):
        return _answer(400, "The SNS message is not an SES notification.")
    if not apply("ses", str(message.get("MessageId")), ses_events(notification)):
        return _answer(409, "Already received: refused as a replay.")
    return _answer(200, "OK")


# Postmark --------------------------------------------------------------------------------


def _postmark_authorised(request) -> bool:
    user = setting("NEWSLETTER_POSTMARK_WEBHOOK_USER")
    password = setting("NEWSLETTER_POSTMARK_WEBHOOK_PASSWORD")
    if not user or not password:
        return False
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded, validate=True)
    except ValueError:
        return False
    return hmac.compare_digest(given, f"{user}:{password}".encode())


def postmark_events(record: dict) -> list[Event]:
    kind = record.get("RecordType")
    delivery_id = _int((record.get("Metadata") or {}).get("delivery"))
    if kind == "Bounce":
        hard = record.get("Type") in {"HardBounce", "BadEmailAddress", "ManuallyDeactivated"}
        complaint = record.get("Type") == "SpamComplaint"
        event_kind = COMPLAINT if complaint else HARD if hard else SOFT
        detail = f"Postmark {record.get('Type')}: {record.get('Description', '')}"
        return [Event(event_kind, record.get("Email", ""), delivery_id, detail)]
    if kind == "SpamComplaint":
        return [Event(COMPLAINT, record.get("Email", ""), delivery_id, "Postmark complaint")]
    if kind == "Delivery":
        return [Event(DELIVERED, record.get("Recipient", ""), delivery_id)]
    return []


@csrf_exempt
@require_POST
def postmark(request):
    if not _postmark_authorised(request):
        response = _answer(401, "Authentication required.")
        response["WWW-Authenticate"] = 'Basic realm="newsletter webhooks"'
        return response
    record = _json_body(request)
    if record is None:
        return _answer(400, "Expected a Postmark webhook in JSON.")
    when = parse_datetime(
        str(record.get("BouncedAt") or record.get("DeliveredAt") or record.get("ReceivedAt") or "")
    )
    if when is not None and (timezone.now() - when).total_seconds() > 7 * 24 * 3600:
        return _answer(400, "Too old: refused as a replay.")
    key = f"{record.get('RecordType')}:{record.get('ID') or record.get('MessageID')}"
    if not apply("postmark", key, postmark_events(record)):
        return _answer(409, "Already received: refused as a replay.")
    return _answer(200, "OK")


# Mailgun ---------------------------------------------------------------------------------


def mailgun_signature_ok(signature: dict) -> bool:
    key = setting("NEWSLETTER_MAILGUN_SIGNING_KEY")
    if not key or not isinstance(signature, dict):
        return False
    timestamp, token = str(signature.get("timestamp", "")), str(signature.get("token", ""))
    if not timestamp.isdigit() or not token:
        return False
    expected = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, str(signature.get("signature", "")))


def mailgun_events(data: dict) -> list[Event]:
    kind = data.get("event")
    address = data.get("recipient", "")
    delivery_id = _int((data.get("user-variables") or {}).get("delivery"))
    if kind == "failed":
        hard = data.get("severity") == "permanent"
        status = (data.get("delivery-status") or {}).get("code", "")
        detail = f"Mailgun {data.get('severity')} failure {status}"
        return [Event(HARD if hard else SOFT, address, delivery_id, detail)]
    if kind == "complained":
        return [Event(COMPLAINT, address, delivery_id, "Mailgun complaint")]
    if kind == "delivered":
        return [Event(DELIVERED, address, delivery_id)]
    return []


@csrf_exempt
@require_POST
def mailgun(request):
    body = _json_body(request)
    signature = (body or {}).get("signature")
    if body is None or not mailgun_signature_ok(signature):
        return _answer(403, "Invalid signature.")
    if abs(time.time() - int(signature["timestamp"])) > max_age():
        return _answer(400, "Too old: refused as a replay.")
    data = body.get("event-data")
    if not isinstance(data, dict):
        return _answer(400, "Expected event-data.")
    if not apply("mailgun", str(signature["token"]), mailgun_events(data)):
        return _answer(409, "Already received: refused as a replay.")
    return _answer(200, "OK")


def forget_old_events(now: datetime.datetime | None = None) -> str:
    """A scheduler job: ids older than any accepted request can go."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=8)
    deleted, _ = WebhookEvent.objects.filter(received_at__lt=cutoff).delete()
    return f"{deleted} old webhook ids forgotten"
