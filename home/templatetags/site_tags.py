from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def news_index(context):
    """The site's news index page (cached on the request: one query per page view)."""
    request = context.get("request")
    cached = getattr(request, "_news_index", None) if request is not None else None
    if cached is not None:
        return cached
    from news.models import NewsIndexPage

    index = NewsIndexPage.objects.live().public().order_by("path").first()
    if request is not None:
        request._news_index = index or False
    return index
