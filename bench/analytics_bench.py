#!/usr/bin/env python
"""Readers' numbers benchmark: what counting costs, the beacon's speed, and accuracy.

Everything runs in this process against the production WSGI entry point (``config.wsgi``:
production settings, the page cache's WSGI layer, whitenoise) on a temporary SQLite database,
with a Redis of its own (``redis-server`` on a free port) for the page cache and the views; the
pusher thread and the flush run as in production. Three measurements:

1. **Counting cost**: a page-cache hit (rotating over the articles) with counting
   (``ANALYTICS_MODE=server``) and without (``off``), alternated round by round: CPU time per
   request (the process's, the pusher thread included; the best round) and requests per second.
   Throughput on one core is the inverse of CPU per request; on a shared machine requests per
   second mostly measure the other load, so the cost is taken from CPU time.
2. **Beacon vs static file**: ``/a/v/<id>.gif`` in beacon mode against the site's stylesheet
   served by whitenoise, alternated, the same way.
3. **Accuracy**: ``--views`` human views over every page from ``--readers`` simulated readers
   with mixed sources, plus bots and prefetches, through the same entry point (mostly cache
   hits); then the final push and flush. Stored counts are compared with what was sent.

In process, a hit costs far less than over HTTP, so the share counting takes is the largest it
can be. The load average is printed beside the numbers (the machine may be shared).

    .venv/bin/python bench/analytics_bench.py                 # 100,000 views, 5 rounds
    .venv/bin/python bench/analytics_bench.py --views 20000 --rounds 3 --seconds 2
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "",
]
# (query string, referer): the mix of sources
SOURCES = [
    ("", ""),
    ("src=nl", ""),
    ("utm_source=newsletter&utm_medium=email", ""),
    ("", "https://www.google.com/"),
    ("", "https://t.co/x"),
    ("", "https://example.org/story"),
    ("", "http://127.0.0.1/"),
]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def environ(path: str, query: str = "", agent: str = BROWSERS[0], **extra) -> dict:
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_USER_AGENT": agent,
        "HTTP_ACCEPT": "text/html",
        "wsgi.url_scheme": "http",
        "wsgi.input": None,
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    base.update(extra)
    return base


def call(app, env: dict) -> str:
    import io

    env = dict(env)
    env["wsgi.input"] = io.BytesIO(b"")
    seen = []
    result = app(env, lambda status, headers, exc_info=None: seen.append(status))
    for _chunk in result:
        pass
    if hasattr(result, "close"):
        result.close()
    return seen[0]


def rate(app, envs: list[dict], seconds: float) -> tuple[float, float]:
    """(requests per second, CPU microseconds per request) over one round.

    CPU time is the process's, all threads (the pusher included): on a loaded machine it is
    what a request costs, where requests per second mostly say how busy the cores were.
    """
    count, n = 0, len(envs)
    deadline = time.perf_counter() + seconds
    start, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() < deadline:
        for _ in range(50):
            call(app, envs[count % n])
            count += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return count / wall, cpu / count * 1e6


def compare(name_a, a, name_b, b) -> float:
    """Print both series; the best CPU cost per request of b over a's."""
    for name, rounds in ((name_a, a), (name_b, b)):
        rps = statistics.median(r for r, _ in rounds)
        best = min(c for _, c in rounds)
        print(
            f"   {name + ':':18}{best:7.0f} us CPU/request (best), {rps:7.0f} req/s (median); "
            f"rounds {' '.join(f'{c:.0f}' for _, c in rounds)} us"
        )
    return min(c for _, c in b) / min(c for _, c in a)


def setup(articles: int) -> tuple[list, list]:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    import datetime

    from demo.build import ensure_authors, ensure_site, publish_article

    home, index = ensure_site()
    authors = ensure_authors()
    tags = ["Politics", "Energy", "Security", "Economy"]
    pages = []
    for n in range(articles):
        page, _ = publish_article(
            index,
            slug=f"bench-{n}",
            title=f"Bench article {n}",
            standfirst="Standfirst.",
            body=[("paragraph", f"<p>Body {n}.</p>")],
            tags=[tags[n % len(tags)]],
            authors=[next(iter(authors.values()))],
            published=timezone.now() - datetime.timedelta(hours=n),
        )
        pages.append(page.url)
    listings = ["/", index.url, *(f"{index.url}tag/{t.lower()}/" for t in tags)]
    return pages, listings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=100_000, help="human views to send")
    parser.add_argument("--bots", type=int, default=20_000, help="bot views to send")
    parser.add_argument("--readers", type=int, default=5_000, help="simulated readers")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5, help="alternated rounds per comparison")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one round")
    args = parser.parse_args()

    from tests.support.servers import RedisServer

    workdir = tempfile.mkdtemp(prefix="analytics-bench-")
    redis = RedisServer().start()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "PAGE_CACHE_ENABLED": "true",
            "REDIS_URL": redis.url,
            "STATIC_ROOT": f"{workdir}/static",
            "ANALYTICS_MODE": "server",
        }
    )
    try:
        run(args, workdir)
    finally:
        redis.stop()


def run(args, workdir: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    print(f"setting up {args.articles} articles ...", flush=True)
    import logging

    logging.disable(logging.WARNING)  # Wagtail's "Page created" lines, the media warning
    articles, listings = setup(args.articles)

    from wagtail.models import Page

    from analytics.buffer import buffer
    from analytics.flush import flush
    from analytics.models import DailyReaders, DailyViews
    from config.wsgi import application as app

    hits = [environ(path) for path in articles]
    for env in hits:
        call(app, env)  # renders and stores each article in the page cache
    expect(call(app, hits[0]), "an article")

    print(f"\n1. counting cost on a page-cache hit, in process (load average {load()})")
    on, off = [], []
    for _ in range(args.rounds):
        settings.ANALYTICS_MODE = "off"
        off.append(rate(app, hits, args.seconds))
        settings.ANALYTICS_MODE = "server"
        on.append(rate(app, hits, args.seconds))
    buffer.push()
    cost = 1 - 1 / compare("without counting", off, "with counting", on)
    print(f"   cost: {cost:.1%} of a hit's throughput (budget 10%)  load {load()}")

    print(f"\n2. beacon vs static file, in process (load average {load()})")
    page_id = Page.objects.get(url_path__endswith="/bench-0/").pk
    referer = f"http://127.0.0.1{articles[0]}"
    beacons = [environ(f"/a/v/{page_id}.gif", HTTP_REFERER=referer)]
    static = [environ(staticfiles_storage.url("css/site.css"))]
    expect(call(app, static[0]), "the static file")
    settings.ANALYTICS_MODE = "beacon"
    expect(call(app, beacons[0]), "the beacon")
    beacon_rates, static_rates = [], []
    for _ in range(args.rounds):
        static_rates.append(rate(app, static, args.seconds))
        beacon_rates.append(rate(app, beacons, args.seconds))
    buffer.push()
    ratio = 1 / compare("static file", static_rates, "beacon", beacon_rates)
    print(f"   beacon / static: {ratio:.2f}x the requests per CPU second (>= 0.7x)  load {load()}")

    # 3. accuracy: start from nothing
    settings.ANALYTICS_MODE = "server"
    buffer.take()
    flush()
    DailyViews.objects.all().delete()
    DailyReaders.objects.all().delete()
    from analytics.store import get_store

    store = get_store()
    store.redis.delete(*store.redis.keys(f"{store.prefix}:*") or ["none"])
    pages = articles + listings
    rng = random.Random(20)  # noqa: S311
    readers = [
        (f"10.{n // 65536}.{n // 256 % 256}.{n % 256}", BROWSERS[n % len(BROWSERS)])
        for n in range(args.readers)
    ]
    weights = [1 / (rank + 1) for rank in range(len(pages))]  # a few pages read much more
    sent = Counter()
    seen_readers = set()
    requests = []
    for _ in range(args.views):
        path = rng.choices(pages, weights)[0]
        address, agent = rng.choice(readers)
        query, ref = rng.choice(SOURCES)
        extra = {"REMOTE_ADDR": address}
        if ref:
            extra["HTTP_REFERER"] = ref
        requests.append(("human", path, environ(path, query, agent, **extra)))
    for _ in range(args.bots):
        path = rng.choice(pages)
        requests.append(("bot", path, environ(path, "", rng.choice(BOTS))))
    for _ in range(args.bots // 10):
        path = rng.choice(pages)
        requests.append(("bot", path, environ(path, "", BROWSERS[0], HTTP_SEC_PURPOSE="prefetch")))
    rng.shuffle(requests)
    print(
        f"\n3. accuracy: {args.views:,} human views, {len(requests) - args.views:,} bot and "
        f"prefetch requests over {len(pages)} pages, {args.readers:,} readers (load {load()})"
    )
    start = time.perf_counter()
    failed = 0
    for kind, path, env in requests:
        if not call(app, env).startswith("200"):
            failed += 1
            continue
        if kind == "human":
            sent[path] += 1
            seen_readers.add((env["REMOTE_ADDR"], env["HTTP_USER_AGENT"]))
    elapsed = time.perf_counter() - start
    buffer.push()
    summary = flush()
    stored = Counter()
    for path, views in DailyViews.objects.values_list("path", "views"):
        stored[path] += views
    humans, kept = sum(sent.values()), sum(stored.values())
    worst = max((abs(stored[p] - sent[p]) / sent[p] for p in sent if sent[p]), default=0.0)
    site_readers = DailyReaders.objects.filter(path="*").values_list("readers", flat=True)
    estimate = sum(site_readers)
    print(f"   sent in {elapsed:.1f} s ({len(requests) / elapsed:.0f} req/s), {failed} not 200")
    print(f"   {summary}; dropped in the buffer: {buffer.dropped}")
    print(f"   human views sent {humans:,}, stored {kept:,}: {abs(kept - humans) / humans:.3%} off")
    print(f"   worst page: {worst:.3%} off (within 0.1% wanted); bot views stored: {kept - humans}")
    print(
        f"   readers: {len(seen_readers):,} distinct, estimated {estimate:,} "
        f"({abs(estimate - len(seen_readers)) / max(len(seen_readers), 1):.1%} off, HyperLogLog)"
    )
    print(f"   load average {load()}")


def expect(status: str, what: str) -> None:
    if not status.startswith("200"):
        sys.exit(f"{what} answered {status}")


if __name__ == "__main__":
    main()
