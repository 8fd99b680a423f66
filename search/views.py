"""The reader search page: ``/search/?q=...&tag=...&date_from=...&date_to=...&order=...``.

Works without JavaScript (a plain GET form), never writes to the database on a GET, and answers
bad input with a 200 (nothing to search for) or a 400 (an invalid filter), never a 500.
"""

from __future__ import annotations

import datetime
import functools
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Q, When
from django.template.response import TemplateResponse
from django.utils import timezone
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from news.models import ArticlePage, ArticlePageTag

from . import engine
from . import languages as search_languages
from .forms import SearchFilterForm
from .highlight import snippet, stems_for
from .query import MAX_QUERY_LENGTH, clean_query, search_terms

RESULTS_PER_PAGE = 10


def live_public_articles():
    """Articles a reader may see: live, outside private sections, not past their expiry."""
    now = timezone.now()
    return (
        ArticlePage.objects.live()
        .public()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .prefetch_related("article_authors__author")
    )


def tag_choices() -> list[tuple[str, str]]:
    """Tags used on articles (a semi-join on the tag index)."""
    return list(
        Tag.objects.filter(pk__in=ArticlePageTag.objects.values("tag_id"))
        .order_by("name")
        .values_list("slug", "name")
    )


def editors_picks(query: str) -> list[SearchPromotion]:
    """Promotions for this query (``wagtail.contrib.search_promotions``), live public pages only.

    One query when there are none. Hits are deliberately not recorded: a GET never writes.
    """
    normalised = normalise_query_string(query)
    if not normalised:
        return []
    return promotions_for(normalised)


def promotions_for(normalised: str) -> list[SearchPromotion]:
    promotions = list(
        SearchPromotion.objects.filter(query__query_string=normalised)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    page_ids = [promo.page_id for promo in promotions if promo.page_id]
    if page_ids:
        visible = {
            page.pk: page
            for page in Page.objects.live().public().filter(pk__in=page_ids).specific()
        }
    else:
        visible = {}
    picks = []
    for promo in promotions:
        if promo.page_id:
            if promo.page_id in visible:
                promo.page = visible[promo.page_id]
                picks.append(promo)
        elif promo.external_link_url:
            picks.append(promo)
    return picks


def date_bounds(start: datetime.date | None, end: datetime.date | None):
    """Reader dates are whole days in the site's time zone; ``end`` is inclusive."""
    zone = timezone.get_current_timezone()
    lower = datetime.datetime.combine(start, datetime.time.min, zone) if start else None
    upper = (
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
        if end
        else None
    )
    return lower, upper


def body_text(article: ArticlePage) -> str:
    """The article body as the search index sees it (every block's searchable text)."""
    field = ArticlePage._meta.get_field("body")
    return " ".join(field.get_searchable_content(article.body))


def body_texts(articles: list[ArticlePage]) -> dict[int, str]:
    """``body_text`` of each article, for the snippets of one results page."""
    return {article.pk: body_text(article) for article in articles}


def run_search(queryset, terms: list[str], order: str, operator: str):
    text = " ".join(terms)
    if order == "newest":
        return queryset.order_by("-display_date", "-id").search(
            text, operator=operator, order_by_relevance=False
        )
    return queryset.search(text, operator=operator)


def search(request):
    raw_query = request.GET.get("q", "")
    query = clean_query(raw_query)
    terms = search_terms(query)
    form = SearchFilterForm(request.GET, tag_choices=tag_choices())
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    order = filters.get("order") or ("relevance" if terms else "newest")
    language = search_languages.reader_language()
    all_languages = bool(filters.get("all_languages")) and language is not None
    spellings = search_languages.spellings(terms)

    context = {
        "search_query": query,
        "query_was_cut": len(" ".join(raw_query.split())) > MAX_QUERY_LENGTH,
        "terms": terms,
        "stems": stems_for(search_languages.flat(spellings)),
        "several_languages": language is not None,
        "all_languages": all_languages,
        "form": form,
        "order": order,
        "max_query_length": MAX_QUERY_LENGTH,
        "search_results": None,
        "results": [],
        "picks": [],
        "total": 0,
        "broadened": False,
        "searched": False,
    }

    status = 200
    if not valid:
        status = 400
    elif terms or form.has_filters:
        context["searched"] = True
        queryset = live_public_articles()
        if language and not all_languages:
            if engine.is_supported():
                queryset = queryset.filter(locale__language_code=language)
            else:  # a search server filters on the indexed locale field only
                locale = Locale.objects.filter(language_code=language).first()
                queryset = queryset.filter(locale=locale) if locale else queryset.none()
        if filters.get("tag"):
            queryset = queryset.filter(tags__slug=filters["tag"])
        lower, upper = date_bounds(filters.get("date_from"), filters.get("date_to"))
        if lower:
            queryset = queryset.filter(display_date__gte=lower)
        if upper:
            queryset = queryset.filter(display_date__lt=upper)

        picks = editors_picks(query) if terms else []
        pick_ids = [promo.page_id for promo in picks if promo.page_id]
        readable = None
        if lower is None and upper is None:
            # One list of readable articles per tag (see engine.ReadableIds).
            signature = repr(("readable", filters.get("tag") or "", language, all_languages))
            readable = engine.ReadableIds(signature, queryset, frozenset(pick_ids))
        if pick_ids:
            queryset = queryset.exclude(id__in=pick_ids)

        if terms:
            # search.engine on PostgreSQL/SQLite (fast, same index); Wagtail's own search on
            # OpenSearch/Elasticsearch.
            if engine.is_supported():
                # Named by query, operator, order and every filter (see engine.search).
                signature = repr(
                    (filters.get("tag"), lower, upper, sorted(pick_ids), language, all_languages)
                )
                run = functools.partial(
                    engine.search,
                    signature=signature,
                    readable=readable,
                    prefer_language=language if all_languages else None,
                )
                words = spellings
            else:
                run, words = run_search, terms
            results = run(queryset, words, order, operator="and")
            if len(terms) > 1 and not results.count():
                # No article has every word: show those with any of them, and say so.
                results = run(queryset, words, order, operator="or")
                context["broadened"] = bool(results.count())
        elif all_languages:
            own = Case(When(locale__language_code=language, then=0), default=1)
            results = queryset.order_by(own, "-display_date", "-id")
        else:
            results = queryset.order_by("-display_date", "-id")

        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        stems = context["stems"]
        articles = list(page.object_list)
        texts = body_texts(articles)
        context["results"] = [
            {"page": article, "snippet": snippet(texts.get(article.pk, ""), stems)}
            for article in articles
        ]
        context["search_results"] = page
        context["picks"] = picks if page.number == 1 else []
        context["total"] = page.paginator.count + len(picks)

    # "Narrow down" is folded away unless a filter is set, the order is not the default for a
    # query, or a filter needs correcting.
    context["filters_open"] = bool(
        form.errors or form.has_filters or (terms and filters.get("order") == "newest")
    )

    # Pagination links keep the query and the filters (never the page number itself).
    keep = {"q": query} if query else {}
    for key in ("tag", "date_from", "date_to", "order", "all_languages"):
        value = filters.get(key)
        if value:
            if value is True:
                value = "1"
            keep[key] = value.isoformat() if isinstance(value, datetime.date) else value
    context["page_query"] = urlencode(keep)
    response = TemplateResponse(request, "search/search.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
