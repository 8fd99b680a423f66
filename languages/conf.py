"""The site's languages from ``SITE_LANGUAGES`` (read by ``config/settings/base.py``).

Plain Python (no Django imports): settings call ``language_settings()`` before Django starts.
English is the default language and keeps today's URLs (``LANGUAGE_CODE`` stays ``en-gb``, the
locale every existing page is in); every other language is served under its own prefix. Serbian
is one Wagtail locale (``sr``) served twice: ``/sr/`` in Cyrillic and ``/sr-latn/`` in Latin
(Django's language ``sr-latn`` is a variant of ``sr`` for Wagtail).
"""

from __future__ import annotations

DEFAULT = "en"
DEFAULT_DJANGO_CODE = "en-gb"

# Language name in its own language, as the switcher shows it.
KNOWN = {
    "en": ("en-gb", "English"),
    "sq": ("sq", "Shqip"),
    "sr": ("sr", "Српски"),
}
# Extra Django languages (URL prefixes) serving another one's Wagtail locale.
SCRIPT_VARIANTS = {"sr": [("sr-latn", "Srpski")]}
# hreflang / <html lang> for each Django language code.
HREFLANG = {"en-gb": "en", "sq": "sq", "sr": "sr-Cyrl", "sr-latn": "sr-Latn"}
# OpenGraph og:locale (language_TERRITORY) for each Django language code.
OG_LOCALE = {"en-gb": "en_GB", "sq": "sq_AL", "sr": "sr_RS", "sr-latn": "sr_Latn_RS"}


class LanguageSettingError(ValueError):
    pass


def parse(value: list[str] | str) -> list[str]:
    """``SITE_LANGUAGES`` as a list of known codes, English first, no repeats."""
    items = value.split(",") if isinstance(value, str) else value
    codes: list[str] = []
    for item in items:
        code = item.strip().lower().replace("_", "-")
        if not code:
            continue
        if code in {"en-gb", "en-us"}:
            code = "en"
        if code not in KNOWN:
            raise LanguageSettingError(
                f"SITE_LANGUAGES: unknown language {code!r} (known: {', '.join(KNOWN)})"
            )
        if code not in codes:
            codes.append(code)
    if DEFAULT not in codes:
        codes.insert(0, DEFAULT)
    codes.remove(DEFAULT)
    return [DEFAULT, *codes]


def language_settings(value: list[str] | str) -> dict:
    """The Django and Wagtail settings for these languages.

    One language: nothing changes (Wagtail's i18n stays off, Django's LANGUAGES untouched).
    """
    codes = parse(value)
    result: dict = {
        "SITE_LANGUAGES": codes,
        "WAGTAIL_I18N_ENABLED": len(codes) > 1,
        "LANGUAGE_TAGS": {DEFAULT_DJANGO_CODE: HREFLANG[DEFAULT_DJANGO_CODE]},
    }
    if len(codes) == 1:
        return result
    content = [KNOWN[code] for code in codes]
    languages = []
    for code in codes:
        languages.append(KNOWN[code])
        languages.extend(SCRIPT_VARIANTS.get(code, []))
    result["WAGTAIL_CONTENT_LANGUAGES"] = content
    result["LANGUAGES"] = languages
    # BCP 47 tags (hreflang, feeds' <language>) for apps that do not import this one.
    result["LANGUAGE_TAGS"] = {code: HREFLANG.get(code, code) for code, _name in languages}
    return result
