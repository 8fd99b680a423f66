"""The language switcher, hreflang alternates and ``<html lang>`` (nothing on a one-language site).

``{% language_links as links %}`` gives one entry per Django language (Serbian twice, one per
script): the same page in that language when it has a live translation, else that language's
home; off the page tree (search, newsletter) the same view in that language.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

from languages import routing

register = template.Library()

REQUEST_ATTR = "_language_links"


def _names() -> dict[str, str]:
    return dict(settings.LANGUAGES)


def links_for(request, page=None) -> list[dict]:
    if not routing.enabled() or request is None:
        return []
    cached = getattr(request, REQUEST_ATTR, None)
    if cached is not None:
        return cached
    current = translation.get_language()
    paths, suffix = {}, ""
    if isinstance(page, Page) and page.pk and page.live:
        paths = routing.page_paths(page)
        own = paths.get(current)
        # A routable page's subpages (a tag or author page of the news index) keep their tail.
        if own and request.path.startswith(own):
            suffix = request.path[len(own) :]
    links = []
    for code, name in settings.LANGUAGES:
        if code in paths:
            url, translated = paths[code] + suffix, True
        elif page is None and code != current:
            url = translate_url(request.get_full_path(), code)
            translated = url != request.get_full_path()
            if not translated:
                url = routing.home_path(code)
        elif code == current:
            url, translated = request.get_full_path(), True
        else:
            url, translated = routing.home_path(code), False
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "hreflang": routing.hreflang(code),
                "current": code == current,
                "translated": translated,
            }
        )
    setattr(request, REQUEST_ATTR, links)
    return links


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    return links_for(context.get("request"), context.get("page"))


@register.simple_tag(takes_context=True)
def og_locales(context) -> dict:
    """OpenGraph ``og:locale`` of the reader's language and ``og:locale:alternate`` for each
    other language the page is translated into (``en_GB`` alone on a one-language site)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    links = links_for(context.get("request"), context.get("page"))
    return {
        "locale": routing.og_locale(current),
        "alternates": [
            routing.og_locale(link["code"])
            for link in links
            if link["translated"] and not link["current"]
        ],
    }


@register.simple_tag
def html_lang() -> str:
    """The ``lang`` of the page: ``en``, ``sq``, ``sr-Cyrl``, ``sr-Latn``."""
    return routing.hreflang(translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag
def content_lang(page) -> str:
    """The page's own language where it differs from the reader's: an English page with no
    translation shown under ``/sr/`` is marked ``en`` (screen readers read it as English and
    the Serbian script conversion leaves it alone); "" otherwise."""
    locale_id = getattr(page, "locale_id", None)
    if not routing.enabled() or locale_id is None or locale_id == Locale.get_active().pk:
        return ""
    return routing.hreflang(page.locale.language_code)


@register.simple_tag
def language_home() -> str:
    """The home page of the active language: ``/``, ``/sq/``, ``/sr-latn/``."""
    if not routing.enabled():
        return "/"
    return routing.home_path(translation.get_language() or settings.LANGUAGE_CODE)
