from django.apps import AppConfig


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "News"

    def ready(self):
        from wagtail.signals import page_published

        from .renditions import on_publish

        page_published.connect(on_publish, dispatch_uid="news-prepare-renditions")
