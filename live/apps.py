from django.apps import AppConfig


class LiveConfig(AppConfig):
    """Live coverage: live pages and their updates."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import api

        api.register()
        post_save.connect(reindex_live_page, sender="live.LiveUpdate")
        post_delete.connect(reindex_live_page, sender="live.LiveUpdate")


def reindex_live_page(instance, raw=False, **kwargs):
    """An update's text is part of its live page's search entry: index the page again, as
    Wagtail's own handlers do when a page is saved (its task, on the "default" backend)."""
    if raw:
        return
    from wagtail.search.tasks import insert_or_update_object_task

    insert_or_update_object_task.enqueue("live", "livepage", str(instance.page_id))
