"""StreamField blocks for article bodies.

Every block has its own template with semantic HTML, a ``description`` and a ``preview_value``
so that Wagtail's block picker shows reporters what they are about to insert.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock as WagtailEmbedBlock
from wagtail.images.blocks import ImageBlock as WagtailImageBlock

# Paragraphs may only carry inline formatting, links and lists: headings come from the
# subheading block, so the article outline (one h1, then h2/h3) stays sound.
PARAGRAPH_FEATURES = [
    "bold",
    "italic",
    "link",
    "ol",
    "ul",
    "superscript",
    "subscript",
    "keep-latin",
]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Paragraph"
        template = "news/blocks/paragraph.html"
        description = "Body text with bold, italic, links and lists."
        preview_value = (
            "<p>The KFOR mission was established in June 1999, following the end of the war, "
            "with the aim of creating a safe environment and preventing a return to violence.</p>"
        )


class SubheadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text="A short heading for the next section.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (h2)"), ("h3", "Subsection (h3)")],
        default="h2",
        help_text="Use h2 for sections and h3 for parts of a section.",
        search_index=False,  # "Section (h2)" is not something readers search for
    )

    class Meta:
        icon = "title"
        label = "Subheading"
        template = "news/blocks/subheading.html"
        description = "A heading that splits a long article into sections."
        preview_value = {"text": "A fragile north", "level": "h2"}


def _first_image():
    from wagtail.images import get_image_model

    return get_image_model().objects.order_by("pk").first()


class ArticleImageBlock(blocks.StructBlock):
    image = WagtailImageBlock(
        help_text="Describe the image for readers who cannot see it, or mark it as decorative.",
    )
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=120, help_text="Photographer or agency.")

    def get_preview_value(self):
        image = _first_image()
        if image is not None:
            image.contextual_alt_text = image.default_alt_text
            image.decorative = False
        return self.normalize(
            {
                "image": image,
                "caption": "KFOR soldiers on patrol near the northern border.",
                "credit": "The Balkan Report",
            }
        )

    class Meta:
        icon = "image"
        label = "Image"
        template = "news/blocks/image.html"
        description = "A photo or graphic with caption, credit and alt text."
        preview_value = {}


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=500, help_text="The words quoted, without quote marks.")
    attribution = blocks.CharBlock(max_length=120, help_text="Who said it, e.g. Mark Rutte.")
    role = blocks.CharBlock(
        required=False, max_length=160, help_text="Their role, e.g. NATO Secretary General."
    )

    class Meta:
        icon = "openquote"
        label = "Pull quote"
        template = "news/blocks/pull_quote.html"
        description = "A striking quote from the article, set large."
        preview_value = {
            "quote": "We will continue to ensure that KFOR remains strong and capable of "
            "fulfilling its mission",
            "attribution": "Mark Rutte",
            "role": "NATO Secretary General",
        }


class FactBlock(blocks.StructBlock):
    figure = blocks.CharBlock(
        required=True, max_length=40, help_text="Required: the number itself, e.g. 4,767."
    )
    qualifier = blocks.CharBlock(
        required=False, max_length=40, help_text='Optional word before the figure, e.g. "around".'
    )
    label = blocks.CharBlock(
        max_length=160, help_text='What the figure counts, e.g. "soldiers from 33 countries".'
    )
    source_url = blocks.URLBlock(
        required=False,
        label="Source link",
        help_text="Where the figure comes from: a full web address starting with https://.",
        search_index=False,
    )
    as_of = blocks.DateBlock(
        required=False,
        label="As of",
        help_text="When the figure was true (today or earlier).",
    )

    def plain_text(self, value) -> str:
        """The fact as readers read it, e.g. "more than 50,000 troops at the outset".

        The one place a fact becomes plain text (the search index and its snippets, and anything
        else that needs the words without the markup): the qualifier comes before the figure,
        as in the fact box itself, not in the order the fields are declared.
        """
        words = (value.get(name) for name in ("qualifier", "figure", "label"))
        return " ".join(" ".join(str(word).split()) for word in words if word and str(word).strip())

    def get_searchable_content(self, value):
        text = self.plain_text(value) if self.search_index else ""
        return [text] if text else []

    def clean(self, value):
        # Each problem is reported on its own field, so the editor sees it where it is; the
        # extra checks run even when another field (say, a missing figure) already failed.
        errors = {}
        try:
            cleaned = super().clean(value)
        except StructBlockValidationError as error:
            errors.update(error.block_errors)
            cleaned = None

        def child_value(name):
            if cleaned is not None:
                return cleaned.get(name)
            if name in errors:
                return None
            return self.child_blocks[name].clean(value.get(name))

        source_url = child_value("source_url") or ""
        if source_url and not source_url.lower().startswith(("http://", "https://")):
            errors["source_url"] = ValidationError(
                "Enter a web address starting with http:// or https://."
            )
        as_of = child_value("as_of")
        if as_of and as_of > timezone.localdate():
            errors["as_of"] = ValidationError("The as-of date cannot be in the future.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return cleaned

    class Meta:
        icon = "decimal"
        label = "Fact"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        max_length=120, default="Key figures", help_text="A short title, e.g. KFOR in numbers."
    )
    facts = blocks.ListBlock(
        FactBlock(), min_num=1, max_num=12, help_text="One to twelve figures, most important first."
    )

    def plain_text(self, value) -> str:
        """The title, then each fact as readers read it (``FactBlock.plain_text``)."""
        fact = self.child_blocks["facts"].child_block
        lines = [value.get("title") or "", *(fact.plain_text(item) for item in value["facts"])]
        return "\n".join(line for line in lines if line)

    class Meta:
        icon = "list-ul"
        label = "Fact box"
        template = "news/blocks/fact_box.html"
        description = "Key figures at a glance, each with an optional source and date."
        preview_value = {
            "title": "KFOR in numbers",
            "facts": [
                {"qualifier": "more than", "figure": "50,000", "label": "troops at the outset"},
                {
                    "qualifier": "around",
                    "figure": "4,767",
                    "label": "soldiers serve today",
                    "as_of": datetime.date(2025, 1, 1),
                },
                {"qualifier": "", "figure": "33", "label": "contributing countries"},
            ],
        }


class EmbedBlock(blocks.StructBlock):
    embed = WagtailEmbedBlock(help_text="A link to a video or post (YouTube, Vimeo, X, ...).")
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "media"
        label = "Embed"
        template = "news/blocks/embed.html"
        description = "A video or social post from another site, shown with a caption."
        preview_value = {
            "embed": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "caption": "Watch the press conference.",
        }


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    subheading = SubheadingBlock()
    image = ArticleImageBlock()
    pull_quote = PullQuoteBlock()
    fact_box = FactBoxBlock()
    embed = EmbedBlock()

    def __init__(self, local_blocks=None, **kwargs):
        # Blocks other apps add (settings.NEWS_BODY_EXTRA_BLOCKS: the newsletter's sign-up form).
        extra = [
            (name, import_string(path)()) for name, path in settings.NEWS_BODY_EXTRA_BLOCKS.items()
        ]
        super().__init__([*extra, *(local_blocks or [])], **kwargs)

    class Meta:
        block_counts = {}
