"""Fast bulk generation of published articles for benchmarks (hundreds per second).

``manage.py generate_articles`` publishes through Wagtail (revisions, signals, one article at a
time: ~7 articles/s). This module writes the same kind of rows directly, in batches:

- ``wagtailcore_page`` rows with treebeard-correct materialised paths under the news index
  (``MP_Node._get_path``), ``url_path``, locale and a fresh ``translation_key``; the parent's
  ``numchild`` is updated once at the end;
- the ``news_articlepage`` rows (multi-table inheritance, so inserted with the ORM's
  ``_insert`` after the parent rows exist);
- author links and tags with ``bulk_create``; a lead image from a small pool of generated images;
- the search index through the configured backend's ``add_bulk`` (no per-page signals).

The pages are live and public, with ``first_published_at``/``display_date`` spread over the
past; they have no revisions (editing one in the admin creates its first revision). Use a
dedicated database: ``generate(n)`` refuses nothing and is meant for benchmark data.

Usage::

    from bench.bulk import generate
    generate(10_000, seed=1)      # returns the number of articles created
"""

from __future__ import annotations

import datetime
import random
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from demo.articles import ARTICLES
from demo.build import (
    demo_image,
    ensure_authors,
    ensure_site,
    paragraph_html,
    parse_seed_article,
    seed_fact_box,
    seed_pull_quote,
)
from news.models import ArticleAuthor, ArticlePage, ArticlePageTag

SLUG_PREFIX = "bulk-"
BATCH_SIZE = 500
IMAGE_POOL = 12

TAGS = [
    "Politics",
    "Economy",
    "Security",
    "Kosova",
    "Serbia",
    "EU",
    "NATO",
    "Energy",
    "Transport",
    "Environment",
    "Media",
    "Technology",
    "Albania",
    "Montenegro",
    "North Macedonia",
    "Bosnia and Herzegovina",
]
PLACES = [
    "Pristina",
    "Belgrade",
    "Tirana",
    "Skopje",
    "Podgorica",
    "Sarajevo",
    "Mitrovica",
    "Prizren",
    "Peja",
    "Gjakova",
    "Novi Sad",
    "Niš",
    "Durrës",
    "Ohrid",
    "Mostar",
    "Kotor",
]
SUBJECTS = [
    "Parliament",
    "The government",
    "Local councils",
    "Farmers",
    "Teachers",
    "Doctors",
    "Students",
    "Exporters",
    "The central bank",
    "Border police",
    "Energy regulators",
    "Civil society groups",
    "Investors",
    "Journalists",
]
VERBS = ["debates", "backs", "questions", "delays", "welcomes", "rejects", "reviews", "plans"]
OBJECTS = [
    "a new budget",
    "the wage reform",
    "rail investment",
    "the energy deal",
    "water tariffs",
    "a media law",
    "the visa regime",
    "school funding",
    "hospital upgrades",
    "a customs agreement",
    "wind farm permits",
    "the election calendar",
]


def _paragraph_pool() -> list[str]:
    pool = [text for article in ARTICLES for text in article["paragraphs"]]
    pool.extend(parse_seed_article().paragraphs)
    return pool


def _body(rng: random.Random, pool: list[str], place: str) -> list[tuple[str, object]]:
    paragraphs = rng.sample(pool, rng.randint(3, 7))
    body: list[tuple[str, object]] = [
        ("paragraph", paragraph_html(f"{place}: {paragraphs[0]}")),
    ]
    if rng.random() < 0.3:
        body.append(("pull_quote", seed_pull_quote()))
    if rng.random() < 0.3:
        body.append(("subheading", {"text": f"What it means for {place}", "level": "h2"}))
    body.extend(("paragraph", paragraph_html(text)) for text in paragraphs[1:])
    if rng.random() < 0.25:
        facts = seed_fact_box()
        facts["facts"][2]["figure"] = f"{rng.randint(1, 99)},{rng.randint(100, 999)}"
        body.append(("fact_box", facts))
    return body


def _next_step(index: Page) -> int:
    last = Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
    last = last.order_by("-path").values_list("path", flat=True).first()
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def index_articles(queryset, batch_size: int = BATCH_SIZE) -> int:
    """Add articles to the search index in batches (related rows prefetched)."""
    backend = get_search_backend()
    queryset = queryset.prefetch_related("tags", "article_authors__author").order_by("pk")
    count = 0
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = list(queryset.filter(pk__in=ids[start : start + batch_size]))
        backend.add_bulk(ArticlePage, batch)
        count += len(batch)
    return count


def generate(count: int, *, seed: int = 1, batch_size: int = BATCH_SIZE, progress=None) -> int:
    """Create ``count`` live articles under the news index and index them for search."""
    if count < 1:
        return 0
    rng = random.Random(seed)
    pool = _paragraph_pool()
    _, index = ensure_site()
    authors = list(ensure_authors().values())
    tags = {}
    for name in TAGS:
        tag = Tag.objects.filter(name__iexact=name).first()
        tags[name] = tag or Tag.objects.create(name=name, slug=slugify(name))
    images = [demo_image(f"Benchmark illustration {n}", n) for n in range(IMAGE_POOL)]
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    step = _next_step(index)
    existing = ArticlePage.objects.filter(slug__startswith=SLUG_PREFIX).count()
    article_fields = [
        field for field in ArticlePage._meta.local_concrete_fields if field.name != "id"
    ]
    created_ids: list[int] = []
    started = time.monotonic()

    for batch_start in range(0, count, batch_size):
        size = min(batch_size, count - batch_start)
        with transaction.atomic():
            pages, articles, extras = [], [], []
            for offset in range(size):
                number = existing + batch_start + offset + 1
                place = rng.choice(PLACES)
                title = (
                    f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                    f"in {place} ({number})"
                )
                slug = f"{SLUG_PREFIX}{number}"
                published = now - datetime.timedelta(minutes=90 * number + rng.randint(0, 80))
                page = Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    path=Page._get_path(index.path, index.depth + 1, step),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )
                step += 1
                pages.append(page)
                articles.append(
                    ArticlePage(
                        standfirst=rng.choice(ARTICLES)["standfirst"],
                        display_date=published,
                        body=_body(rng, pool, place),
                        lead_image=rng.choice(images),
                        lead_image_alt=f"Illustration: {place}",
                    )
                )
                extras.append((rng.sample(authors, rng.randint(1, 2)), rng.sample(TAGS, 3)))
            Page.objects.bulk_create(pages)
            for page, article in zip(pages, articles, strict=True):
                article.page_ptr_id = page.pk
                article.pk = page.pk
            ArticlePage._base_manager._insert(articles, fields=article_fields, using="default")
            links, tagged = [], []
            for page, (page_authors, page_tags) in zip(pages, extras, strict=True):
                links.extend(
                    ArticleAuthor(page_id=page.pk, author=author, sort_order=order)
                    for order, author in enumerate(page_authors)
                )
                tagged.extend(
                    ArticlePageTag(content_object_id=page.pk, tag=tags[name]) for name in page_tags
                )
            ArticleAuthor.objects.bulk_create(links)
            ArticlePageTag.objects.bulk_create(tagged)
            created_ids.extend(page.pk for page in pages)
        if progress:
            progress(batch_start + size, count, time.monotonic() - started)

    # Not index.get_children(): treebeard answers "no children" while numchild is still 0.
    children = Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
    Page.objects.filter(pk=index.pk).update(numchild=children.count())
    index_articles(ArticlePage.objects.filter(pk__in=created_ids))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # Bulk rows bypass the signals that clear the caches of reader data and pages.
    from caching import datacache, pagecache

    datacache.invalidate()
    pagecache.purge_all()
    return len(created_ids)
