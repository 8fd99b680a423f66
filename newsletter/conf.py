"""Newsletter settings, each overridable in Django settings."""

from django.conf import settings
from django.utils.translation import gettext_noop

DEFAULTS = {
    # The text printed under every subscribe form, stored with each subscriber.
    # (Translated when shown: gettext_noop only marks it for the catalogues.)
    "NEWSLETTER_CONSENT_TEXT": gettext_noop(
        "We will email you new articles. We never share your address. "
        "Every email has a one-click unsubscribe link."
    ),
    # Rate limits: (requests, seconds).
    "NEWSLETTER_RATE_LIMIT_IP": (10, 60 * 60),
    "NEWSLETTER_RATE_LIMIT_ADDRESS": (3, 60 * 60),
    # Largest subscribe request body accepted, in bytes.
    "NEWSLETTER_MAX_BODY_BYTES": 4096,
    # Sending.
    "NEWSLETTER_BATCH_SIZE": 200,
    "NEWSLETTER_MAX_ATTEMPTS": 5,
    "NEWSLETTER_RETRY_BASE_SECONDS": 60,
    "NEWSLETTER_SENDING_STALE_SECONDS": 15 * 60,
    # Which MAILERS alias sends newsletters ("newsletter" if defined, else "default").
    "NEWSLETTER_MAILER": None,
    # Which TASKS alias runs the sending task.
    "NEWSLETTER_TASK_BACKEND": "newsletter",
    # The public base URL for links in emails (defaults to WAGTAILADMIN_BASE_URL).
    "NEWSLETTER_BASE_URL": None,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def base_url() -> str:
    return (get("NEWSLETTER_BASE_URL") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path
