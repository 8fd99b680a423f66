from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    """Languages: locales, translations, Serbian scripts."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "languages"
    verbose_name = "Languages"
