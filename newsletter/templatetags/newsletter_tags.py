import secrets

from django import template
from django.utils.translation import gettext

from .. import conf

register = template.Library()


@register.simple_tag
def newsletter_consent_text() -> str:
    return gettext(conf.get("NEWSLETTER_CONSENT_TEXT"))


@register.simple_tag
def newsletter_uid() -> str:
    """A short unique suffix so several subscribe forms on one page have distinct ids."""
    return secrets.token_hex(4)


@register.simple_tag
def newsletter_choices(slugs=None, every=False):
    """The newsletters a subscribe form offers: the block's choice, every one, or none (the
    form then subscribes to the default newsletters)."""
    from ..models import Newsletter

    offered = Newsletter.objects.offered()
    if every:
        return list(offered)
    if not slugs:
        return []
    return list(offered.filter(slug__in=slugs))
