"""The HTML-to-blocks converter on its own: Gutenberg comments, classic HTML, safety."""

import pytest

from wordpress_import.convert import (
    ImageRef,
    clean_rich_text,
    convert_post,
    is_safe_url,
    parse_blocks,
)


def no_images(ref: ImageRef):
    return None


def kinds(conversion):
    return [block["type"] for block in conversion.blocks]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/", True),
        ("/relative/path/", True),
        ("mailto:desk@example.org", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox(1)", False),
    ],
)
def test_only_safe_link_schemes(url, safe):
    assert is_safe_url(url) is safe


def test_rich_text_keeps_only_the_paragraph_features():
    value = clean_rich_text(
        '<p style="color:red">A <strong>b</strong> <em>i</em> <u>u</u> x<sup>2</sup> '
        'H<sub>2</sub>O <code>c</code> <a href="https://a.example/" target="_blank" class="x">'
        "link</a></p>"
        "<h2>Not a heading here</h2>"
    )
    assert value == (
        '<p>A <b>b</b> <i>i</i> u x<sup>2</sup> H<sub>2</sub>O c <a href="https://a.example/">'
        "link</a></p><p>Not a heading here</p>"
    )


def test_nested_gutenberg_blocks_are_parsed():
    parts = parse_blocks(
        '<!-- wp:group --><div><!-- wp:paragraph {"x":1} --><p>In</p><!-- /wp:paragraph -->'
        "</div><!-- /wp:group --><p>free</p><!-- wp:separator /-->"
    )
    group, free, separator = parts
    assert group.name == "core/group" and group.inner[1].attrs == {"x": 1}
    assert free == "<p>free</p>"
    assert separator.name == "core/separator" and separator.inner == []


def test_group_and_columns_are_flattened():
    result = convert_post(
        '<!-- wp:columns --><div><!-- wp:column --><div><!-- wp:heading {"level":4} -->'
        "<h4>Deep</h4><!-- /wp:heading --></div><!-- /wp:column --></div><!-- /wp:columns -->",
        no_images,
    )
    assert result.blocks == [{"type": "subheading", "value": {"text": "Deep", "level": "h3"}}]


def test_quote_without_citation_is_kept_and_flagged():
    result = convert_post("<blockquote><p>Words</p></blockquote>", no_images)
    assert result.blocks[0]["value"] == {"quote": "Words", "attribution": "", "role": ""}
    assert any("no citation" in warning for warning in result.warnings)


def test_long_quote_becomes_a_paragraph():
    words = "word " * 150
    result = convert_post(f"<blockquote><p>{words}</p><cite>Someone</cite></blockquote>", no_images)
    assert kinds(result) == ["paragraph"]
    assert result.blocks[0]["value"].endswith("— Someone</p>")


def test_classic_embeds_and_bare_urls():
    result = convert_post(
        "Before.\n\nhttps://www.youtube.com/watch?v=abc\n\n[embed]https://vimeo.com/1[/embed]",
        no_images,
    )
    assert kinds(result) == ["paragraph", "embed", "embed"]
    assert result.blocks[1]["value"]["embed"] == "https://www.youtube.com/watch?v=abc"
    assert result.blocks[2]["value"]["embed"] == "https://vimeo.com/1"


def test_missing_image_is_left_out_by_the_resolver():
    seen = []

    def resolver(ref):
        seen.append(ref)
        return None

    result = convert_post(
        '<!-- wp:image {"id":5} --><figure class="wp-block-image"><img src="https://s.example/'
        'wp-content/uploads/2025/01/a-300x200.jpg" alt="A" class="wp-image-5"/><figcaption>Cap'
        "</figcaption></figure><!-- /wp:image -->",
        resolver,
    )
    assert result.blocks == []
    assert seen == [
        ImageRef(
            src="https://s.example/wp-content/uploads/2025/01/a-300x200.jpg",
            attachment_id=5,
            alt="A",
        )
    ]


def test_table_text_is_kept_with_a_warning():
    result = convert_post("<table><tr><td>Votes</td><td>41%</td></tr></table>", no_images)
    assert result.blocks == [{"type": "paragraph", "value": "<p>Votes · 41%</p>"}]
    assert any("table" in warning for warning in result.warnings)


def test_modern_quote_and_gallery_blocks():
    result = convert_post(
        '<!-- wp:quote --><blockquote class="wp-block-quote"><!-- wp:paragraph --><p>First.</p>'
        "<!-- /wp:paragraph --><!-- wp:paragraph --><p>Second.</p><!-- /wp:paragraph -->"
        "<cite>Vjosa Osmani, President of Kosova</cite></blockquote><!-- /wp:quote -->"
        '<!-- wp:gallery --><figure class="wp-block-gallery"><!-- wp:image {"id":1} -->'
        '<figure class="wp-block-image"><img src="https://s.example/wp-content/uploads/a.jpg" '
        'alt="A" class="wp-image-1"/><figcaption>Cap A</figcaption></figure><!-- /wp:image -->'
        '<!-- wp:image {"id":2} --><figure class="wp-block-image"><img '
        'src="https://s.example/wp-content/uploads/b.jpg" alt="B" class="wp-image-2"/>'
        "</figure><!-- /wp:image --></figure><!-- /wp:gallery -->",
        lambda ref: ref.attachment_id * 10,
    )
    assert result.blocks[0] == {
        "type": "pull_quote",
        "value": {
            "quote": "First. Second.",
            "attribution": "Vjosa Osmani",
            "role": "President of Kosova",
        },
    }
    images = [(b["value"]["image"]["image"], b["value"]["caption"]) for b in result.blocks[1:]]
    assert images == [(10, "Cap A"), (20, "")]
