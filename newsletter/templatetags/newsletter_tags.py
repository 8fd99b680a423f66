import secrets

from django import template

from .. import conf

register = template.Library()


@register.simple_tag
def newsletter_consent_text() -> str:
    return conf.get("NEWSLETTER_CONSENT_TEXT")


@register.simple_tag
def newsletter_uid() -> str:
    """A short unique suffix so several subscribe forms on one page have distinct ids."""
    return secrets.token_hex(4)
