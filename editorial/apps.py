from django.apps import AppConfig


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from core import scheduler

        from .scheduler import publish_scheduled_pages

        scheduler.register("scheduled publishing", publish_scheduled_pages)
