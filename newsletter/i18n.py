"""Newsletters in several languages: whose language an article is in, who reads it, and the
language (and Serbian script) each email is written in.

- A reader has one language (``Subscriber.language``, a Django language: ``en-gb``, ``sq``,
  ``sr`` for Cyrillic, ``sr-latn`` for Latin). Empty, as for everyone who subscribed before the
  site had languages, means the site's default language (``LANGUAGE_CODE``).
- A newsletter with a language is fed only by articles in that language and is sent to all its
  readers, whatever their own language. A newsletter for "any language" sends each article only
  to its readers whose language the article is in (``sr`` and ``sr-latn`` readers both read
  Serbian articles).
- Every email is written in the reader's language, except a newsletter with a language in
  another one (an Albanian newsletter is in Albanian). Serbian emails follow the reader's script.

A site with one language (``WAGTAIL_I18N_ENABLED`` off) filters nothing.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db.models import Q
from django.utils import translation

CYRILLIC = "cyrillic"
LATIN = "latin"
# Django languages written in a Serbian script (the same Serbian pages, languages/conf.py).
SCRIPTS = {"sr": CYRILLIC, "sr-latn": LATIN}


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False))


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES] if enabled() else [settings.LANGUAGE_CODE]


def content_language(language: str) -> str:
    """The Wagtail locale a Django language reads: ``sr-latn`` -> ``sr``, ``""`` -> default."""
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def reader_language(subscriber) -> str:
    """The Django language a reader's emails and pages are in."""
    language = getattr(subscriber, "language", "") or ""
    return language if enabled() and language in site_languages() else settings.LANGUAGE_CODE


def email_language(subscriber, newsletter=None) -> str:
    language = reader_language(subscriber)
    if not enabled() or newsletter is None or not newsletter.language:
        return language
    if content_language(newsletter.language) == content_language(language):
        return language  # the reader's script of the newsletter's language
    return newsletter.language


def readers_of(locale_code: str) -> list[str]:
    """The ``Subscriber.language`` values of the readers of articles in a Wagtail locale."""
    values = [code for code in site_languages() if content_language(code) == locale_code]
    if content_language(settings.LANGUAGE_CODE) == locale_code:
        values.append("")  # no choice made: the default language
    return values


def article_locale(article) -> str:
    return article.locale.language_code if enabled() else ""


def newsletter_takes(newsletter, locale_code: str) -> bool:
    """Whether articles in this locale feed the newsletter (its language, or any)."""
    if not enabled() or not newsletter.language:
        return True
    return content_language(newsletter.language) == locale_code


def receives_q(locale_code: str, prefix: str = "") -> Q:
    """On Subscription rows (``prefix`` for a related path): the subscriptions that get an
    article in this locale from their newsletter, once the newsletter takes it at all."""
    if not enabled():
        return Q()
    return ~Q(**{f"{prefix}newsletter__language": ""}) | Q(
        **{f"{prefix}subscriber__language__in": readers_of(locale_code)}
    )


@contextmanager
def override(language: str):
    with translation.override(language or settings.LANGUAGE_CODE):
        yield


def script_of(language: str) -> str | None:
    return SCRIPTS.get(language) if enabled() else None


def in_script(text: str, language: str, *, html: bool) -> str:
    """Serbian text (editors write either script) in the reader's script."""
    script = script_of(language)
    if script is None or not text:
        return text
    from languages import serbian

    if script == LATIN:
        return serbian.html_to_latin(text) if html else serbian.to_latin(text)
    keep = tuple(settings.SERBIAN_KEEP_LATIN)
    return serbian.html_to_cyrillic(text, keep=keep) if html else serbian.to_cyrillic(text, keep)
