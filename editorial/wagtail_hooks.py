from django.templatetags.static import static
from django.utils.html import format_html
from taggit.models import Tag
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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


class TagViewSet(SnippetViewSet):
    """Editors rename, merge by hand and delete article tags (Wagtail has no tag admin of its
    own); reporters only pick tags in the article form."""

    model = Tag
    icon = "tag"
    menu_label = "Tags"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    panels = ["name", "slug"]


register_snippet(TagViewSet)
