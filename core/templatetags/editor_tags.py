"""Wagtail's user bar on reader pages, for signed-in editors only."""

from django import template
from django.conf import settings
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_userbar(context, position="bottom-right"):
    """Wagtail's ``{% wagtailuserbar %}``, asked for only when the request carries a session
    cookie (only then can an editor be signed in): a reader's page loads no session or user."""
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    return wagtailuserbar(context, position)
