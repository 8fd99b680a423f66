from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Live coverage: live pages and their updates."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from . import api

        api.register()
