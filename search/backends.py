"""Wagtail's database search backend, with headline-weighted ranking on SQLite.

``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends"`` picks the same backend as
``wagtail.search.backends.database`` (PostgreSQL full-text search, SQLite FTS5, or the plain
fallback) and changes one thing: on SQLite FTS5 the rank is ``bm25()`` with per-column weights
(headline ``SQLITE_TITLE_WEIGHT`` x the body), because the stock SQLite ranking ignores field
boosts and favours short articles. PostgreSQL already weights the headline (``ts_rank`` with
the field boosts), so it is used unchanged.
"""

from __future__ import annotations

from modelsearch.backends import database as _database


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = _database.SearchBackend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        # Imported here: the SQLite module only loads when SQLite FTS5 is in use.
        from .sqlite_ranking import WeightedSQLiteSearchBackend

        return WeightedSQLiteSearchBackend(params)
    return backend
