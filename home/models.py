"""The home page and the publication's site-wide settings."""

from __future__ import annotations

from django.db import models
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Page, Site

HOME_LATEST_COUNT = 9
HOME_SECTION_COUNT = 4
HOME_MAX_SECTIONS = 4


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
    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page without a lead image is shared on social media.",
    )

    panels = [
        MultiFieldPanel(
            ["publication_name", "tagline", "default_sign_off", "about", "default_share_image"],
            heading="Publication",
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


class HomeTagSection(Orderable):
    """A section of the front page listing the newest articles with one tag."""

    page = ParentalKey("home.HomePage", on_delete=models.CASCADE, related_name="tag_sections")
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")
    heading = models.CharField(max_length=80, blank=True, help_text="Leave empty to use the tag.")

    panels = ["tag", "heading"]

    class Meta(Orderable.Meta):
        verbose_name = "tag section"

    @property
    def title(self) -> str:
        return self.heading or self.tag.name


class HomePage(Page):
    intro = models.TextField(blank=True, max_length=500)
    lead_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story at the top of the front page. Leave empty to show the newest.",
    )

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage"]

    content_panels = [
        *Page.content_panels,
        "intro",
        "lead_story",
        InlinePanel(
            "tag_sections", label="Tag section", heading="Tag sections", max_num=HOME_MAX_SECTIONS
        ),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Computed only when the template shows them.
        context["front_page"] = SimpleLazyObject(self.front_page_articles)
        return context

    def front_page_articles(self) -> dict:
        """The lead story, the latest articles and the editor's tag sections, without repeats."""
        from news.models import LEAD_CARD_RENDITIONS, ArticlePage, listing_queryset

        articles = ArticlePage.objects.live().public().descendant_of(self)
        lead = None
        if self.lead_story_id:
            lead = listing_queryset(
                articles.filter(pk=self.lead_story_id), LEAD_CARD_RENDITIONS
            ).first()
        if lead is None:
            lead = listing_queryset(articles, LEAD_CARD_RENDITIONS).first()
        shown = {lead.pk} if lead else set()
        latest = list(listing_queryset(articles.exclude(pk__in=shown))[: HOME_LATEST_COUNT - 1])
        shown.update(a.pk for a in latest)
        sections = []
        for section in self.tag_sections.select_related("tag")[:HOME_MAX_SECTIONS]:
            items = list(
                listing_queryset(
                    articles.filter(tagged_items__tag_id=section.tag_id).exclude(pk__in=shown)
                )[:HOME_SECTION_COUNT]
            )
            if items:
                sections.append((section, items))
        return {"lead_article": lead, "latest_articles": latest, "tag_sections": sections}
