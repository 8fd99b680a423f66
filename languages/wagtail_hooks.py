"""The "Keep in Latin" mark in the rich text editor (see languages.serbian).

Text marked with it is stored as ``<span class="keep-latin">`` and stays in Latin letters on the
Cyrillic Serbian pages: foreign names, brands, Latin quotations.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.rich_text.converters.html_to_contentstate import InlineStyleElementHandler
from wagtail.admin.rich_text.editors.draftail import features as draftail_features

from .serbian import KEEP_LATIN_CLASS

KEEP_LATIN_FEATURE = "keep-latin"
KEEP_LATIN_TYPE = "KEEP_LATIN"


@hooks.register("register_rich_text_features")
def register_keep_latin(features):
    features.register_editor_plugin(
        "draftail",
        KEEP_LATIN_FEATURE,
        draftail_features.InlineStyleFeature(
            {
                "type": KEEP_LATIN_TYPE,
                "label": "Lat",
                "description": _("Keep in Latin (never transliterated to Cyrillic)"),
                "style": {"textDecoration": "underline dotted"},
            }
        ),
    )
    features.register_converter_rule(
        "contentstate",
        KEEP_LATIN_FEATURE,
        {
            "from_database_format": {
                f'span[class="{KEEP_LATIN_CLASS}"]': InlineStyleElementHandler(KEEP_LATIN_TYPE)
            },
            "to_database_format": {
                "style_map": {
                    KEEP_LATIN_TYPE: {"element": "span", "props": {"class": KEEP_LATIN_CLASS}}
                }
            },
        },
    )
    features.default_features.append(KEEP_LATIN_FEATURE)
