"""Send one article to N confirmed subscribers through a local SMTP sink; print the rate.

    .venv/bin/python bench/newsletter_bench.py            # 10,000 subscribers, temporary SQLite
    .venv/bin/python bench/newsletter_bench.py --subscribers 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench5 \
        .venv/bin/python bench/newsletter_bench.py

The SMTP sink (aiosmtpd) runs in a separate process so it does not compete for the GIL. The
script prints emails per second, the resident memory after every batch (it must stay flat) and
the peak. Target: at least 200 emails per second.
"""

from __future__ import annotations

import argparse
import datetime
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SINK = r"""
import sys, time
from aiosmtpd.controller import Controller

class Counter:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Counter.count += 1
        return "250 OK"

controller = Controller(Counter(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()  # until the benchmark closes our stdin
controller.stop()
print(Counter.count, flush=True)
"""


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["MEDIA_ROOT"] = f"{tmp.name}/media"

    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if sink.stdout.readline().strip() != "ready":
        raise SystemExit("the SMTP sink did not start")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.NEWSLETTER_BATCH_SIZE = args.batch_size
    settings.WAGTAILADMIN_BASE_URL = "https://balkanreport.example"

    from demo.build import demo_image, ensure_authors, ensure_site, publish_article
    from newsletter import sending
    from newsletter.models import Delivery, Mailing, Subscriber

    print(f"database: {settings.DATABASES['default']['ENGINE']}")
    call_command("migrate", verbosity=0)
    Subscriber.objects.all().delete()
    _, index = ensure_site()
    authors = ensure_authors()
    confirmed_at = timezone.now() - datetime.timedelta(days=1)
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{i}@example.org", status="confirmed", confirmed_at=confirmed_at
            )
            for i in range(args.subscribers)
        ),
        batch_size=1000,
    )
    slug = f"bench-{int(time.time())}"
    article, _ = publish_article(
        index,
        slug=slug,
        title="Benchmark: parliament passes the budget",
        standfirst="A standfirst long enough to look like the real thing in an email client.",
        body=[("paragraph", "<p>Body.</p>")],
        tags=["Politics"],
        authors=[authors["arta-berisha"]],
        published=timezone.now() - datetime.timedelta(minutes=5),  # not a first publication
        lead_image=demo_image("Bench lead", 1),
    )
    Mailing.objects.create(article=article)

    samples: list[tuple[int, float]] = []
    original = sending.send_batch

    def send_batch(rendered, batch, stats):
        ok = original(rendered, batch, stats)
        samples.append((stats["sent"], rss_mib()))
        return ok

    sending.send_batch = send_batch
    start_rss = rss_mib()
    started = time.perf_counter()
    result = sending.deliver_article(article.pk)
    elapsed = time.perf_counter() - started

    sink.stdin.close()
    received = int(sink.stdout.read().strip().splitlines()[-1])
    sink.wait(timeout=10)

    sent = Delivery.objects.filter(article=article, status="sent").count()
    print(f"subscribers:   {args.subscribers:,} (batches of {args.batch_size})")
    print(f"sent:          {sent:,} recorded, {received:,} received by the SMTP sink")
    print(f"time:          {elapsed:.1f} s")
    print(f"rate:          {sent / elapsed:,.0f} emails/s  (target >= 200)")
    marks = [samples[int(len(samples) * q) - 1] for q in (0.1, 0.5, 1.0)] if samples else []
    rss = ", ".join(f"{n:,} sent: {mib:.0f} MiB" for n, mib in marks)
    print(f"memory (RSS):  start {start_rss:.0f} MiB; {rss}")
    print(f"peak RSS:      {peak_rss_mib():.0f} MiB")
    print(f"result:        {result}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
