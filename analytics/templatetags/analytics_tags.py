from django import template
from django.utils import timezone

from analytics import conf, mostread

register = template.Library()


@register.simple_tag
def most_read_lists(page=None):
    """Most read today and this week, in the page's locale where languages exist."""
    locale_id = getattr(page, "locale_id", None)
    # Through the module: config/cache_map.py memoises mostread.most_read at start-up.
    return mostread.most_read(timezone.localdate().isoformat(), locale_id)


@register.inclusion_tag("analytics/includes/pixel.html")
def analytics_beacon(page=None):
    """The counting pixel of a Wagtail page, in beacon mode only."""
    page_id = getattr(page, "pk", None)
    return {"page_id": page_id if conf.mode() == "beacon" else None}
