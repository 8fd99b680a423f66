from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from news.models import ArticlePage

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def search(request):
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    results = None
    if query:
        queryset = ArticlePage.objects.live().public().search(query)
        results = Paginator(queryset, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "search/search.html", {"search_query": query, "search_results": results}
    )
