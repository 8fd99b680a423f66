"""The golden article holds every block type and is rendered block by block."""

import pytest

from news.blocks import ArticleBodyBlock
from news.demo.build import demo_image
from news.demo.golden import GOLDEN_EXPECTATIONS, cache_golden_embed, golden_body

from .helpers import soup, text_of


@pytest.fixture
def golden_page(make_article):
    cache_golden_embed()
    image = demo_image("Golden image", 3)
    return make_article(title="The golden article", slug="golden", body=golden_body(image))


def test_golden_article_holds_every_block_type(db):
    image = demo_image("Golden image", 3)
    used = {block_type for block_type, _ in golden_body(image)}
    defined = set(ArticleBodyBlock().child_blocks)
    missing = defined - used
    assert not missing, f"Add these block types to news/demo/golden.py: {sorted(missing)}"
    assert set(GOLDEN_EXPECTATIONS) == defined, "Say what each block shows in GOLDEN_EXPECTATIONS"


def test_golden_article_renders_every_block(golden_page, client):
    response = client.get(golden_page.url)
    assert response.status_code == 200
    html = soup(response)
    body = html.select_one(".article-body")
    rendered = {
        "paragraph": body.select_one(".block-paragraph"),
        "subheading": body.select_one("h2.block-subheading"),
        "image": body.select_one("figure.block-image"),
        "pull_quote": body.select_one("figure.block-pull-quote"),
        "fact_box": body.select_one("aside.block-fact-box"),
        "embed": body.select_one("figure.block-embed"),
        "subscribe": body.select_one(".block-subscribe"),
    }
    assert set(rendered) == set(GOLDEN_EXPECTATIONS)
    for block_type, expected in GOLDEN_EXPECTATIONS.items():
        node = rendered[block_type]
        assert node is not None, f"{block_type} did not render"
        markup = str(node)
        for needle in expected:
            assert needle in markup, f"{block_type}: {needle!r} missing from {markup}"


def test_golden_blocks_use_semantic_html(golden_page, client):
    html = soup(client.get(golden_page.url))
    image = html.select_one("figure.block-image img")
    assert image["alt"] == "Golden image alt text"
    assert image["loading"] == "lazy"
    assert image.get("width") and image.get("height")
    assert html.select_one("figure.block-image picture source[type='image/webp']")
    assert html.select_one("figure.block-pull-quote blockquote")
    # Pull quotes repeat the text: hidden from screen readers so it is not read twice.
    assert html.select_one("figure.block-pull-quote")["aria-hidden"] == "true"
    fact = html.select_one("aside.block-fact-box dl .fact")
    assert text_of(fact.select_one("dt")) == "around 4,767"
    assert fact.select_one("dd time")["datetime"] == "2025-06-01"
    assert html.select_one("figure.block-embed iframe")["src"].startswith(
        "https://www.youtube-nocookie.com/"
    )


def test_every_block_has_a_preview_and_description():
    for name, block in ArticleBodyBlock().child_blocks.items():
        assert block.get_description(), f"{name} has no description"
        assert block.is_previewable, f"{name} has no block preview"
