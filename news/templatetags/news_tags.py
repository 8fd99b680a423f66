"""Template tags for reader pages: tag/author URLs, share images and JSON-LD."""

from __future__ import annotations

import json

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"
DEFAULT_SHARE_IMAGE = "images/share-default.png"
# Same escapes as Django's json_script: the JSON cannot close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def news_index(context):
    """The site's news index page (kept on the request)."""
    request = context.get("request")
    cached = getattr(request, "_news_index", None) if request is not None else None
    if cached is not None:
        return cached
    from news.models import NewsIndexPage

    index = NewsIndexPage.find_main()
    if request is not None:
        request._news_index = index or False
    return index


def _news_index(context):
    return news_index(context) or None


@register.simple_tag(takes_context=True)
def tag_url(context, tag) -> str:
    index = _news_index(context)
    return index.tag_url(tag, context.get("request")) if index else ""


@register.simple_tag(takes_context=True)
def author_url(context, author) -> str:
    index = _news_index(context)
    return index.author_url(author, context.get("request")) if index else ""


def absolute(request, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url) if request is not None else url


@register.simple_tag(takes_context=True)
def share_image(context, image=None) -> dict:
    """The 1200x630 social image: the lead image, else the site's default, else a static one."""
    request = context.get("request")
    if image is None:
        site_settings = context.get("settings")
        try:
            image = site_settings["home"]["SiteSettings"].default_share_image
        except (KeyError, TypeError, AttributeError):
            image = None
    if image is not None:
        # Asked for twice per article (OpenGraph and JSON-LD): remember it for the request.
        cache = getattr(request, "_share_images", {}) if request is not None else {}
        if image.pk in cache:
            return cache[image.pk]

        url, width, height = share_rendition(image)
        cache[image.pk] = {"url": absolute(request, url), "width": width, "height": height}
        if request is not None:
            request._share_images = cache
        return cache[image.pk]
    return {"url": absolute(request, static(DEFAULT_SHARE_IMAGE)), "width": 1200, "height": 630}


def share_rendition(image) -> tuple[str, int, int]:
    """(url, width, height) of the image's social rendition."""
    rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    return rendition.url, rendition.width, rendition.height


def json_ld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def article_json_ld_data(page, request, publication: str, image_url: str | None, index) -> dict:
    """schema.org NewsArticle for an article page."""
    url = absolute(request, page.get_url(request))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": page.title[:110],
        "description": page.search_description or page.standfirst,
        "datePublished": page.date.isoformat() if page.date else None,
        "dateModified": (page.updated_at or page.date).isoformat() if page.date else None,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                **({"url": absolute(request, index.author_url(author, request))} if index else {}),
            }
            for author in page.authors
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": publication,
            "url": absolute(request, "/"),
            "logo": {"@type": "ImageObject", "url": absolute(request, static("icons/favicon.svg"))},
        },
        "keywords": [tag.name for tag in page.tag_list],
        "isAccessibleForFree": True,
    }
    if image_url:
        data["image"] = [image_url]
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def breadcrumbs_json_ld_data(crumbs: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(crumbs, start=1)
        ],
    }


@register.simple_tag(takes_context=True)
def article_json_ld(context, page, image_url=None) -> str:
    request = context.get("request")
    publication = _publication(context)
    index = _news_index(context)
    data = article_json_ld_data(page, request, publication, image_url, index)
    if context.get("html_lang"):
        data["inLanguage"] = context["html_lang"]
    return json_ld(data)


@register.simple_tag(takes_context=True)
def breadcrumbs_json_ld(context, *pairs) -> str:
    """breadcrumbs_json_ld "Home" "/" "News" "/news/" ...: names and URLs in turn."""
    request = context.get("request")
    crumbs = [(pairs[i], absolute(request, pairs[i + 1])) for i in range(0, len(pairs) - 1, 2)]
    return json_ld(breadcrumbs_json_ld_data(crumbs))


def _publication(context) -> str:
    try:
        return context["settings"]["home"]["SiteSettings"].publication_name
    except (KeyError, TypeError, AttributeError):
        return "The Balkan Report"


@register.simple_tag(takes_context=True)
def canonical_url(context, page_obj=None) -> str:
    """This URL without its query string, plus ?page=N on the later pages of a listing."""
    request = context.get("request")
    if request is None:
        page = context.get("page")
        return page.full_url if page else ""
    url = request.build_absolute_uri(request.path)
    if page_obj is not None and getattr(page_obj, "number", 1) > 1:
        url += f"?page={page_obj.number}"
    return url


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(
    context, title="", description="", image=None, og_type="website", url="", image_alt=""
):
    """OpenGraph and Twitter card tags; the image is always 1200x630."""
    return {
        "title": title,
        "description": description,
        "image": share_image(context, image),
        "image_alt": image_alt if image is not None else "",
        "og_type": og_type,
        "url": url or canonical_url(context),
        "publication": _publication(context),
        # og:locale and its alternates (the page's translations) read these.
        "request": context.get("request"),
        "page": context.get("page"),
    }
