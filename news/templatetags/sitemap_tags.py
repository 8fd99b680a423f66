"""Sitemap documents written in Python instead of one template node per URL.

Django's ``sitemap.xml`` template resolves a dozen variables and a date filter for each URL: a
2,000-URL file took about 140 ms to render. These tags write the same document (a test compares
them with Django's templates) in a few milliseconds.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def _date(value, iso: bool) -> str:
    """What the ``date`` filter prints with "Y-m-d" (``iso=False``) or "c" (``iso=True``)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat() if iso else value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.simple_tag
def sitemap_urlset(urlset) -> str:
    """The <url> elements of Django's sitemap.xml, as its {% spaceless %} block prints them
    (an articles file comes already written: ``news.sitemaps.FileDocument``)."""
    from news.sitemaps import FileDocument

    if urlset and isinstance(urlset[0], FileDocument):  # written by urlset_xml, kept
        return mark_safe("".join(document.xml for document in urlset))  # noqa: S308  escaped
    return mark_safe(urlset_xml(urlset))  # noqa: S308  every value is escaped


def urlset_xml(urlset) -> str:
    """The <url> elements of these URL entries (dicts as Django's sitemaps give them)."""
    parts = []
    for url in urlset:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url.get("lastmod"):
            parts.append(f"<lastmod>{_date(url['lastmod'], iso=False)}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{escape(url['priority'])}</priority>")
        for alternate in url.get("alternates") or ():
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>")
    return "".join(parts)


@register.simple_tag
def sitemap_index(sitemaps) -> str:
    """The <sitemap> elements of Django's sitemap_index.xml."""
    parts = []
    dates = {}  # every file of a section has the section's date
    for item in sitemaps:
        parts.append(f"<sitemap><loc>{escape(item.location)}</loc>")
        if item.last_mod:
            if item.last_mod not in dates:
                dates[item.last_mod] = _date(item.last_mod, iso=True)
            parts.append(f"<lastmod>{dates[item.last_mod]}</lastmod>")
        parts.append("</sitemap>")
    return mark_safe("".join(parts))  # noqa: S308  every value above is escaped
