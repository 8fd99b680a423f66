from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import views
from .models import LivePage, LiveUpdate


@hooks.register("register_admin_urls")
def live_admin_urls():
    return [
        path("live/<int:page_id>/", views.post_update, name="live_post_update"),
        path(
            "live/update/<int:pk>/<slug:action>/",
            views.update_action,
            name="live_update_action",
        ),
    ]


def _post_button(button_class, page, user):
    if page.specific_class is LivePage and (views.can_post(user) or views.can_change(user)):
        yield button_class(
            "Post update",
            reverse("live_post_update", args=[page.pk]),
            icon_name="comment",
            priority=5,
        )


@hooks.register("register_page_listing_buttons")
def live_listing_button(page, user, next_url=None):
    yield from _post_button(ListingButton, page, user)


@hooks.register("register_page_header_buttons")
def live_header_button(page, user, view_name, next_url=None):
    yield from _post_button(Button, page, user)


class LiveUpdateViewSet(SnippetViewSet):
    """Editing one update in full (every body block, withdrawal and correction note)."""

    model = LiveUpdate
    icon = "comment"
    menu_label = "Live updates"
    list_display = ["__str__", "author", "pinned", "withdrawn", "posted_at"]
    list_filter = ["page", "pinned", "withdrawn"]
    ordering = ["-posted_at"]


register_snippet(LiveUpdateViewSet)
