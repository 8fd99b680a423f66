"""The editor's "Keep in Latin" mark: stored as a span the Cyrillic pages leave in Latin."""

import json

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from languages.serbian import html_to_cyrillic
from news.blocks import PARAGRAPH_FEATURES


def test_the_mark_is_stored_as_a_keep_latin_span_and_read_back():
    converter = ContentstateConverter(features=PARAGRAPH_FEATURES)
    contentstate = {
        "entityMap": {},
        "blocks": [
            {
                "key": "a1b2c",
                "type": "unstyled",
                "depth": 0,
                "text": "Izjavio je John Njegovan danas.",
                "inlineStyleRanges": [{"offset": 11, "length": 13, "style": "KEEP_LATIN"}],
                "entityRanges": [],
            }
        ],
    }
    html = converter.to_database_format(json.dumps(contentstate))
    marked = '<span class="keep-latin">John Njegovan</span>'
    assert html == f'<p data-block-key="a1b2c">Izjavio je {marked} danas.</p>'
    assert html_to_cyrillic(html) == f'<p data-block-key="a1b2c">Изјавио је {marked} данас.</p>'
    back = json.loads(converter.from_database_format(html))
    assert back["blocks"][0]["inlineStyleRanges"] == [
        {"offset": 11, "length": 13, "style": "KEEP_LATIN"}
    ]
