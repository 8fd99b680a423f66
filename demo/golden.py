"""The "golden article": one article that holds every body block type.

It is rendered through every output the site has (page, feeds, email, JSON-LD) by the tests.
When a block type is added to ``ArticleBodyBlock`` it must be added here too, or
``tests/test_golden_article.py`` fails.
"""

from __future__ import annotations

import datetime

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

GOLDEN_EMBED_URL = "https://www.youtube.com/watch?v=golden-article"
GOLDEN_EMBED_HTML = (
    '<iframe title="Golden video" src="https://www.youtube-nocookie.com/embed/golden" '
    'width="640" height="360" allowfullscreen></iframe>'
)


def cache_golden_embed() -> None:
    """Store the embed's oEmbed answer so rendering needs no network."""
    Embed.objects.update_or_create(
        hash=get_embed_hash(GOLDEN_EMBED_URL),
        defaults={
            "url": GOLDEN_EMBED_URL,
            "type": "video",
            "html": GOLDEN_EMBED_HTML,
            "title": "Golden video",
            "provider_name": "YouTube",
            "width": 640,
            "height": 360,
        },
    )


def golden_body(image) -> list[tuple[str, object]]:
    """Every block type, with values a test can find in each output."""
    return [
        (
            "paragraph",
            '<p>Golden paragraph with <b>bold</b> and <a href="https://example.org/">a link</a>.</p>',
        ),
        ("subheading", {"text": "Golden subheading", "level": "h2"}),
        (
            "image",
            {
                "image": {"image": image, "alt_text": "Golden image alt text", "decorative": False},
                "caption": "Golden image caption",
                "credit": "Golden Photographer",
            },
        ),
        (
            "pull_quote",
            {
                "quote": "Golden pull quote words",
                "attribution": "Golden Speaker",
                "role": "Golden Role",
            },
        ),
        (
            "fact_box",
            {
                "title": "Golden facts",
                "facts": [
                    {
                        "qualifier": "around",
                        "figure": "4,767",
                        "label": "golden soldiers",
                        "source_url": "https://example.org/source",
                        "as_of": datetime.date(2025, 6, 1),
                    }
                ],
            },
        ),
        ("embed", {"embed": GOLDEN_EMBED_URL, "caption": "Golden embed caption"}),
        ("subscribe", {"heading": "Golden subscribe heading", "text": "Golden subscribe text"}),
    ]


# What each block must put in front of a reader, by block type.
GOLDEN_EXPECTATIONS: dict[str, list[str]] = {
    "paragraph": ["Golden paragraph with", "<b>bold</b>"],
    "subheading": ["Golden subheading"],
    "image": ["Golden image alt text", "Golden image caption", "Golden Photographer"],
    "pull_quote": ["Golden pull quote words", "Golden Speaker", "Golden Role"],
    "fact_box": ["Golden facts", "4,767", "golden soldiers", "https://example.org/source"],
    "embed": ["Golden embed caption"],
    "subscribe": ["Golden subscribe heading", "Golden subscribe text", 'name="email"'],
}
