"""The newsroom's content model: the news index, articles and their authors."""

from __future__ import annotations

import datetime
import functools
import math

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.coreutils import get_supported_content_language_variant
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

# The URL names of a tag's and an author's feeds (news/urls or config/urls).
TAG_FEEDS = ("feed-tag-rss", "feed-tag-atom")
AUTHOR_FEEDS = ("feed-author-rss", "feed-author-atom")
STANDFIRST_MAX_LENGTH = 300
ARTICLES_PER_PAGE = 12
WORDS_PER_MINUTE = 230
RELATED_COUNT = 3
# Related articles are chosen among this many newest articles of each of the article's tags.
RELATED_CANDIDATES_PER_TAG = 200
# A re-publication this long after the first one counts as an update readers are told about.
UPDATE_THRESHOLD = datetime.timedelta(minutes=10)
# Renditions every listing card asks for (news/templates/news/includes/article_card.html).
# WebP with a JPEG fallback, no AVIF: encoding the three AVIF widths of a lead image took
# 440 ms (WebP: 90 ms) and made the first view of a new article take 1.7 s, for files no
# smaller than WebP on our illustrations (README "Performance", first render).
# The order of operations matters: the {% picture %} tag names them "format-...|fill-...".
CARD_RENDITIONS = [
    f"format-{fmt}|fill-{size}" for fmt in ("webp", "jpeg") for size in ("400x225", "800x450")
]
LEAD_CARD_RENDITIONS = [
    f"format-{fmt}|fill-{size}"
    for fmt in ("webp", "jpeg")
    for size in ("480x270", "800x450", "1200x675")
]


def listing_queryset(queryset, renditions=CARD_RENDITIONS):
    """Articles for a listing: no StreamFields, authors and card renditions in bulk."""
    from wagtail.images import get_image_model

    # One query for the page rows with their images, one for bylines, one for renditions
    # (what Image.objects.prefetch_renditions() does, through the joined image).
    Rendition = get_image_model().get_rendition_model()
    return (
        queryset.defer_streamfields()
        .select_related("lead_image")
        .prefetch_related(
            Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author")),
            Prefetch(
                "lead_image__renditions",
                queryset=Rendition.objects.filter(filter_spec__in=renditions),
                to_attr="prefetched_renditions",
            ),
        )
        .order_by("-display_date", "-pk")
    )


class LazyListing:
    """A listing's articles, built only when a page of them is read.

    Building the listing's queryset (live, public, descendant of the index, authors and
    renditions prefetched) is wasted when the cards are not rendered from it; the slice a page
    takes is built when the cards are rendered.
    """

    ordered = True  # every listing is ordered (listing_queryset); Paginator checks

    def __init__(self, build):
        self._build = build

    def __getitem__(self, key):
        return SimpleLazyObject(lambda: self._build()[key])


class CountedPaginator(Paginator):
    """A paginator that asks ``count()`` for the number of objects instead of counting the
    queryset (a COUNT grows with the archive; the method can be kept between requests)."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def publication_settings(request=None):
    """The publication's settings (``home.SiteSettings``; looked up by name: home imports news)."""
    return apps.get_model("home", "SiteSettings").for_request_or_default(request)


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


class ArticleCorrection(Orderable):
    """A correction printed at the foot of an article; it also makes the article "updated"."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    date = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=1000, help_text="What was wrong and what is right now.")

    panels = ["date", "text"]

    class Meta(Orderable.Meta):
        verbose_name = "correction"


class ArticleRelatedLink(Orderable):
    """An editor's choice of related article; when there is none they are found by tags."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="article"
    )

    panels = ["article"]

    class Meta(Orderable.Meta):
        verbose_name = "related article"


class NewsIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(
        blank=True, max_length=500, help_text="A sentence under the title of the news index."
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage", *settings.NEWS_INDEX_EXTRA_PAGE_TYPES]

    content_panels = [*Page.content_panels, "intro"]

    def get_articles(self, *, tag=None, author=None, renditions=CARD_RENDITIONS):
        """What readers see in every listing and feed: live, public articles, newest first."""
        queryset = ArticlePage.objects.live().public().descendant_of(self)
        if tag is not None:
            queryset = queryset.filter(tagged_items__tag=tag)
        if author is not None:
            queryset = queryset.filter(article_authors__author=author)
        return listing_queryset(queryset, renditions)

    @classmethod
    def find_main(cls) -> NewsIndexPage | None:
        """The site's news index: the first live, public one in the tree (in the active
        language's tree when the site has several)."""
        indexes = cls.objects.live().public()
        if settings.WAGTAIL_I18N_ENABLED:
            indexes = indexes.filter(
                locale__language_code=get_supported_content_language_variant(
                    translation.get_language()
                )
            )
        return indexes.order_by("path").first()

    @classmethod
    def find_tag(cls, slug: str) -> Tag | None:
        """The tag a tag page or feed names."""
        return Tag.objects.filter(slug=slug).first()

    @classmethod
    def find_author(cls, slug: str) -> Author | None:
        """The author an author page or feed names, with the photo."""
        return Author.objects.select_related("photo").filter(slug=slug).first()

    def count_articles(self, *, tag=None, author=None) -> int:
        return self.get_articles(tag=tag, author=author).count()

    def paginate(self, request, *, tag=None, author=None):
        paginator = CountedPaginator(
            LazyListing(lambda: self.get_articles(tag=tag, author=author)),
            ARTICLES_PER_PAGE,
            count=lambda: self.count_articles(tag=tag, author=author),
        )
        # get_page() turns "abc", "-1" or "99999" into a real page instead of an error.
        return paginator.get_page(request.GET.get("page"))

    def get_context(self, request, *args, articles=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Tag and author pages pass their own listing (the whole index is not counted for them).
        if articles is None:
            articles = self.paginate(request)
        context.setdefault("articles", articles)
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("tag/<slug:slug>/")
    def tag(self, request, slug):
        tag = self.find_tag(slug)
        if tag is None:
            raise Http404("No such tag")
        return self.render(
            request,
            template="news/tag_page.html",
            context_overrides={"tag": tag},
            articles=self.paginate(request, tag=tag),
        )

    @path("author/<slug:slug>/")
    def author(self, request, slug):
        author = self.find_author(slug)
        if author is None:
            raise Http404("No such author")
        return self.render(
            request,
            template="news/author_page.html",
            context_overrides={"author": author},
            articles=self.paginate(request, author=author),
        )

    def tag_url(self, tag, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("tag", kwargs={"slug": tag.slug})

    def author_url(self, author, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("author", kwargs={"slug": author.slug})

    def get_sitemap_urls(self, request=None):
        """The index, then every tag and author page that lists at least one article."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        tag_slugs, author_slugs = self.listed_tag_and_author_slugs()
        for slug in tag_slugs:
            urls.append({"location": base + self.reverse_subpage("tag", kwargs={"slug": slug})})
        for slug in author_slugs:
            urls.append({"location": base + self.reverse_subpage("author", kwargs={"slug": slug})})
        return urls

    def listed_tag_and_author_slugs(self) -> tuple[list[str], list[str]]:
        # EXISTS per tag and author (a few dozen index probes), not DISTINCT over every link.
        articles = ArticlePage.objects.live().public().descendant_of(self).values("pk")
        tags = Tag.objects.filter(
            Exists(
                ArticlePageTag.objects.filter(tag=OuterRef("pk"), content_object_id__in=articles)
            )
        )
        authors = Author.objects.filter(
            Exists(ArticleAuthor.objects.filter(author=OuterRef("pk"), page_id__in=articles))
        )
        return (
            list(tags.order_by("slug").values_list("slug", flat=True)),
            list(authors.order_by("slug").values_list("slug", flat=True)),
        )


class ArticlePage(Page):
    standfirst = models.TextField(
        max_length=STANDFIRST_MAX_LENGTH,
        help_text="One or two sentences under the headline that sum up the story.",
    )
    display_date = models.DateTimeField(
        "Date shown to readers",
        null=True,
        blank=True,
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
    revised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when an article that was already live is published again.",
    )
    skip_newsletter = models.BooleanField(
        "Don't email this article",
        default=False,
        help_text="Tick before the first publication to keep this article out of the newsletter.",
    )

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["revised_at"]

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
        InlinePanel("corrections", label="Correction", heading="Corrections"),
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
        InlinePanel(
            "related_links",
            label="Related article",
            heading="Related articles",
            max_num=RELATED_COUNT,
        ),
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
        "skip_newsletter",
        *Page.settings_panels[1:],  # comments
    ]

    # Preview modes: the article itself (default), its card in listings and its social card,
    # then those other apps register (news.previews.register_mode: the newsletter email).
    base_preview_modes = [
        ("", "Article page"),
        ("card", "Card in listings"),
        ("social", "Social sharing card"),
    ]
    preview_templates = {
        "card": "news/previews/card.html",
        "social": "news/previews/social.html",
    }

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
        # Listings, neighbours and related articles all read articles newest first.
        indexes = [models.Index(fields=["display_date", "page_ptr"], name="news_article_date_pk")]

    @property
    def date(self):
        """The date readers see: the editor's choice, else the first publication."""
        return self.display_date or self.first_published_at or self.latest_revision_created_at

    @cached_property
    def authors(self) -> list[Author]:
        links = self.article_authors.all()
        if "article_authors" not in getattr(self, "_prefetched_objects_cache", {}):
            try:
                links = links.select_related("author")
            except AttributeError:  # an unsaved preview's in-memory relation
                pass
        return [link.author for link in links]

    @cached_property
    def tag_list(self) -> list:
        return list(self.tags.all())

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

    @property
    def preview_modes(self):
        from .previews import EXTRA_MODES

        return [*self.base_preview_modes, *((name, m[0]) for name, m in EXTRA_MODES.items())]

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
        if self.pk and self.live and self.live_revision_id and self.last_published_at:
            before = (
                ArticlePage.objects.filter(pk=self.pk)
                .values_list("live_revision_id", flat=True)
                .first()
            )
            if before and before != self.live_revision_id:
                # A new revision of an article that was already published: readers see "Updated".
                self.revised_at = self.last_published_at
                update_fields = kwargs.get("update_fields")
                if update_fields is not None and "revised_at" not in update_fields:
                    kwargs["update_fields"] = [*update_fields, "revised_at"]
        return super().save(*args, **kwargs)

    def get_sign_off(self, request=None) -> str:
        return self.sign_off or publication_settings(request).default_sign_off

    @cached_property
    def correction_list(self) -> list[ArticleCorrection]:
        return sorted(self.corrections.all(), key=lambda c: c.date)

    @property
    def updated_at(self):
        """When readers are told the article was updated: a later re-publication or correction."""
        date = self.date
        if date is None:
            return None
        candidates = [c.date for c in self.correction_list]
        if self.revised_at:
            candidates.append(self.revised_at)
        latest = max(candidates, default=None)
        if latest and latest - date >= UPDATE_THRESHOLD:
            return latest
        return None

    def listing_urls(self) -> list[str]:
        """Absolute URLs of the listings and feeds that show this article (besides its index)."""
        from django.urls import reverse

        index = self.get_parent().specific
        site = self.get_site()
        if site is None or not isinstance(index, NewsIndexPage):
            return []
        root = site.root_url
        # In the article's language: /sq/feeds/rss/ for an Albanian article.
        language = self.locale.language_code if settings.WAGTAIL_I18N_ENABLED else None
        with translation.override(language):
            index_url = root + index.get_url_parts()[2]
            urls = [root + reverse(name) for name in ("feed-rss", "feed-atom", "news-sitemap")]
            for tag in self.tags.all():
                urls.append(index_url + index.reverse_subpage("tag", kwargs={"slug": tag.slug}))
                urls += [root + reverse(name, args=[tag.slug]) for name in TAG_FEEDS]
            for author in self.authors:
                slug = author.slug
                urls.append(index_url + index.reverse_subpage("author", kwargs={"slug": slug}))
                urls += [root + reverse(name, args=[slug]) for name in AUTHOR_FEEDS]
        return urls

    def get_related_articles(self) -> list[ArticlePage]:
        """The editor's choice if any, else the newest articles sharing the most tags; only
        articles in this article's language (its locale)."""
        live = ArticlePage.objects.live().public().filter(locale_id=self.locale_id)
        live = live.exclude(pk=self.pk)
        chosen = [link.article_id for link in self.related_links.all()]
        if chosen:
            by_pk = {a.pk: a for a in listing_queryset(live.filter(pk__in=chosen))}
            return [by_pk[pk] for pk in chosen if pk in by_pk]
        tag_ids = [tag.pk for tag in self.tag_list]
        if not tag_ids:
            return []
        # Candidates: the newest few hundred articles of each tag (a walk down the date index
        # each, one UNION the database can drive the rest from), so the cost does not grow with
        # the archive; the count of shared tags is exact among them.
        parts, params = [], []
        for number, tag_id in enumerate(tag_ids):
            newest = (
                live.filter(tagged_items__tag_id=tag_id)
                .order_by("-display_date", "-pk")
                .values("pk")[:RELATED_CANDIDATES_PER_TAG]
            )
            sql, part_params = newest.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS tag_{number}")  # noqa: S608 - compiled ORM
            params.extend(part_params)
        candidates = RawSQL(" UNION ".join(parts), params)  # noqa: S611 - values are parameters
        shared = (
            ArticlePageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
            .order_by()
            .values("content_object_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return list(
            listing_queryset(live.filter(pk__in=candidates))
            .annotate(shared=Subquery(shared))
            .order_by("-shared", "-display_date", "-pk")[:RELATED_COUNT]
        )

    def get_neighbours(self):
        """(previous, next): the older and newer article next to this one in the index."""
        if self.display_date is None or not self.path:  # e.g. the preview of a new article
            return None, None
        siblings = (
            ArticlePage.objects.live()
            .public()
            .sibling_of(self, inclusive=False)
            .defer_streamfields()
        )
        # The plain range condition beside each OR lets the database walk the (display_date, pk)
        # index from this article outwards and stop at the first sibling.
        older = (
            siblings.filter(
                Q(display_date__lt=self.display_date)
                | Q(display_date=self.display_date, pk__lt=self.pk),
                display_date__lte=self.display_date,
            )
            .order_by("-display_date", "-pk")
            .only("title", "url_path", "display_date")
            .first()
        )
        newer = (
            siblings.filter(
                Q(display_date__gt=self.display_date)
                | Q(display_date=self.display_date, pk__gt=self.pk),
                display_date__gte=self.display_date,
            )
            .order_by("display_date", "pk")
            .only("title", "url_path", "display_date")
            .first()
        )
        return older, newer

    # The "newsletter" preview mode shows the email as subscribers will see it.
    def serve_preview(self, request, mode_name):
        from .previews import EXTRA_MODES

        if mode_name in EXTRA_MODES:
            return EXTRA_MODES[mode_name][1](self, request)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sign_off"] = self.get_sign_off(request)
        # Looked up only when the template asks (it calls them): mostly inside fragments.
        context["tags"] = lambda: self.tag_list
        related = functools.cache(self.get_related_articles)
        neighbours = functools.cache(self.get_neighbours)
        context["related_articles"] = related
        context["previous_article"] = lambda: neighbours()[0]
        context["next_article"] = lambda: neighbours()[1]
        return context
