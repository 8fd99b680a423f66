"""Template tags for live pages: the open live pages, the newest update id and JSON-LD."""

from __future__ import annotations

from django import template

from news.templatetags.news_tags import _publication, absolute, canonical_url, json_ld

register = template.Library()


@register.simple_tag
def open_live_pages():
    """Live pages still being updated (memoised: config/cache_map.py)."""
    from live.models import LivePage

    return LivePage.find_open()


@register.simple_tag
def latest_update_id(page) -> int:
    """The newest update of the page, withdrawn or not: where the polling script starts."""
    return page.updates.order_by("-pk").values_list("pk", flat=True).first() or 0


@register.simple_tag
def poll_interval_ms() -> int:
    """How often live.js asks for new updates (``LIVE_POLL_SECONDS``, 15 by default)."""
    from django.conf import settings

    return int(getattr(settings, "LIVE_POLL_SECONDS", 15) * 1000)


@register.simple_tag(takes_context=True)
def live_canonical_url(context, updates) -> str:
    return canonical_url(context, updates)


def live_json_ld_data(page, updates, request, publication: str) -> dict:
    """schema.org LiveBlogPosting with this page's updates as liveBlogUpdate items."""
    url = absolute(request, page.get_url(request))
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url,
        "url": url,
        "headline": page.title[:110],
        "description": page.search_description or " ".join(page.summary_text.split()) or None,
        "datePublished": page.started_at.isoformat() if page.started_at else None,
        "dateModified": (page.last_published_at or page.started_at).isoformat()
        if page.started_at
        else None,
        "coverageStartTime": page.started_at.isoformat() if page.started_at else None,
        "coverageEndTime": page.ended_at.isoformat() if page.ended_at else None,
        "publisher": {"@type": "NewsMediaOrganization", "name": publication},
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": update.headline[:110],
                "url": f"{url}#{update.anchor}",
                "datePublished": update.posted_at.isoformat(),
                "articleBody": update.text_content(),
                **(
                    {"author": {"@type": "Person", "name": update.author.name}}
                    if update.author
                    else {}
                ),
            }
            for update in updates
            if not update.withdrawn
        ],
    }
    if data["liveBlogUpdate"] and data["dateModified"]:
        newest = max(u["datePublished"] for u in data["liveBlogUpdate"])
        data["dateModified"] = max(newest, data["dateModified"])
    return {key: value for key, value in data.items() if value not in (None, [], "")}


@register.simple_tag(takes_context=True)
def live_json_ld(context, page, updates) -> str:
    request = context.get("request")
    return json_ld(live_json_ld_data(page, updates, request, _publication(context)))
