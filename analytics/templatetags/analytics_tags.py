import functools

from django import template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe

from analytics import conf, mostread
from analytics.counting import PATH_BEACON

register = template.Library()


@register.simple_tag
def most_read_section(page=None):
    """The "Most read" section, rendered once per period and language (config/cache_map.py)."""
    locale_id = getattr(page, "locale_id", None)
    return mark_safe(mostread.most_read_section(timezone.localdate().isoformat(), locale_id))  # noqa: S308  our template's own output


@register.inclusion_tag("analytics/includes/pixel.html")
def analytics_beacon(page=None, count_path=False):
    """The counting pixel, in beacon mode only: a Wagtail page's by its id; with ``count_path``
    (search, the privacy notice) the one that counts the page's own path."""
    if conf.mode() != "beacon":
        return {"src": None}
    page_id = getattr(page, "pk", None)
    src = f"/a/v/{page_id}.gif" if page_id else PATH_BEACON if count_path else None
    return {"src": src, "script": script_url()}


@functools.cache
def script_url() -> str:
    """The beacon script's hashed URL: the same for the life of the process (its manifest)."""
    return static("analytics/beacon.js")
