"""Translated pages for tests: a page and its ancestors copied into another locale, published."""

from __future__ import annotations

from wagtail.models import Locale, Page


def translate(page: Page, language_code: str, **fields) -> Page:
    """The published translation of ``page`` (created, with any missing ancestor, if needed);
    ``fields`` replace the copy's values (title, standfirst, ...)."""
    locale = Locale.objects.get(language_code=language_code)
    page = page.specific
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    parent = page.get_parent()
    if parent.depth > 1 and parent.get_translation_or_none(locale) is None:
        translate(parent, language_code)
    copy = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def translated_site(article: Page, titles: dict[str, str]) -> dict[str, Page]:
    """``article`` translated into each language of ``titles`` (code: title)."""
    return {code: translate(article, code, title=title) for code, title in titles.items()}
