import datetime
import random
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bench.bulk import TAGS as TAG_POOL
from bench.bulk import generate
from demo.articles import ARTICLES
from demo.build import (
    ensure_authors,
    ensure_site,
    paragraph_html,
    publish_article,
    seed_fact_box,
    seed_pull_quote,
)
from news.models import ArticlePage


class Command(BaseCommand):
    help = (
        "Generate N synthetic, published articles for benchmarks (slugs bench-<n>). "
        "--fast writes rows in bulk (no revisions; thousands per second)."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--fast", action="store_true", help="Bulk insert instead of publishing one by one."
        )

    def handle(self, *args, count, seed, fast, **options):
        if count < 1:
            raise CommandError("count must be at least 1")
        if fast:
            created = generate(count, seed=seed, progress=self.progress)
            sys.stderr.write("\n")
            total = ArticlePage.objects.live().count()
            self.stdout.write(self.style.SUCCESS(f"Generated {created} articles ({total} live)."))
            return
        rng = random.Random(seed)
        _, index = ensure_site()
        authors = list(ensure_authors().values())
        existing = ArticlePage.objects.child_of(index).filter(slug__startswith="bench-").count()
        start = existing + 1
        now = timezone.now()
        for i in range(start, start + count):
            base = ARTICLES[i % len(ARTICLES)]
            body = [("paragraph", paragraph_html(text)) for text in base["paragraphs"]]
            body.insert(1, ("pull_quote", seed_pull_quote()))
            body.append(("fact_box", seed_fact_box()))
            publish_article(
                index,
                slug=f"bench-{i}",
                title=f"{base['title']} ({i})",
                standfirst=base["standfirst"],
                body=body,
                tags=rng.sample(TAG_POOL, 3),
                authors=rng.sample(authors, rng.randint(1, 2)),
                published=now - datetime.timedelta(minutes=i),
            )
            done = i - start + 1
            if done % 50 == 0 or done == count:
                bar = "#" * int(30 * done / count)
                sys.stderr.write(f"\r[{bar:<30}] {done}/{count}")
                sys.stderr.flush()
        sys.stderr.write("\n")
        self.stdout.write(self.style.SUCCESS(f"Generated {count} articles."))

    @staticmethod
    def progress(done: int, total: int, elapsed: float) -> None:
        bar = "#" * int(30 * done / total)
        sys.stderr.write(f"\r[{bar:<30}] {done}/{total} ({done / max(elapsed, 1e-9):.0f}/s)")
        sys.stderr.flush()
