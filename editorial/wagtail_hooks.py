from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .dashboard import NewsroomPanel


@hooks.register("construct_homepage_panels")
def add_newsroom_panel(request, panels):
    panels.append(NewsroomPanel())


@hooks.register("insert_editor_js")
def character_count_js():
    return format_html(
        '<script src="{}" defer></script>', static("editorial/js/character-count.js")
    )


@hooks.register("insert_global_admin_css")
def editorial_css():
    return format_html('<link rel="stylesheet" href="{}">', static("editorial/css/editorial.css"))
