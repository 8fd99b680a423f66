"""Serbian pages in the reader's script: ``/sr/...`` in Cyrillic, ``/sr-latn/...`` in Latin.

Both prefixes serve the same Serbian pages (one Wagtail locale, ``sr``), written by editors in
either script. ``SerbianScriptMiddleware`` sits right after the page cache middleware, so the
page cache stores (and serves) each script's copy under its own path; ``path_aliases`` is the
page cache's ``PAGE_CACHE_PATH_ALIASES`` hook, so purging one copy purges the other.
"""

from __future__ import annotations

import re
from html import unescape

from django.conf import settings

from . import serbian

CYRILLIC = "cyrillic"
LATIN = "latin"


def _prefixes() -> dict[str, str]:
    """{path prefix: script}, e.g. {"/sr/": "cyrillic", "/sr-latn/": "latin"}."""
    return settings.SERBIAN_SCRIPT_PREFIXES


def script_for_path(path: str) -> str | None:
    for prefix, script in _prefixes().items():
        if path.startswith(prefix):
            return script
    return None


def path_aliases(path: str) -> list[str]:
    """The same page in the other script(s): ``/sr/vesti/x/`` -> ``["/sr-latn/vesti/x/"]``."""
    for prefix in _prefixes():
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            return [other + rest for other in _prefixes() if other != prefix]
    return []


def transliterate(html: str, script: str) -> str:
    if script == LATIN:
        return serbian.html_to_latin(html)
    return serbian.html_to_cyrillic(html, keep=tuple(settings.SERBIAN_KEEP_LATIN))


def transliterate_text(text: str, script: str) -> str:
    if script == LATIN:
        return serbian.to_latin(text)
    return serbian.to_cyrillic(text, keep=tuple(settings.SERBIAN_KEEP_LATIN))


# Feeds and the Google News sitemap: the elements readers see as text, and those holding HTML
# (escaped). Links, ids, dates and everything else stay byte for byte.
XML_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
XML_TEXT_ELEMENTS = frozenset(
    {"title", "subtitle", "description", "name", "dc:creator", "category", "news:title"}
)
XML_HTML_ELEMENTS = frozenset({"content:encoded", "content", "summary"})
_XML_LEAF = re.compile(r"<([A-Za-z][\w:.-]*)(\s[^<>]*)?>([^<]*)</\1>")
_XML_TERM = re.compile(r'(<category\b[^<>]*\bterm=")([^"]*)(")')


def escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def transliterate_xml(xml: str, script: str) -> str:
    """A feed (RSS, Atom) or news sitemap with its titles, descriptions, names, categories and
    HTML content in the script (the markup inside escaped HTML stays as it is)."""

    def leaf(match):
        name, text = match.group(1), match.group(3)
        if not text.strip():
            return match.group(0)
        if name in XML_HTML_ELEMENTS:
            converted = escape(transliterate(unescape(text), script))
        elif name in XML_TEXT_ELEMENTS:
            converted = escape(transliterate_text(unescape(text), script))
        else:
            return match.group(0)
        return f"<{name}{match.group(2) or ''}>{converted}</{name}>"

    def term(match):
        value = transliterate_text(unescape(match.group(2)), script)
        return match.group(1) + escape(value, quote=True) + match.group(3)

    return _XML_TERM.sub(term, _XML_LEAF.sub(leaf, xml))


class SerbianScriptMiddleware:
    """Turn the HTML of Serbian pages, and their feeds and news sitemap, into the script their
    path asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        script = script_for_path(request.path_info)
        if script is None or response.streaming or not response.content:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            convert = transliterate
        elif content_type.startswith(XML_TYPES):
            convert = transliterate_xml
        else:
            return response
        charset = response.charset or "utf-8"
        text = response.content.decode(charset, errors="surrogateescape")
        response.content = convert(text, script).encode(charset, errors="surrogateescape")
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
