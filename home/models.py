"""The home page and the publication's site-wide settings."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, Site

HOME_LATEST_COUNT = 9


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    publication_name = models.CharField(max_length=120, default="The Balkan Report")
    tagline = models.CharField(max_length=160, blank=True, default="Truth Matters.")
    default_sign_off = models.CharField(
        max_length=120,
        default="/The Balkan Report/",
        help_text="Printed at the end of every article unless the article sets its own.",
    )
    about = models.TextField(
        blank=True,
        max_length=500,
        help_text="One or two sentences about the publication, for the footer and search engines.",
    )
    x_url = models.URLField("X (Twitter)", blank=True)
    facebook_url = models.URLField("Facebook", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    telegram_url = models.URLField("Telegram", blank=True)

    panels = [
        MultiFieldPanel(
            ["publication_name", "tagline", "default_sign_off", "about"], heading="Publication"
        ),
        MultiFieldPanel(
            [
                FieldPanel("x_url"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("telegram_url"),
            ],
            heading="Social links",
        ),
    ]

    class Meta:
        verbose_name = "Publication settings"

    @property
    def social_links(self) -> list[tuple[str, str]]:
        pairs = [
            ("X", self.x_url),
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("Telegram", self.telegram_url),
        ]
        return [(name, url) for name, url in pairs if url]

    @classmethod
    def for_request_or_default(cls, request=None) -> SiteSettings:
        if request is not None:
            return cls.for_request(request)
        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()


class HomePage(Page):
    intro = models.TextField(blank=True, max_length=500)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage"]

    content_panels = [*Page.content_panels, "intro"]

    def get_context(self, request, *args, **kwargs):
        from news.models import ArticlePage

        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .defer_streamfields()
            .select_related("lead_image")
            .prefetch_related("article_authors__author")
            .order_by("-display_date", "-pk")[:HOME_LATEST_COUNT]
        )
        return context
