from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from news.previews import register_mode

        from . import alerts, signals  # noqa: F401

        alerts.connect()
        from .emails import newsletter_preview_response

        register_mode("newsletter", "Newsletter email", newsletter_preview_response)

        from core import scheduler

        from .digests import send_due_digests
        from .webhooks import forget_old_events

        scheduler.register("newsletter: send due digests", send_due_digests)
        scheduler.register(
            "newsletter: forget old webhook ids", forget_old_events, every_minutes=1440
        )
