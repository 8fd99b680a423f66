"""Newsletters at scale: 10,000 subscribers over three newsletters, a digest and a new article
sent at once by two worker processes through a local SMTP sink; then the same with a worker
killed mid-send and a fresh one resuming. Prints emails per second, memory and duplicates.

    .venv/bin/python bench/newsletter_bench.py            # temporary SQLite
    .venv/bin/python bench/newsletter_bench.py --subscribers 2000 --workers 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench19 \\
        .venv/bin/python bench/newsletter_bench.py

The newsletters: "New articles" (every article, priority 0), "Breaking" (Politics, every new
article, priority 10) and "Morning briefing" (a daily digest, priority 5). A third of the
readers have New articles only, a third Breaking + the briefing, a third all three. The digest
carries three articles from the last day; the new article (Politics) is published at the same
moment. The SMTP sink (aiosmtpd, its own process) counts every message per recipient and
subject: a duplicate is the same subject twice to one address. The database check: nobody has
the same article twice (instantly and in a digest). Targets: >= 200 emails/s, flat RSS.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SINK = r"""
import collections, json, sys
from email.parser import BytesHeaderParser
from aiosmtpd.controller import Controller

seen = collections.Counter()
parser = BytesHeaderParser()

class Counter:
    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        subject = str(parser.parsebytes(head).get("Subject", ""))
        for rcpt in envelope.rcpt_tos:
            seen[(rcpt, subject)] += 1
        return "250 OK"

controller = Controller(Counter(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()  # until the benchmark closes our stdin
controller.stop()
print(json.dumps({"received": sum(seen.values()),
                  "duplicates": sum(n - 1 for n in seen.values() if n > 1)}), flush=True)
"""


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_setup(port: int, batch_size: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.conf import settings

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.NEWSLETTER_BATCH_SIZE = batch_size
    settings.NEWSLETTER_SENDING_STALE_SECONDS = 0  # only one run is alive when resuming
    settings.WAGTAILADMIN_BASE_URL = "https://balkanreport.example"
    from django.db import connections

    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3"):  # two workers write: wait for the lock
        database.setdefault("OPTIONS", {})["timeout"] = 60


def worker(args) -> None:
    """Send every unfinished mailing; print what this process did as JSON."""
    django_setup(args.port, args.batch_size)
    from newsletter import sending
    from newsletter.models import Mailing

    samples: list[float] = []
    original = sending.send_batch

    def send_batch(render, batch, stats):
        ok = original(render, batch, stats)
        samples.append(rss_mib())
        return ok

    sending.send_batch = send_batch
    start_rss = rss_mib()
    sent = 0
    started = time.perf_counter()
    while True:
        pending = list(
            Mailing.objects.filter(finished_at__isnull=True).values_list("pk", flat=True)
        )
        progress = 0
        for pk in pending:
            result = sending.deliver_mailing(pk)
            sent += result.get("sent", 0)
            progress += result.get("sent", 0) + result.get("queued", 0)
        if not pending or not progress:
            break
    elapsed = time.perf_counter() - started
    marks = [samples[max(0, int(len(samples) * q) - 1)] for q in (0.1, 0.5, 1.0)] if samples else []
    print(json.dumps({"sent": sent, "elapsed": elapsed, "rss_start": start_rss, "rss": marks}))


def populate(subscribers: int) -> None:
    from django.utils import timezone

    from demo.build import ensure_authors, ensure_site, publish_article
    from newsletter.digests import create_digest
    from newsletter.models import Mailing, Newsletter, Subscriber, Subscription

    _, index = ensure_site()
    authors = [ensure_authors()["arta-berisha"]]
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=30)
    Newsletter.objects.all().delete()
    everything = Newsletter.objects.create(
        slug="new-articles", name="New articles", is_default=True, created_at=long_ago
    )
    breaking = Newsletter.objects.create(
        slug="breaking", name="Breaking", priority=10, sender_name="Breaking", created_at=long_ago
    )
    local = now.astimezone(everything.zone) - datetime.timedelta(minutes=1)
    briefing = Newsletter.objects.create(
        slug="briefing",
        name="Morning briefing",
        cadence="daily",
        send_time=local.time().replace(second=0, microsecond=0),
        priority=5,
        created_at=long_ago,
    )
    from taggit.models import Tag

    politics, _ = Tag.objects.get_or_create(name="Politics", defaults={"slug": "politics"})
    breaking.tags.add(politics)
    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"reader{i}@example.org", status="confirmed", confirmed_at=long_ago)
            for i in range(subscribers)
        ),
        batch_size=1000,
    )
    groups = ([everything], [breaking, briefing], [everything, breaking, briefing])
    Subscription.objects.bulk_create(
        (
            Subscription(subscriber_id=pk, newsletter=n, status="active", activated_at=long_ago)
            for pk in Subscriber.objects.order_by("pk").values_list("pk", flat=True)
            for n in groups[pk % 3]
        ),
        batch_size=2000,
    )
    stamp = int(time.time())
    for n in range(3):
        publish_article(
            index,
            slug=f"bench-digest-{stamp}-{n}",
            title=f"Digest story {n}: the economy in numbers",
            standfirst="A standfirst long enough to look like the real thing in an email client.",
            body=[("paragraph", "<p>Body.</p>")],
            tags=["Economy"],
            authors=authors,
            published=now - datetime.timedelta(hours=3 + n),
        )
    article, _ = publish_article(
        index,
        slug=f"bench-new-{stamp}",
        title="Benchmark: parliament passes the budget",
        standfirst="A standfirst long enough to look like the real thing in an email client.",
        body=[("paragraph", "<p>Body.</p>")],
        tags=["Politics"],
        authors=authors,
        published=now,
    )
    from unittest import mock

    with mock.patch("newsletter.tasks.send_mailing"):  # the workers send it, not this process
        outcome, _ = create_digest(briefing, now)
    if outcome != "created":
        raise SystemExit(f"the digest was not created: {outcome}")
    Mailing.objects.create(article=article)


def duplicates_in_database() -> int:
    """Readers who got one article twice (instantly and in a digest, or twice either way)."""
    from collections import Counter

    from newsletter.models import Delivery

    seen: Counter = Counter()
    rows = Delivery.objects.filter(status="sent").values_list(
        "subscriber_id", "article_id", "items"
    )
    for subscriber_id, article_id, items in rows.iterator(chunk_size=5000):
        for pk in [article_id] if article_id else [int(x) for x in items.split(",") if x]:
            seen[(subscriber_id, pk)] += 1
    return sum(n - 1 for n in seen.values() if n > 1)


def run(args, *, kill_after: int | None) -> None:
    from django.core.management import call_command
    from django.db import connection

    from newsletter.models import Delivery, Subscriber

    call_command("migrate", verbosity=0)
    Subscriber.objects.all().delete()
    from newsletter.models import Mailing

    Mailing.objects.all().delete()
    populate(args.subscribers)
    connection.close()

    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(args.port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if sink.stdout.readline().strip() != "ready":
        raise SystemExit("the SMTP sink did not start")
    command = [sys.executable, __file__, "--worker", "--port", str(args.port)]
    command += ["--batch-size", str(args.batch_size)]
    started = time.perf_counter()
    if kill_after is not None:
        victim = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        while Delivery.objects.filter(status="sent").count() < kill_after:
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        connection.close()
        print(f"killed a worker after {Delivery.objects.filter(status='sent').count():,} sent")
    workers = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(args.workers)
    ]
    reports = [json.loads(w.communicate()[0].strip().splitlines()[-1]) for w in workers]
    elapsed = time.perf_counter() - started
    sink.stdin.close()
    counted = json.loads(sink.stdout.read().strip().splitlines()[-1])
    sink.wait(timeout=10)

    states = dict(
        Delivery.objects.values_list("status").annotate(
            n=__import__("django").db.models.Count("pk")
        )
    )
    total = states.get("sent", 0)
    print(f"deliveries:    {states}")
    print(f"received:      {counted['received']:,} by the SMTP sink, {total:,} recorded as sent")
    twice = duplicates_in_database()
    print(f"duplicates:    {counted['duplicates']} in the sink, {twice} in the database")
    print(f"time:          {elapsed:.1f} s for both sends, {args.workers} worker(s)")
    sending = max(report["elapsed"] for report in reports)
    by_workers = sum(report["sent"] for report in reports)
    print(
        f"rate:          {by_workers / sending:,.0f} emails/s while sending ({by_workers:,} by "
        f"these workers; {counted['received'] / elapsed:,.0f}/s over the whole run, "
        "process start-up included; target >= 200)"
    )
    for n, report in enumerate(reports):
        marks = ", ".join(f"{mib:.0f}" for mib in report["rss"])
        print(
            f"worker {n}:      {report['sent']:,} sent in {report['elapsed']:.1f} s; RSS start "
            f"{report['rss_start']:.0f} MiB, at 10%/50%/100% of its batches {marks} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=3000, help="0: no kill/resume run")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    os.environ["MEDIA_ROOT"] = f"{tmp.name}/media"
    args.port = free_port()
    django_setup(args.port, args.batch_size)
    from django.conf import settings

    print(f"database: {settings.DATABASES['default']['ENGINE']}; load average {os.getloadavg()}")
    print(f"== clean run: {args.subscribers:,} subscribers, a digest and a new article at once")
    run(args, kill_after=None)
    if args.kill_after:
        print(f"== a worker killed after {args.kill_after:,} sent, then {args.workers} resume")
        run(args, kill_after=args.kill_after)
    print(f"load average after: {os.getloadavg()}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
