"""The golden article holds every block type and is rendered block by block."""

import pytest

from demo.build import demo_image
from demo.golden import GOLDEN_EXPECTATIONS, cache_golden_embed, golden_body
from news.blocks import ArticleBodyBlock
from tests.support.helpers import soup, text_of


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
    assert not missing, f"Add these block types to demo/golden.py: {sorted(missing)}"
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


def _feed_full_text(client, path, element):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(client.get(path).content)  # noqa: S314 (the site's own output)
    (node,) = list(root.iter(element))
    return node.text


@pytest.mark.parametrize(
    ("path", "element"),
    [
        ("/feeds/rss/", "{http://purl.org/rss/1.0/modules/content/}encoded"),
        ("/feeds/atom/", "{http://www.w3.org/2005/Atom}content"),
    ],
)
def test_golden_article_in_the_feeds(golden_page, client, path, element):
    from bs4 import BeautifulSoup

    html = _feed_full_text(client, path, element)
    for block_type, expected in GOLDEN_EXPECTATIONS.items():
        for needle in expected:
            assert needle in html, f"{block_type}: {needle!r} missing from the feed"
    full = BeautifulSoup(html, "html.parser")
    # Feed readers get absolute image URLs, in every size the page offers.
    image = full.select_one("figure.block-image img")
    assert image["src"].startswith("http://testserver/media/images/")
    for candidate in image["srcset"].split(","):
        assert candidate.strip().startswith("http://testserver/media/images/")
    assert full.select_one("iframe")["src"].startswith("https://www.youtube-nocookie.com/")


def test_golden_article_json_ld(golden_page, client):
    import json

    html = soup(client.get(golden_page.url))
    data = [json.loads(s.string) for s in html.select('script[type="application/ld+json"]')]
    article = next(d for d in data if d["@type"] == "NewsArticle")
    assert article["headline"] == "The golden article"
    assert article["description"] == golden_page.standfirst
    assert article["author"][0]["name"] == "Arta Berisha"
    assert article["keywords"] == ["Politics"]
    assert article["datePublished"] <= article["dateModified"]
    crumbs = next(d for d in data if d["@type"] == "BreadcrumbList")
    assert crumbs["itemListElement"][-1]["name"] == "The golden article"
