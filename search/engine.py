"""Fast full-text search over Wagtail's database search index (PostgreSQL and SQLite FTS5).

Wagtail's database backend matches and ranks with one query that, on PostgreSQL, concatenates
``title || body`` for every index row (no index can serve it) and computes ``ts_rank`` for every
match before sorting; SQLite runs one FTS query per result row to fetch its score. Both take
about a second at 10,000 articles. This module reads the same index (kept up to date by
Wagtail's signal handlers and ``update_index``) in three cheap steps:

1. **Match** with a sub-select the database can serve from an index: on PostgreSQL a GIN
   expression index on ``(title || body)`` (migration ``search.0001``), on SQLite the FTS5
   table. The reader's filters (live, public, tag, dates) stay an ordinary Django queryset.
2. **Count** the matches and take the ``RANK_WINDOW`` newest. With
   ``SEARCH_PRECOMPUTED_FILTERS`` (on when the shared data cache keeps them) and no date
   filter, the ids of every article a reader may see (with the tag filter, if any),
   newest first, are kept there (``ReadableIds``: one list per tag, rebuilt after any change):
   the match is then the index lookup alone (``match_ids``), and the count and the newest
   matches come from walking that list in Python, with no join of thousands of matches to
   their pages. Otherwise one query does both (on PostgreSQL planned through the GIN index,
   see ``match_plan``).
3. **Rank** by relevance only the ``RANK_WINDOW`` newest matches: ``ts_rank`` with Wagtail's
   field weights (headline boosted) on PostgreSQL, ``bm25`` with the headline weighted on
   SQLite. With more matches than that, the older ones follow newest first. "Newest first"
   ordering needs no ranking at all.
4. The window and the count of a search with a ``signature`` (naming every filter) are what
   ``RankedResults.compute_window`` returns; ``config/cache_map.py`` keeps them in the data cache
   until content changes, so a repeated search runs no search query at all.

The terms come from ``search.query.search_terms`` (letters and digits only), so the tsquery
and FTS5 query strings built here cannot contain operators or quotes from the reader.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Window
from django.db.models.expressions import RawSQL
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.backends import get_search_backend

RANK_WINDOW = 500


SQLITE_TITLE_WEIGHT = 4.0


def is_supported() -> bool:
    """True when the default search backend is the database one on PostgreSQL or SQLite FTS5."""
    backend = type(get_search_backend()).__name__
    return backend in {"PostgresSearchBackend", "WeightedSQLiteSearchBackend"}


def _index_tables():
    from modelsearch.conf import get_app_config

    config = get_app_config()
    entry = config.get_model("IndexEntry")._meta.db_table
    return entry, f"{entry}_fts"


def _alternatives(term) -> tuple[str, ...]:
    """A term is a word, or a tuple of spellings any of which may match (both Serbian scripts)."""
    return (term,) if isinstance(term, str) else tuple(term)


def _tsquery(terms: list, operator: str) -> str:
    joiner = " & " if operator == "and" else " | "
    parts = []
    for number, term in enumerate(terms, 1):
        # The last word may still be being typed: match it as a prefix.
        suffix = ":*" if number == len(terms) else ""
        spellings = [f"'{spelling}'{suffix}" for spelling in _alternatives(term)]
        parts.append(spellings[0] if len(spellings) == 1 else f"({' | '.join(spellings)})")
    return joiner.join(parts)


def _fts5_query(terms: list, operator: str) -> str:
    joiner = " AND " if operator == "and" else " OR "
    parts = []
    for number, term in enumerate(terms, 1):
        suffix = "*" if number == len(terms) else ""
        spellings = [f'"{spelling}"{suffix}' for spelling in _alternatives(term)]
        parts.append(spellings[0] if len(spellings) == 1 else f"({' OR '.join(spellings)})")
    return "{title body} : (" + joiner.join(parts) + ")"


def _pg_tsquery(terms: list, operator: str) -> tuple[str, list[str]]:
    """``to_tsquery(...)`` SQL and its parameters, in every text search config of the index.

    Each language's articles are indexed with its own configuration (``search.backends``,
    ``SEARCH_TEXT_CONFIGS``: ``english`` stems English, ``simple`` for Albanian and Serbian),
    so the query is the OR (``||``) of the same words in each of them.
    """
    from .backends import text_configs

    query = _tsquery(terms, operator)
    configs = text_configs()
    if not configs:
        return "to_tsquery(%s)", [query]
    sql = " || ".join(["to_tsquery(%s::regconfig, %s)"] * len(configs))
    return f"({sql})", [value for config in configs for value in (config, query)]


def match_sql(model, terms: list[str], operator: str) -> RawSQL:
    """A sub-select of the primary keys of ``model`` rows whose index entry matches."""
    entry, fts = _index_tables()
    content_types = get_descendants_content_types_pks(model)
    placeholders = ", ".join(["%s"] * len(content_types))
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery(terms, operator)
        sql = (
            f"SELECT e.object_id::integer FROM {entry} e "  # noqa: S608 - table names only
            f"WHERE (e.title || e.body) @@ {tsquery} AND e.content_type_id + 0 IN ({placeholders})"
        )
        return RawSQL(sql, [*params, *content_types])  # noqa: S611 - values are parameters
    # The FTS lookup runs once, as the innermost sub-select (a join lets SQLite re-run it
    # for every index row).
    sql = (
        f"SELECT CAST(e.object_id AS integer) FROM {entry} e "  # noqa: S608 - table names only
        f"WHERE e.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) "
        f"AND e.content_type_id + 0 IN ({placeholders})"
    )
    return RawSQL(sql, [_fts5_query(terms, operator), *content_types])  # noqa: S611


def match_ids(model, terms: list[str], operator: str) -> set[int]:
    """The primary keys of every ``model`` row whose index entry matches (the index alone)."""
    sql = match_sql(model, terms, operator)
    with match_plan(), connection.cursor() as cursor:
        cursor.execute(sql.sql, sql.params)
        return {row[0] for row in cursor.fetchall()}


def rank(model, ids: list[int], terms: list[str], operator: str) -> dict[int, float]:
    """Relevance of each of ``ids`` (higher is better); one query."""
    if not ids:
        return {}
    entry, fts = _index_tables()
    content_types = get_descendants_content_types_pks(model)
    ct_marks = ", ".join(["%s"] * len(content_types))
    id_marks = ", ".join(["%s"] * len(ids))
    str_ids = [str(pk) for pk in ids]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from modelsearch.backends.database.postgres.weights import get_sql_weights

            tsquery, q_params = _pg_tsquery(terms, operator)
            cursor.execute(
                f"WITH q AS (SELECT {tsquery} AS query) "  # noqa: S608 - table names only
                f"SELECT e.object_id, ts_rank(%s::real[], e.title, q.query) * e.title_norm "
                f"+ ts_rank(%s::real[], e.body, q.query) FROM {entry} e, q "
                f"WHERE e.content_type_id IN ({ct_marks}) AND e.object_id IN ({id_marks})",
                [*q_params, get_sql_weights(), get_sql_weights(), *content_types, *str_ids],
            )
        else:
            # The FTS query runs once (a materialised CTE); the join picks the window's rows.
            cursor.execute(
                f"WITH s AS MATERIALIZED (SELECT rowid AS rid, "  # noqa: S608 - table names only
                f"-bm25({fts}, 0.0, 1.0, {SQLITE_TITLE_WEIGHT:.1f}) AS score "
                f"FROM {fts} WHERE {fts} MATCH %s) "
                f"SELECT e.object_id, s.score FROM s JOIN {entry} e ON e.id = s.rid "
                f"WHERE e.content_type_id IN ({ct_marks}) AND e.object_id IN ({id_marks})",
                [_fts5_query(terms, operator), *content_types, *str_ids],
            )
        return {int(object_id): float(score or 0) for object_id, score in cursor.fetchall()}


@contextmanager
def match_plan():
    """PostgreSQL: plan the match through the GIN index, never a scan of the index table.

    The planner cannot know that ``(title || body) @@ query`` on a row means reading and
    concatenating its large (TOASTed) body vector: for words found in many articles it picks a
    sequential scan of the index table (150 ms at 10,000 articles) or the ``content_type_id``
    B-tree followed by the same check on every row, instead of the GIN index (10 ms), and then
    nested loops over thousands of matches. ``SET LOCAL`` (undone at the end of this
    transaction) steers only the statements run inside; ``content_type_id + 0`` in
    ``match_sql`` keeps the B-tree out. Other databases need nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('enable_nestloop', 'off', true)"
        )
        yield


@dataclass
class ReadableIds:
    """The ids of every article readers may see under one filter, newest first.

    ``signature`` names the filter (the list is shared by every search with it), ``queryset``
    selects the articles; ``exclude`` (editor's picks shown above the results) is left out in
    Python so the list does not depend on the query.
    """

    signature: str
    queryset: object
    exclude: frozenset[int] = frozenset()

    def all_ids(self) -> list[int]:
        return list(
            self.queryset.prefetch_related(None)
            .order_by("-display_date", "-pk")
            .values_list("pk", flat=True)
        )

    def get(self) -> list[int] | None:
        """The list; None without ``SEARCH_PRECOMPUTED_FILTERS`` (the database does the work)."""
        if not settings.SEARCH_PRECOMPUTED_FILTERS:
            return None
        ids = self.all_ids()
        return [pk for pk in ids if pk not in self.exclude] if self.exclude else ids


@dataclass
class RankedResults:
    """A sequence of matching objects for ``Paginator``: counts and slices lazily.

    ``queryset`` is the reader's filtered queryset already restricted to matches and ordered
    newest first. One query finds the ``RANK_WINDOW`` newest matches and counts them all;
    relevance reorders that window (one more query). ``signature`` names the search and every
    filter; the cache map keeps a signed search's window and count for ``SEARCH_CACHE_SECONDS``,
    so a repeated search costs no search query until content changes (any publish starts
    afresh; an article expiring meanwhile is left out of the page it would have appeared on).
    """

    queryset: object
    base: object
    terms: list[str]
    operator: str
    order: str
    signature: str | None = None
    readable: ReadableIds | None = None
    prefer_language: str | None = None
    # ids -> {id: object}; by default the reader's queryset (``base``) loads the pages.
    load: Callable[[list[int]], dict] | None = field(default=None, repr=False)
    _state: tuple[list[int], int] | None = field(default=None, repr=False)

    def compute_window(self) -> tuple[list[int], int]:
        readable = self.readable.get() if self.readable else None
        if readable is not None:
            matched = match_ids(self.queryset.model, self.terms, self.operator)
            hits = [pk for pk in readable if pk in matched]
            window, total = hits[:RANK_WINDOW], len(hits)
        else:
            with match_plan():
                rows = list(
                    self.queryset.annotate(_total=Window(Count("*"))).values_list("pk", "_total")[
                        :RANK_WINDOW
                    ]
                )
            window = [pk for pk, _ in rows]
            total = rows[0][1] if rows else 0
        if self.order == "relevance" and window:
            scores = rank(self.queryset.model, window, self.terms, self.operator)
            position = {pk: index for index, pk in enumerate(window)}
            window.sort(key=lambda pk: (-scores.get(pk, 0.0), position[pk]))
        if self.prefer_language and window:
            own = set(
                self.base.filter(pk__in=window, locale__language_code=self.prefer_language)
                .order_by()
                .values_list("pk", flat=True)
            )
            window = [pk for pk in window if pk in own] + [pk for pk in window if pk not in own]
        return window, total

    def _window(self) -> tuple[list[int], int]:
        if self._state is None:
            self._state = self.compute_window()
        return self._state

    def count(self) -> int:
        return self._window()[1]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop
        window, total = self._window()
        ids = window[start:stop]
        # The ids already match: fetch them from the reader's queryset without re-matching.
        load = self.load or self.base.in_bulk
        objects = load(ids) if ids else {}
        results = [objects[pk] for pk in ids if pk in objects]
        if len(window) < total and (stop is None or stop > len(window)):
            # Beyond the window: the older matches, newest first.
            tail_start = len(window) + max(0, start - len(window))
            tail_stop = None if stop is None else stop
            with match_plan():
                if self.load is None:
                    results += list(self.queryset[tail_start:tail_stop])
                else:
                    tail = list(self.queryset[tail_start:tail_stop].values_list("pk", flat=True))
            if self.load is not None:
                objects = self.load(tail) if tail else {}
                results += [objects[pk] for pk in tail if pk in objects]
        return results


def search(
    queryset,
    terms: list[str],
    order: str = "relevance",
    operator: str = "and",
    signature: str | None = None,
    readable: ReadableIds | None = None,
    prefer_language: str | None = None,
    load: Callable[[list[int]], dict] | None = None,
):
    """Matches of ``terms`` in ``queryset``; ``signature`` names every filter (see above).

    ``readable``, when given, must select exactly ``queryset``'s articles (see ``ReadableIds``).
    ``prefer_language`` (a Wagtail locale's language code): the ranked window lists that
    language's articles first (searching all languages, the reader's own come first).
    ``load`` (ids to a dict of objects by id) gives the results page's objects instead of
    loading them from ``queryset``; it must leave out whatever a reader may no longer see.
    """
    matches = queryset.filter(pk__in=match_sql(queryset.model, terms, operator))
    key = None
    if signature is not None:
        key = hashlib.sha256(
            repr(
                (
                    signature,
                    [[spelling.casefold() for spelling in _alternatives(t)] for t in terms],
                    order,
                    operator,
                    prefer_language,
                )
            ).encode()
        ).hexdigest()
    return RankedResults(
        matches.order_by("-display_date", "-pk"),
        queryset,
        terms,
        operator,
        order,
        signature=key,
        readable=readable,
        prefer_language=prefer_language,
        load=load,
    )
