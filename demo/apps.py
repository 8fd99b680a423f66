from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content (the seed article, authors, images) and the commands that load it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
