from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide infrastructure: page cache, health check, failure pages, security middleware."""

    name = "core"
    verbose_name = "Site infrastructure"

    def ready(self):
        from . import datacache, signals  # noqa: F401  (connects the cache purge handlers)

        datacache.install()
