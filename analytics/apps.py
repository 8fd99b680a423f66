from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Readers' numbers: first-party, cookie-free page view counts and Most read."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "analytics"
    verbose_name = "Readers' numbers"
