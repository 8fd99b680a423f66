"""What the "card" and "social" preview modes of an article show.

The social card is built the way sharing sites read a page's OpenGraph tags: og:title is the SEO
title (else the headline), og:description the meta description (else the standfirst) and og:image
the lead image cropped to 1200x630.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import Truncator

SOCIAL_IMAGE_SPEC = "fill-1200x630"

# Preview modes other apps add to articles: name -> (label, view(article, request) -> response).
EXTRA_MODES: dict[str, tuple[str, Callable]] = {}


def register_mode(name: str, label: str, view: Callable) -> None:
    EXTRA_MODES[name] = (label, view)


def social_card(page, request) -> dict:
    site = page.get_site() if page.pk else None
    if site is None and request is not None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
    image_url = ""
    if page.lead_image:
        image_url = page.lead_image.get_rendition(SOCIAL_IMAGE_SPEC).url
        if request is not None and image_url.startswith("/"):
            image_url = request.build_absolute_uri(image_url)
    title = page.seo_title or page.title
    description = page.search_description or page.standfirst
    return {
        "title": title,
        "description": description,
        "short_description": Truncator(description).chars(160),
        "image_url": image_url,
        "image_alt": page.lead_alt,
        "domain": (site.hostname if site else "").upper(),
    }


def preview_context(page, request, mode_name: str) -> dict:
    context = {"preview_mode": mode_name}
    if mode_name in {"card", "social"}:
        context["social"] = social_card(page, request)
    return context
