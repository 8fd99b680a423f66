"""The newsroom's content model: the news index, articles and their authors."""

from __future__ import annotations

import math

from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import ArticleBodyBlock

STANDFIRST_MAX_LENGTH = 300
ARTICLES_PER_PAGE = 12
WORDS_PER_MINUTE = 230


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the author's URL.")
    role = models.CharField(max_length=120, blank=True, help_text="e.g. Balkans correspondent.")
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_links")

    panels = ["author"]

    class Meta(Orderable.Meta):
        unique_together = [("page", "author")]


class NewsIndexPage(Page):
    intro = models.TextField(blank=True, max_length=500)

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
    )
    lead_image_alt = models.CharField(
        "Lead image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it.",
    )
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField(max_length=120, blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    sign_off = models.CharField(
        max_length=120,
        blank=True,
        help_text='Leave empty to use the site\'s default sign-off ("/The Balkan Report/").',
    )
    body = StreamField(ArticleBodyBlock(), blank=True)

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        "standfirst",
        MultiFieldPanel(
            ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"],
            heading="Lead image",
        ),
        InlinePanel("article_authors", label="Author", heading="Authors"),
        "body",
        "sign_off",
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("tags"), "display_date"]

    # Reader search (search/): the headline is boosted by Page.search_fields (boost 2). The body's
    # StreamField text includes paragraphs, subheadings, pull quotes with attribution, fact box
    # figures and labels and captions. Filters: display date, tags and expiry.
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst", boost=1.5),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields(
            "article_authors", [index.RelatedFields("author", [index.SearchField("name")])]
        ),
        index.FilterField("display_date"),
        index.FilterField("expire_at"),
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
