"""Wagtail's database search backend, with headline-weighted ranking on SQLite.

``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends"`` picks the same backend as
``wagtail.search.backends.database`` (PostgreSQL full-text search, SQLite FTS5, or the plain
fallback) and changes one thing: on SQLite FTS5 the rank is ``bm25()`` with per-column weights
(headline ``SQLITE_TITLE_WEIGHT`` x the body), because the stock SQLite ranking ignores field
boosts and favours short articles. PostgreSQL already weights the headline (``ts_rank`` with
the field boosts); there each article is indexed with its language's text search configuration
(``SEARCH_TEXT_CONFIGS``: ``english`` for English, ``simple`` where PostgreSQL has none, as
for Albanian and Serbian).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from modelsearch.backends import database as _database


def text_configs() -> list[str]:
    """The PostgreSQL text search configurations the index uses, each once (see below)."""
    configs = dict.fromkeys(settings.SEARCH_TEXT_CONFIGS.values())
    configs[settings.SEARCH_TEXT_CONFIG_DEFAULT] = None
    return list(configs)


def text_config_for(obj) -> str:
    """The configuration an object is indexed with: its locale's language's, else the default."""
    locale = getattr(obj, "locale", None)
    language = (getattr(locale, "language_code", "") or "").split("-")[0].lower()
    return settings.SEARCH_TEXT_CONFIGS.get(language, settings.SEARCH_TEXT_CONFIG_DEFAULT)


@cache
def _per_language_index(index_class):
    """The PostgreSQL index class, indexing each object with its language's configuration.

    modelsearch builds every vector with ``backend.config``; the objects of one batch are
    indexed in groups, one per configuration, with that configuration set meanwhile.
    """

    class PerLanguageIndex(index_class):
        def add_items(self, model, objs):
            groups: dict[str, list] = {}
            for obj in objs:
                groups.setdefault(text_config_for(obj), []).append(obj)
            original = self.backend.config
            try:
                for config, group in groups.items():
                    self.backend.config = config
                    super().add_items(model, group)
            finally:
                self.backend.config = original

    return PerLanguageIndex


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = _database.SearchBackend(params)
    if type(backend).__name__ == "PostgresSearchBackend":
        backend.index_class = _per_language_index(type(backend).index_class)
        return backend
    if type(backend).__name__ == "SQLiteSearchBackend":
        # Imported here: the SQLite module only loads when SQLite FTS5 is in use.
        from .sqlite_ranking import WeightedSQLiteSearchBackend

        return WeightedSQLiteSearchBackend(params)
    return backend
