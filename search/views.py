"""The reader search page: ``/search/?q=...&tag=...&date_from=...&date_to=...&order=...``.

Works without JavaScript (a plain GET form), never writes to the database on a GET, and answers
bad input with a 200 (nothing to search for) or a 400 (an invalid filter), never a 500.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Q, When
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils import timezone
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from live.models import LivePage
from news.models import ArticlePage, ArticlePageTag

from . import engine
from . import languages as search_languages
from .forms import SearchFilterForm
from .highlight import snippet, stems_for
from .query import MAX_QUERY_LENGTH, clean_query, search_terms

RESULTS_PER_PAGE = 10
# Live pages matching a search are listed above the articles, on the first page, at most these.
LIVE_RESULTS = 5


def live_public_articles():
    """Articles a reader may see: live, outside private sections, not past their expiry."""
    now = timezone.now()
    return (
        ArticlePage.objects.live()
        .public()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .prefetch_related("article_authors__author")
    )


def live_public_pages():
    """Live pages a reader may see: live, outside private sections, not past their expiry."""
    now = timezone.now()
    return LivePage.objects.live().public().filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))


def live_results(
    words: list,
    operator: str,
    order: str,
    language: str | None,
    all_languages: bool,
    start: str | None,
    end: str | None,
) -> list[dict]:
    """The live pages matching ``words`` (headline, key points, closing note, updates' text):
    open ones first, then by relevance (or newest first), at most ``LIVE_RESULTS``, each with
    a snippet of its key points and updates around the words.

    ``start`` and ``end`` (ISO datetimes or None) bound when the coverage started. Memoised
    per query and filters (``config/cache_map.py``): a repeated search reads nothing.
    """
    queryset = live_public_pages()
    if language and not all_languages:
        if engine.is_supported():
            queryset = queryset.filter(locale__language_code=language)
        else:
            queryset = queryset.filter(locale__in=Locale.objects.filter(language_code=language))
    if engine.is_supported():
        queryset = queryset.alias(started=Coalesce("coverage_start", "first_published_at"))
        if start:
            queryset = queryset.filter(started__gte=datetime.datetime.fromisoformat(start))
        if end:
            queryset = queryset.filter(started__lt=datetime.datetime.fromisoformat(end))
        matches = queryset.filter(pk__in=engine.match_sql(LivePage, words, operator))
        with engine.match_plan():
            pages = list(matches.order_by("-started", "-pk")[: engine.RANK_WINDOW])
        if order == "relevance" and len(pages) > 1:
            scores = engine.rank(LivePage, [p.pk for p in pages], words, operator)
            pages.sort(key=lambda p: -scores.get(p.pk, 0.0))  # stable: newest first on ties
    else:  # a search server: Wagtail's own search; the coverage dates are checked here
        found = queryset.search(
            " ".join(words), operator=operator, order_by_relevance=order == "relevance"
        )
        pages = [
            page
            for page in found[: engine.RANK_WINDOW]
            if (not start or page.started_at >= datetime.datetime.fromisoformat(start))
            and (not end or page.started_at < datetime.datetime.fromisoformat(end))
        ]
        if order == "newest":
            pages.sort(key=lambda p: p.started_at, reverse=True)
    own = language if all_languages else None
    pages.sort(key=lambda p: (not p.is_live, bool(own) and p.locale.language_code != own))
    pages = pages[:LIVE_RESULTS]
    stems = stems_for(search_languages.flat(words))
    results = []
    for page in pages:
        text = f"{page.summary_text} {page.updates_text()}"
        page._updates_text = None  # not kept in the memo with the page
        results.append({"page": page, "snippet": snippet(text, stems)})
    return results


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


class ResultCard(NamedTuple):
    """One article as a results page shows it: plain values, no page instance."""

    pk: int
    title: str
    url: str
    date: datetime.datetime | None
    author_names: list[str]
    standfirst: str
    body_text: str
    expire_at: datetime.datetime | None

    def readable(self, now: datetime.datetime) -> bool:
        return self.expire_at is None or self.expire_at > now


class Result:
    """One result as the template shows it: its card and, when asked for, its snippet (the
    results list is a fragment kept per results and words, so a repeated search makes none)."""

    def __init__(self, card: ResultCard, stems: list[str]) -> None:
        self.page = card
        self.stems = stems

    @functools.cached_property
    def snippet(self) -> str:
        return snippet(self.page.body_text, self.stems)


def results_key(cards: list[ResultCard], stems: list[str]) -> str:
    """The results list's fragment name: which articles, highlighted for which words."""
    named = repr(([card.pk for card in cards], stems))
    return hashlib.sha256(named.encode()).hexdigest()[:32]


def card_for(article: ArticlePage, request) -> ResultCard:
    return ResultCard(
        pk=article.pk,
        title=article.title,
        url=article.get_url(request),
        date=article.date,
        author_names=[author.name for author in article.authors],
        standfirst=article.standfirst,
        body_text=body_text(article),
        expire_at=article.expire_at,
    )


def result_cards(ids: tuple[int, ...], request) -> dict[int, ResultCard]:
    """The cards of one results page's articles, by id (memoised per ids and host,
    ``config/cache_map.py``: a repeated results page loads no article).

    ``ids`` come from a search's window, computed under the same cache generation from the
    reader's filters (live, public, language, tag); only expiry can change meanwhile, so each
    card keeps ``expire_at`` and the caller leaves expired ones out (``ResultCard.readable``).
    """
    articles = (
        ArticlePage.objects.live().filter(pk__in=ids).prefetch_related("article_authors__author")
    )
    return {article.pk: card_for(article, request) for article in articles}


def readable_cards(request, ids) -> dict[int, ResultCard]:
    """``result_cards`` of ``ids`` without the articles that have expired since."""
    now = timezone.now()
    cards = result_cards(tuple(ids), request) if ids else {}
    return {pk: card for pk, card in cards.items() if card.readable(now)}


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
        "live_results": [],
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
        live_pages = []
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
                    load=functools.partial(readable_cards, request),
                )
                words = spellings
            else:
                run, words = run_search, terms
            results = run(queryset, words, order, operator="and")
            live = functools.partial(
                live_results,
                words,
                order=order,
                language=language,
                all_languages=all_languages,
                start=lower.isoformat() if lower else None,
                end=upper.isoformat() if upper else None,
            )
            # Live pages have no tags: a tag filter lists articles only.
            live_pages = [] if filters.get("tag") else live(operator="and")
            if len(terms) > 1 and not results.count() and not live_pages:
                # Nothing has every word: show what has any of them, and say so.
                results = run(queryset, words, order, operator="or")
                live_pages = [] if filters.get("tag") else live(operator="or")
                context["broadened"] = bool(results.count() or live_pages)
        elif all_languages:
            own = Case(When(locale__language_code=language, then=0), default=1)
            results = queryset.order_by(own, "-display_date", "-id")
        else:
            results = queryset.order_by("-display_date", "-id")
        if not terms:  # a tag or dates alone: the page's ids, then their cards
            results = results.prefetch_related(None).values_list("pk", flat=True)

        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        stems = context["stems"]
        found = list(page.object_list)
        if found and not isinstance(found[0], ResultCard):  # ids, or a search server's pages
            ids = [item if isinstance(item, int) else item.pk for item in found]
            cards = readable_cards(request, ids)
            found = [cards[pk] for pk in ids if pk in cards]
        context["results"] = [Result(card, stems) for card in found]
        context["results_key"] = results_key(found, stems)
        context["search_results"] = page
        context["picks"] = picks if page.number == 1 else []
        if pick_ids:  # a promoted live page is shown once, among the picks
            live_pages = [r for r in live_pages if r["page"].pk not in pick_ids]
        context["live_results"] = live_pages if page.number == 1 else []
        context["total"] = page.paginator.count + len(picks) + len(live_pages)

    # "Narrow down" is folded away unless a filter is set, the order is not the default for a
    # query, or a filter needs correcting.
    context["filters_open"] = bool(
        form.errors or form.has_filters or (terms and filters.get("order") == "newest")
    )

    # The tag list and date boxes are kept as a fragment per tag when they show no dates and no
    # errors (the dates and error messages are the reader's own): None renders them afresh.
    context["filter_fields_key"] = (
        None
        if not valid or form["date_from"].value() or form["date_to"].value()
        else filters.get("tag") or ""
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
