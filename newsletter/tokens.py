"""Signed tokens in confirmation and unsubscribe links (HMAC with SECRET_KEY, no database)."""

from __future__ import annotations

import hashlib

from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = 48 * 60 * 60  # seconds: a confirmation link works for 48 hours at most


def _fingerprint(email: str) -> str:
    # Binds the token to the address, so a token cannot be replayed on another row.
    return hashlib.sha256(email.encode()).hexdigest()[:10]


def make_confirm_token(subscriber) -> str:
    value = f"{subscriber.pk}.{_fingerprint(subscriber.email)}"
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(value)


def make_unsubscribe_token(subscriber) -> str:
    value = f"{subscriber.pk}.{_fingerprint(subscriber.email)}"
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(value)


def _subscriber_for(value: str):
    from .models import Subscriber

    pk, _, fingerprint = value.partition(".")
    if not pk.isdigit():
        return None
    subscriber = Subscriber.objects.filter(pk=int(pk)).first()
    if subscriber is None or _fingerprint(subscriber.email) != fingerprint:
        return None
    return subscriber


def subscriber_from_confirm_token(token: str, max_age: int = CONFIRM_MAX_AGE):
    """The subscriber, or None when the token is forged, altered or older than 48 hours."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return _subscriber_for(value)


def subscriber_from_unsubscribe_token(token: str):
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return _subscriber_for(value)
