"""Signed tokens in the links of emails (HMAC with SECRET_KEY, no database).

Confirmation links expire after 48 hours; unsubscribe and preferences links work as long as the
address is the same (they are in every email); click links carry the delivery and the target, so
the redirect can only go where the email pointed.
"""

from __future__ import annotations

import hashlib

from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
PREFERENCES_SALT = "newsletter.preferences"
CLICK_SALT = "newsletter.click"
CONFIRM_MAX_AGE = 48 * 60 * 60  # seconds: a confirmation link works for 48 hours at most


def _fingerprint(email: str) -> str:
    # Binds the token to the address, so a token cannot be replayed on another row.
    return hashlib.sha256(email.encode()).hexdigest()[:10]


def _value(subscriber) -> str:
    return f"{subscriber.pk}.{_fingerprint(subscriber.email)}"


def make_confirm_token(subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(_value(subscriber))


def make_unsubscribe_token(subscriber, newsletter_id: int | None = None) -> str:
    """From one newsletter, or from all of them when ``newsletter_id`` is None."""
    value = _value(subscriber)
    if newsletter_id is not None:
        value += f".{newsletter_id}"
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(value)


def make_preferences_token(subscriber) -> str:
    return signing.Signer(salt=PREFERENCES_SALT).sign(_value(subscriber))


def make_click_token(delivery_id: int, url: str) -> str:
    return signing.dumps([delivery_id, url], salt=CLICK_SALT, compress=True)


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


def unsubscribe_from_token(token: str):
    """(subscriber, newsletter id or None for all), or (None, None) when the token is bad."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None, None
    base, _, newsletter = value.rpartition(".") if value.count(".") == 2 else (value, "", "")
    if newsletter and not newsletter.isdigit():
        return None, None
    subscriber = _subscriber_for(base)
    if subscriber is None:
        return None, None
    return subscriber, int(newsletter) if newsletter else None


def subscriber_from_unsubscribe_token(token: str):
    return unsubscribe_from_token(token)[0]


def subscriber_from_preferences_token(token: str):
    try:
        value = signing.Signer(salt=PREFERENCES_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return _subscriber_for(value)


def click_from_token(token: str):
    """(delivery id, url), or None when the token is forged or altered."""
    try:
        delivery_id, url = signing.loads(token, salt=CLICK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(delivery_id, int) or not isinstance(url, str):
        return None
    if not url.startswith(("https://", "http://")):
        return None
    return delivery_id, url
