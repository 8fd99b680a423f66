from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

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
