from django.apps import AppConfig


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_save

        from core import scheduler

        from .roles import grant_news_index

        # Every language's news index gets the groups' rights and the workflow (roles.py).
        post_save.connect(
            grant_news_index,
            sender=apps.get_model("news", "NewsIndexPage"),
            dispatch_uid="editorial-news-index",
        )

        from .scheduler import publish_scheduled_pages

        scheduler.register("scheduled publishing", publish_scheduled_pages)
