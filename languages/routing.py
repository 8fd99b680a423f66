"""Language URLs: English unprefixed (today's URLs), every other language under its prefix.

The language comes from the URL path only: no cookie, no ``Accept-Language`` redirect and no
``Vary: Accept-Language``, so one URL is always one page and the page cache (keyed by path)
stays right. Serbian is served twice from one Wagtail locale: ``/sr/`` (Cyrillic) and
``/sr-latn/`` (Latin); ``languages.script`` (part B) writes each copy in its script and purges
both.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.utils import translation

from .conf import HREFLANG, OG_LOCALE, SCRIPT_VARIANTS


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False))


def language_patterns(*urls):
    """The reader URLs, under each language's prefix when the site has more than one."""
    if not enabled():
        return list(urls)
    return i18n_patterns(*urls, prefix_default_language=False)


def prefix(language_code: str) -> str:
    """The URL prefix of a Django language: '' for the default, '/sq' for Albanian."""
    if language_code == settings.LANGUAGE_CODE:
        return ""
    return f"/{language_code}"


def language_from_path(path: str) -> str:
    """The Django language a path is in (the default for an unprefixed path)."""
    if enabled():
        code = translation.get_language_from_path(path)
        if code:
            return code
    return settings.LANGUAGE_CODE


def script_variants() -> dict[str, list[str]]:
    """Wagtail locale code -> the other Django languages serving it ({'sr': ['sr-latn']})."""
    codes = {code for code, _name in settings.LANGUAGES} if enabled() else set()
    return {
        base: [code for code, _name in variants if code in codes]
        for base, variants in SCRIPT_VARIANTS.items()
        if base in codes
    }


def hreflang(language_code: str) -> str:
    return HREFLANG.get(language_code, language_code)


def og_locale(language_code: str) -> str:
    return OG_LOCALE.get(language_code, language_code.replace("-", "_"))


def home_path(language_code: str) -> str:
    return prefix(language_code) + "/"


def page_paths(page) -> dict[str, str]:
    """Django language -> path of this page's live, public translation in it (the page itself
    included; Serbian's twice, one path per script). Memoised (config/cache_map.py)."""
    translations = page.get_translations(inclusive=True).live().public().select_related("locale")
    variants = script_variants()
    paths = {}
    for translation_page in translations:
        code = translation_page.locale.language_code
        for language in (code, *variants.get(code, ())):
            with translation.override(language):
                parts = translation_page.get_url_parts()
            if parts and parts[2]:
                paths[language] = parts[2]
    return paths


class PathLanguageMiddleware:
    """Activates the language named by the URL path (Django's LocaleMiddleware without the
    cookie, the Accept-Language guess and its ``Vary`` header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_from_path(request.path_info)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", hreflang(language))
        return response
