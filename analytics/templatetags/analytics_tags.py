from django import template
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
    if page_id:
        return {"src": f"/a/v/{page_id}.gif"}
    return {"src": PATH_BEACON if count_path else None}
