import secrets

from django import template
from django.utils import translation
from django.utils.translation import gettext

from .. import conf, i18n

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
    """The newsletters a subscribe form offers: the block's choice, every one in the page's
    language or in any language, or none (the form then subscribes to the default
    newsletters)."""
    if not every and not slugs:
        return []  # most forms (footer, article end): no queryset to build
    from ..models import Newsletter

    offered = Newsletter.objects.offered()
    if every:
        locale = i18n.content_language(translation.get_language() or "")
        return [n for n in offered if i18n.newsletter_takes(n, locale)]
    return list(offered.filter(slug__in=slugs))
