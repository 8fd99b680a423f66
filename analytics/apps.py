from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Readers' numbers: first-party, cookie-free page view counts and Most read."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "analytics"
    verbose_name = "Readers' numbers"

    def ready(self):
        from caching import pagecache
        from core import scheduler

        from .counting import BEACON_PREFIX, beacon, served
        from .flush import flush

        pagecache.register_served(served)
        pagecache.register_endpoint(BEACON_PREFIX, beacon)
        scheduler.register("analytics flush", flush)
