from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def news_index(context):
    """The site's news index page (from the data cache, and kept on the request)."""
    request = context.get("request")
    cached = getattr(request, "_news_index", None) if request is not None else None
    if cached is not None:
        return cached
    from core import datacache
    from news.models import NewsIndexPage

    index = datacache.get_or_set(
        "news-index", lambda: NewsIndexPage.objects.live().public().order_by("path").first()
    )
    if request is not None:
        request._news_index = index or False
    return index
