"""Fast full-text search over Wagtail's database search index (PostgreSQL and SQLite FTS5).

Wagtail's database backend matches and ranks with one query that, on PostgreSQL, concatenates
``title || body`` for every index row (no index can serve it) and computes ``ts_rank`` for every
match before sorting; SQLite runs one FTS query per result row to fetch its score. Both take
about a second at 10,000 articles. This module reads the same index (kept up to date by
Wagtail's signal handlers and ``update_index``) in three cheap steps:

1. **Match** with a sub-select the database can serve from an index: on PostgreSQL a GIN
   expression index on ``(title || body)`` (migration ``search.0001``), on SQLite the FTS5
   table. The reader's filters (live, public, tag, dates) stay an ordinary Django queryset.
2. **Count** the matches (one ``COUNT``).
3. **Rank** by relevance only the ``RANK_WINDOW`` newest matches: ``ts_rank`` with Wagtail's
   field weights (headline boosted) on PostgreSQL, ``bm25`` with the headline weighted on
   SQLite. With more matches than that, the older ones follow newest first. "Newest first"
   ordering needs no ranking at all.

The terms come from ``search.query.search_terms`` (letters and digits only), so the tsquery
and FTS5 query strings built here cannot contain operators or quotes from the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
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


def _tsquery(terms: list[str], operator: str) -> str:
    joiner = " & " if operator == "and" else " | "
    parts = [f"'{term}'" for term in terms]
    parts[-1] += ":*"  # the last word may still be being typed: match it as a prefix
    return joiner.join(parts)


def _fts5_query(terms: list[str], operator: str) -> str:
    joiner = " AND " if operator == "and" else " OR "
    parts = [f'"{term}"' for term in terms]
    parts[-1] += "*"
    return "{title body} : (" + joiner.join(parts) + ")"


def _pg_tsquery(terms: list[str], operator: str) -> tuple[str, list[str]]:
    """``to_tsquery(...)`` SQL and its parameters, with the backend's text search config."""
    config = get_search_backend().config
    if config:
        return "to_tsquery(%s::regconfig, %s)", [config, _tsquery(terms, operator)]
    return "to_tsquery(%s)", [_tsquery(terms, operator)]


def match_sql(model, terms: list[str], operator: str) -> RawSQL:
    """A sub-select of the primary keys of ``model`` rows whose index entry matches."""
    entry, fts = _index_tables()
    content_types = get_descendants_content_types_pks(model)
    placeholders = ", ".join(["%s"] * len(content_types))
    if connection.vendor == "postgresql":
        tsquery, params = _pg_tsquery(terms, operator)
        sql = (
            f"SELECT e.object_id::integer FROM {entry} e "  # noqa: S608 - table names only
            f"WHERE (e.title || e.body) @@ {tsquery} AND e.content_type_id IN ({placeholders})"
        )
        return RawSQL(sql, [*params, *content_types])  # noqa: S611 - values are parameters
    # The FTS lookup runs once, as the innermost sub-select (a join lets SQLite re-run it
    # for every index row).
    sql = (
        f"SELECT CAST(e.object_id AS integer) FROM {entry} e "  # noqa: S608 - table names only
        f"WHERE e.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) "
        f"AND e.content_type_id IN ({placeholders})"
    )
    return RawSQL(sql, [_fts5_query(terms, operator), *content_types])  # noqa: S611


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


@dataclass
class RankedResults:
    """A sequence of matching objects for ``Paginator``: counts and slices lazily.

    ``queryset`` is the reader's filtered queryset already restricted to matches and ordered
    newest first; relevance reorders its first ``RANK_WINDOW`` rows.
    """

    queryset: object
    base: object
    terms: list[str]
    operator: str
    order: str
    _count: int | None = None
    _ranked: list[int] | None = field(default=None, repr=False)

    def count(self) -> int:
        if self._count is None:
            if self.order == "relevance":
                self._ranked_ids()  # counts the matches in the same query
            else:
                self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _ranked_ids(self) -> list[int]:
        if self._ranked is None:
            # The window and the total number of matches in one query.
            rows = list(
                self.queryset.annotate(_total=Window(Count("*"))).values_list("pk", "_total")[
                    :RANK_WINDOW
                ]
            )
            window = [pk for pk, _ in rows]
            self._count = rows[0][1] if rows else 0
            scores = rank(self.queryset.model, window, self.terms, self.operator)
            position = {pk: index for index, pk in enumerate(window)}
            self._ranked = sorted(window, key=lambda pk: (-scores.get(pk, 0.0), position[pk]))
        return self._ranked

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        start, stop = item.start or 0, item.stop
        if self.order != "relevance":
            return list(self.queryset[start:stop])
        ranked = self._ranked_ids()
        ids = ranked[start:stop]
        # The ids already match: fetch them from the reader's queryset without re-matching.
        objects = self.base.in_bulk(ids) if ids else {}
        results = [objects[pk] for pk in ids if pk in objects]
        if stop is None or stop > len(ranked):
            # Beyond the ranked window: the older matches, newest first.
            tail_start = max(0, start - len(ranked))
            tail_stop = None if stop is None else stop - len(ranked)
            results += list(self.queryset.exclude(pk__in=ranked)[tail_start:tail_stop])
        return results


def search(queryset, terms: list[str], order: str = "relevance", operator: str = "and"):
    matches = queryset.filter(pk__in=match_sql(queryset.model, terms, operator))
    return RankedResults(matches.order_by("-display_date", "-pk"), queryset, terms, operator, order)
