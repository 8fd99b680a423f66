from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def ensure_locales(**kwargs) -> None:
    """A Wagtail locale for every content language of the site (on every ``migrate``)."""
    from django.conf import settings
    from wagtail.models import Locale

    if not settings.WAGTAIL_I18N_ENABLED:
        return
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if not Locale.all_objects.filter(language_code=code).exists():
            Locale.all_objects.create(language_code=code)


class LanguagesConfig(AppConfig):
    """Languages: locales, translations, Serbian scripts."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "languages"
    verbose_name = "Languages"

    def ready(self):
        # After Wagtail's own migrations (this app has no models, so no signal of its own).
        post_migrate.connect(
            ensure_locales, sender=apps.get_app_config("wagtailcore"), dispatch_uid="locales"
        )
