"""SQLite FTS5 ranking with the headline weighted (see ``search.backends``)."""

from django.db.models import FloatField, Func
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)

SQLITE_TITLE_WEIGHT = 4.0


class WeightedBM25(Func):
    """``bm25(fts_table, autocomplete, body, title)`` with column weights (lower is better)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        table = SQLiteFTSIndexEntry._meta.db_table
        return f"bm25({table}, 0.0, 1.0, {SQLITE_TITLE_WEIGHT:.1f})", []


class WeightedSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        return WeightedBM25()


class WeightedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = WeightedSQLiteSearchQueryCompiler
