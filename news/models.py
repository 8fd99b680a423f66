"""The newsroom's content model: the news index, articles and their authors."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import ArticleBodyBlock
from .forms import (
    HEADLINE_MAX_LENGTH,
    SEARCH_DESCRIPTION_MAX_LENGTH,
    SEO_TITLE_MAX_LENGTH,
    ArticlePageForm,
)
from .panels import SiteTimeZonePublishingPanel

STANDFIRST_MAX_LENGTH = 300
ARTICLES_PER_PAGE = 12
WORDS_PER_MINUTE = 230


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=120, help_text="Full name as it appears in bylines.")
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the author's URL.")
    role = models.CharField(max_length=120, blank=True, help_text="e.g. Balkans correspondent.")
    bio = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A few sentences about the author, shown on their page.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A head-and-shoulders portrait, at least 400 pixels wide.",
    )

    panels = ["name", "slug", "role", "bio", "photo"]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleAuthor(Orderable):
    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        related_name="article_links",
        help_text="Bylines appear in this order.",
    )

    panels = ["author"]

    class Meta(Orderable.Meta):
        unique_together = [("page", "author")]


class NewsIndexPage(Page):
    intro = models.TextField(
        blank=True, max_length=500, help_text="A sentence under the title of the news index."
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]

    content_panels = [*Page.content_panels, "intro"]

    def get_articles(self):
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .defer_streamfields()
            .select_related("lead_image")
            .prefetch_related("article_authors__author")
            .order_by("-display_date", "-pk")
        )

    def paginate(self, request, queryset):
        paginator = Paginator(queryset, ARTICLES_PER_PAGE)
        # get_page() turns "abc", "-1" or "99999" into a real page instead of an error.
        return paginator.get_page(request.GET.get("page"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = self.paginate(request, self.get_articles())
        return context


class ArticlePage(Page):
    standfirst = models.TextField(
        max_length=STANDFIRST_MAX_LENGTH,
        help_text="One or two sentences under the headline that sum up the story.",
    )
    display_date = models.DateTimeField(
        "Date shown to readers",
        null=True,
        blank=True,
        db_index=True,
        help_text="Leave empty to use the time of first publication.",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the article, on cards in listings and when shared.",
    )
    lead_image_alt = models.CharField(
        "Lead image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it (required unless decorative).",
    )
    lead_image_decorative = models.BooleanField(
        "Decorative image",
        default=False,
        help_text="Tick only if the image adds no information; screen readers will skip it.",
    )
    lead_image_caption = models.CharField(
        max_length=300, blank=True, help_text="What the picture shows, in a sentence."
    )
    lead_image_credit = models.CharField(
        max_length=120, blank=True, help_text="Photographer or agency, e.g. Reuters."
    )
    tags = ClusterTaggableManager(
        through=ArticlePageTag,
        blank=True,
        help_text="Topics such as Kosova or Security; the first one is shown above the headline.",
    )
    sign_off = models.CharField(
        max_length=120,
        blank=True,
        help_text='Leave empty to use the site\'s default sign-off ("/The Balkan Report/").',
    )
    body = StreamField(
        ArticleBodyBlock(),
        blank=True,
        help_text="The story: paragraphs, subheadings, images, pull quotes, fact boxes, embeds.",
    )

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    base_form_class = ArticlePageForm

    # The edit form's three tabs. Each list is its own attribute so new fields can be added
    # with a one-line change.
    content_panels = [
        TitleFieldPanel(
            "title",
            heading="Headline",
            help_text=f"The headline readers see, {HEADLINE_MAX_LENGTH} characters at most.",
        ),
        "standfirst",
        MultiFieldPanel(
            [
                "lead_image",
                "lead_image_alt",
                "lead_image_decorative",
                "lead_image_caption",
                "lead_image_credit",
            ],
            heading="Lead image",
        ),
        InlinePanel("article_authors", label="Author", heading="Authors", min_num=0),
        "body",
        "sign_off",
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "slug",
                    help_text="The last part of the article's web address, e.g. kfor-remains.",
                ),
                FieldPanel(
                    "seo_title",
                    help_text="The headline shown by search engines and sharing sites "
                    f"({SEO_TITLE_MAX_LENGTH} characters at most). Leave empty to use the "
                    "headline.",
                ),
                FieldPanel(
                    "search_description",
                    help_text="The summary shown by search engines and sharing sites "
                    f"({SEARCH_DESCRIPTION_MAX_LENGTH} characters at most). Leave empty to use "
                    "the standfirst.",
                ),
            ],
            heading="For search engines and sharing",
        ),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "show_in_menus",
                    help_text="Articles normally stay out of the site menus.",
                )
            ],
            heading="For site menus",
        ),
    ]
    settings_panels = [
        SiteTimeZonePublishingPanel(),
        "display_date",
        *Page.settings_panels[1:],  # comments
    ]

    # Preview modes: the article itself (default), its card in listings and its social card.
    # To add a mode, append (name, label) here and its template to preview_templates.
    preview_modes = [
        ("", "Article page"),
        ("card", "Card in listings"),
        ("social", "Social sharing card"),
    ]
    preview_templates = {
        "card": "news/previews/card.html",
        "social": "news/previews/social.html",
    }

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst", boost=2),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "article_authors", [index.RelatedFields("author", [index.SearchField("name")])]
        ),
        index.FilterField("display_date"),
    ]

    class Meta:
        verbose_name = "article"

    @property
    def date(self):
        """The date readers see: the editor's choice, else the first publication."""
        return self.display_date or self.first_published_at or self.latest_revision_created_at

    @cached_property
    def authors(self) -> list[Author]:
        return [link.author for link in self.article_authors.all()]

    @property
    def lead_alt(self) -> str:
        if self.lead_image_decorative:
            return ""
        if self.lead_image_alt:
            return self.lead_image_alt
        return self.lead_image.default_alt_text if self.lead_image else ""

    @cached_property
    def word_count(self) -> int:
        words = len(self.standfirst.split())
        for block in self.body:
            words += len(strip_tags(str(block.render_as_block())).split())
        return words

    @property
    def reading_time(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def clean(self):
        super().clean()
        # The admin form (news.forms.ArticlePageForm) requires alt text or "decorative" for a
        # lead image. The model only refuses the contradiction, so that imports of old articles
        # without alt text still work (readers then get the image's own description or title,
        # and the next editor to open the article is asked for alt text).
        if self.lead_image_decorative and self.lead_image_alt.strip():
            raise ValidationError(
                {
                    "lead_image_alt": "A decorative image has no alt text: clear this field or "
                    'untick "Decorative image".'
                }
            )

    def get_preview_template(self, request, mode_name):
        return self.preview_templates.get(mode_name) or super().get_preview_template(
            request, mode_name
        )

    def get_preview_context(self, request, mode_name):
        from .previews import preview_context

        context = super().get_preview_context(request, mode_name)
        context.update(preview_context(self, request, mode_name))
        return context

    def save(self, *args, **kwargs):
        # The reader-facing date defaults to the first publication; fixing it on the row keeps
        # listings sortable by one indexed column.
        if self.display_date is None and self.live and self.first_published_at:
            self.display_date = self.first_published_at
        return super().save(*args, **kwargs)

    def get_sign_off(self, request=None) -> str:
        if self.sign_off:
            return self.sign_off
        from home.models import SiteSettings

        return SiteSettings.for_request_or_default(request).default_sign_off

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sign_off"] = self.get_sign_off(request)
        return context
