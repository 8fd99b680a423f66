from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from . import admin_urls, stats
from .views import PERMISSION


@hooks.register("register_admin_urls")
def analytics_admin_urls():
    return [path("analytics/", include(admin_urls, namespace="analytics"))]


class StatsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def analytics_menu_item():
    return StatsMenuItem(
        "Readers' numbers", reverse("analytics:overview"), icon_name="table", order=900
    )


class ReadersPanel(Component):
    name = "readers"
    template_name = "analytics/admin/panel.html"
    order = 60

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context.update(stats.dashboard())
        return context


@hooks.register("construct_homepage_panels")
def add_readers_panel(request, panels):
    if request.user.has_perm(PERMISSION):
        panels.append(ReadersPanel())


def _stats_button(page, user, priority: int):
    """A "Stats" link to the page's readers' numbers, for users with the right, on pages
    readers have seen (published at least once)."""
    if page.first_published_at is None or not user.has_perm(PERMISSION):
        return None
    return Button(
        "Stats",
        reverse("analytics:page", args=[page.pk]),
        icon_name="table",
        attrs={"aria-label": f"Readers' numbers for '{page.get_admin_display_title()}'"},
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def page_listing_stats(page, user, next_url=None):
    button = _stats_button(page, user, priority=55)
    if button is not None:
        yield button


@hooks.register("register_page_header_buttons")
def page_header_stats(page, user, view_name, next_url=None):
    button = _stats_button(page, user, priority=67)
    if button is not None:
        yield button
