from django.apps import AppConfig


class CachingConfig(AppConfig):
    """The page cache, the data cache and fragment caching, plugged in from outside.

    Content apps hold no cache code: ``config/cache_map.py`` declares what is memoised and what
    each change invalidates; this app wires it up at start-up (docs/caching.md).
    """

    name = "caching"
    verbose_name = "Caching"

    def ready(self):
        from . import invalidation, memo, wagtail_lookups

        wagtail_lookups.install()
        memo.install(invalidation.cache_map().MEMOISED)
        invalidation.connect()
