"""Admin panels for articles."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.admin.widgets import AdminDateTimeInput


def time_zone_help() -> str:
    """Which time zone the go-live and expiry fields are in, e.g.
    "Times are in the site's time zone, Europe/Belgrade (now UTC+01:00)."

    The admin shows times in the user's own time zone when they chose one in their account
    settings, else in the site's (settings.TIME_ZONE); this says which one is active."""
    name = timezone.get_current_timezone_name()
    offset = timezone.localtime().strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    whose = "the site's time zone" if name == settings.TIME_ZONE else "your time zone"
    return f"Times are in {whose}, {name} (now {offset})."


class SiteTimeZonePublishingPanel(PublishingPanel):
    """Wagtail's go-live / expiry panel, with the time zone written next to both fields."""

    def __init__(self, **kwargs):
        parent = "#schedule-publishing-dialog"
        children = []
        for name, what in [
            ("go_live_at", "When the article is published. Leave empty to publish at once."),
            ("expire_at", "When the article is taken off the site. Leave empty to keep it."),
        ]:
            children.append(
                FieldPanel(
                    name,
                    help_text=lazy(lambda what=what: f"{what} {time_zone_help()}", str)(),
                    widget=AdminDateTimeInput(
                        js_overlay_parent_selector=parent,
                        attrs={
                            "data-controller": "w-action",
                            "data-action": "w-dialog:hidden->w-action#reset",
                            "data-w-dialog-target": "notify",
                        },
                    ),
                )
            )
        kwargs.setdefault("children", children)
        super().__init__(**kwargs)
