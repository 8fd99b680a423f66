"""Fast generation of many synthetic, live articles for benchmarks.

Publishing through Wagtail (``add_child`` + ``save_revision().publish()``) costs ~150 ms an
article: fine for demo content, far too slow for 100,000 articles. This module writes the same
rows in batches instead: ``wagtailcore_page`` rows with treebeard-correct materialised paths, the
``news_articlepage`` rows, authors and tags. It creates no revisions (benchmarks only read pages)
and leaves the search index to ``manage.py update_index`` (or ``index=True``).
"""

from __future__ import annotations

import datetime
import random
import sys
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from news.models import ArticleAuthor, ArticlePage, ArticlePageTag, NewsIndexPage

from .articles import ARTICLES
from .build import (
    demo_image,
    ensure_authors,
    ensure_site,
    paragraph_html,
    seed_fact_box,
    seed_pull_quote,
)

TAG_POOL = [
    "Politics", "Economy", "Security", "Kosova", "Serbia", "EU", "NATO", "Energy", "Transport",
    "Environment", "Media", "Technology", "Albania", "Montenegro", "North Macedonia",
    "Bosnia and Herzegovina", "Croatia", "Diaspora", "Elections", "Justice",
]  # fmt: skip
SLUG_PREFIX = "bench-"
BATCH = 1000
IMAGE_COUNT = 20


def _insert_local_rows(model, objs, fields):
    """INSERT only the model's own table (bulk_create refuses multi-table inheritance)."""
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    query.get_compiler(connection=connection).execute_sql(returning_fields=None)


def _body(base: dict, rng: random.Random) -> list:
    body = [("paragraph", paragraph_html(text)) for text in base["paragraphs"]]
    body.insert(1, ("pull_quote", seed_pull_quote()))
    body.insert(2, ("subheading", {"text": "Background", "level": "h2"}))
    body.append(("fact_box", seed_fact_box()))
    body.extend(("paragraph", paragraph_html(text)) for text in rng.sample(base["paragraphs"], 1))
    return body


def generate(count: int, *, seed: int = 1, progress: bool = True) -> int:
    """Add ``count`` live articles under the news index; returns the number now in the index."""
    rng = random.Random(seed)
    _, index = ensure_site()
    index = NewsIndexPage.objects.get(pk=index.pk)
    authors = list(ensure_authors().values())
    images = [demo_image(f"Benchmark image {i}", i) for i in range(IMAGE_COUNT)]
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})[0]
            for name in TAG_POOL]  # fmt: skip
    content_type = ContentType.objects.get_for_model(ArticlePage)
    # One StreamValue per template article, shared by the rows that reuse it.
    bodies = [ArticlePage(body=_body(base, rng)).body for base in ARTICLES]

    existing = index.numchild
    last_child = index.get_last_child()
    next_step = Page._str2int(last_child.path[-Page.steplen :]) + 1 if last_child else 1
    existing_numbers = ArticlePage.objects.child_of(index).filter(slug__startswith=SLUG_PREFIX)
    first_number = existing_numbers.count() + 1
    now = timezone.now()
    local_fields = [f for f in ArticlePage._meta.local_concrete_fields if f.name != "page_ptr"]
    page_ptr = ArticlePage._meta.get_field("page_ptr")
    done = 0
    while done < count:
        batch = min(BATCH, count - done)
        with transaction.atomic():
            pages, articles = [], []
            for i in range(batch):
                number = first_number + done + i
                base = ARTICLES[number % len(ARTICLES)]
                path = index.path + Page._int2str(next_step + done + i).rjust(Page.steplen, "0")
                published = now - datetime.timedelta(minutes=number)
                slug = f"{SLUG_PREFIX}{number}"
                title = f"{base['title']} ({number})"
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        path=path,
                        depth=index.depth + 1,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                        content_type=content_type,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        locale_id=index.locale_id,
                        translation_key=uuid.uuid4(),
                    )  # fmt: skip
                )
                articles.append(
                    ArticlePage(
                        standfirst=base["standfirst"],
                        display_date=published,
                        lead_image=rng.choice(images),
                        lead_image_alt="Illustration",
                        body=bodies[number % len(bodies)],
                    )  # fmt: skip
                )
            Page.objects.bulk_create(pages)
            if not pages[0].pk:  # databases that do not return ids from bulk inserts
                ids = dict(
                    Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
                )
                for page in pages:
                    page.pk = ids[page.path]
            for page, article in zip(pages, articles, strict=True):
                article.page_ptr_id = page.pk
                article.pk = page.pk
            _insert_local_rows(ArticlePage, articles, [page_ptr, *local_fields])
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(page_id=page.pk, author=author, sort_order=order)
                for page in pages
                for order, author in enumerate(rng.sample(authors, rng.randint(1, 2)))
            )
            ArticlePageTag.objects.bulk_create(
                ArticlePageTag(content_object_id=page.pk, tag=tag)
                for page in pages
                for tag in rng.sample(tags, 3)
            )
            Page.objects.filter(pk=index.pk).update(numchild=existing + done + batch)
        done += batch
        if progress:
            bar = "#" * int(30 * done / count)
            sys.stderr.write(f"\r[{bar:<30}] {done}/{count}")
            sys.stderr.flush()
    if progress:
        sys.stderr.write("\n")
    return ArticlePage.objects.child_of(index).count()
