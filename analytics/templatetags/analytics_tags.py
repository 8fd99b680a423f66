from django import template
from django.utils import timezone

from analytics import conf, mostread
from analytics.counting import PATH_BEACON

register = template.Library()


@register.simple_tag
def most_read_lists(page=None):
    """Most read today and this week, in the page's locale where languages exist."""
    locale_id = getattr(page, "locale_id", None)
    # Through the module: config/cache_map.py memoises mostread.most_read at start-up.
    return mostread.most_read(timezone.localdate().isoformat(), locale_id)


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
