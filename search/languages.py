"""Search in the reader's language, and Serbian in either script.

The reader's language is the Wagtail locale of the active Django language (``sr-latn`` is
``sr``). Results are that language's articles unless the reader asks for all languages; then
theirs come first. A word of a Serbian query is looked for in both scripts (``ljubav`` finds
"љубав" too), wherever Serbian is one of the site's languages.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from languages.serbian import to_cyrillic, to_latin


def several_languages() -> bool:
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False))


def reader_language() -> str | None:
    """The Wagtail content language of the page the reader is on (None with one language)."""
    if not several_languages():
        return None
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None


def both_scripts() -> bool:
    return "sr" in getattr(settings, "SITE_LANGUAGES", ())


def spellings(terms: list[str]) -> list:
    """Each term, or with Serbian on the site the tuple of its spellings in both scripts."""
    if not both_scripts():
        return terms
    expanded = []
    for term in terms:
        variants = list(dict.fromkeys([term, to_latin(term), to_cyrillic(term)]))
        expanded.append(variants[0] if len(variants) == 1 else tuple(variants))
    return expanded


def flat(terms: list) -> list[str]:
    return [spelling for term in terms for spelling in ((term,) if isinstance(term, str) else term)]
