"""The image renditions an article needs, made when it is published instead of on its first view.

Resizing and encoding the dozen renditions of a lead image (article sizes, cards, the social
image) takes about a second; done while a reader waits, it made the first view of every new
article slow. ``prepare_article_renditions`` runs as a task when an article is published
(``TASKS["default"]``: in the publishing request or the scheduler today; on a worker if that
backend changes), so the first reader finds them ready. The specs here must match the
``{% picture %}`` and ``{% image %}`` tags of the templates (a test checks that a page view
after publishing creates no rendition).
"""

from __future__ import annotations

import logging

from django.tasks import task

from .models import CARD_RENDITIONS, LEAD_CARD_RENDITIONS, ArticlePage

logger = logging.getLogger(__name__)

# news/article_page.html (lead image) and news/blocks/image.html (body images).
ARTICLE_IMAGE_RENDITIONS = [
    f"format-{fmt}|width-{width}" for fmt in ("webp", "jpeg") for width in (480, 800, 1200)
]


def article_images(page: ArticlePage) -> dict:
    """{image: [specs]} for every image the article's page, cards and social image show."""
    from .templatetags.news_tags import SHARE_IMAGE_SPEC

    wanted: dict = {}
    if page.lead_image_id:
        wanted[page.lead_image] = [
            *ARTICLE_IMAGE_RENDITIONS,
            SHARE_IMAGE_SPEC,
            *CARD_RENDITIONS,
            *LEAD_CARD_RENDITIONS,
        ]
    for block in page.body:
        if block.block_type == "image":
            image = block.value.get("image")
            if image is not None:
                wanted.setdefault(image, []).extend(ARTICLE_IMAGE_RENDITIONS)
    return wanted


@task
def prepare_article_renditions(page_id: int) -> int:
    """Create the missing renditions of a published article's images; returns how many specs.

    An image that cannot be processed (a missing or broken file) is logged and skipped: the
    page then makes what it can on its first view, as before.
    """
    page = ArticlePage.objects.live().filter(pk=page_id).select_related("lead_image").first()
    if page is None:
        return 0
    total = 0
    for image, specs in article_images(page).items():
        specs = list(dict.fromkeys(specs))
        try:
            image.get_renditions(*specs)
        except Exception:
            logger.exception("Renditions of image %s for page %s failed", image.pk, page_id)
            continue
        total += len(specs)
    return total


def on_publish(sender, instance, **kwargs) -> None:
    """Queue the renditions of a just-published article (never fails the publication)."""
    if not isinstance(instance, ArticlePage):
        return
    # Queued at once, not on commit: the immediate backend runs it inside the publishing
    # transaction (where the page is live), the database backend's row commits with it.
    try:
        prepare_article_renditions.enqueue(instance.pk)
    except Exception:
        logger.exception("Could not queue the renditions of page %s", instance.pk)
