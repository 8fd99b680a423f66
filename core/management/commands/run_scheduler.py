"""Run the registered scheduler jobs every minute, for a PaaS without cron.

    python manage.py run_scheduler            # loop forever (the Procfile's `scheduler` process)
    python manage.py run_scheduler --once     # one pass, e.g. from a platform cron job

Apps register their jobs in ``core.scheduler`` (scheduled publishing, newsletter digests,
analytics flushes, ...). Each job runs on its own: a failure is reported and the others still run.
On PostgreSQL one pass runs at a time across all scheduler processes (an advisory lock).
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection, transaction

from core import scheduler

# Any constant shared by all scheduler processes: on PostgreSQL only one pass runs at a time.
ADVISORY_LOCK_ID = 6_060_606


class Command(BaseCommand):
    help = "Run the registered scheduler jobs (scheduled publishing and others) every minute."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between passes (default 60)."
        )

    def handle(self, *args, once=False, interval=60, **options):
        self._stop = False
        if once:
            self.run_pass(all_jobs=True)
            return
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        names = ", ".join(job.name for job in scheduler.jobs())
        self.stdout.write(f"Scheduler running every {interval}s: {names}.")
        while not self._stop:
            started = time.monotonic()
            try:
                self.run_pass()
            finally:
                close_old_connections()
            # Sleep in small steps so SIGTERM (a PaaS restart) stops us quickly.
            while not self._stop and time.monotonic() - started < interval:
                time.sleep(1)
        self.stdout.write("Scheduler stopped.")

    def run_pass(self, all_jobs: bool = False) -> bool:
        """Run the due jobs once; False when another process holds the lock."""
        minute = int(time.time() // 60)
        jobs = scheduler.jobs() if all_jobs else scheduler.due(minute)
        if not self._lock():
            return False
        try:
            for job in jobs:
                self.run_job(job)
        finally:
            self._unlock()
        return True

    def _lock(self) -> bool:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_ID])
            return cursor.fetchone()[0]

    def _unlock(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_ID])

    def run_job(self, job: scheduler.Job) -> None:
        try:
            with transaction.atomic():
                summary = job.run()
        except Exception as exc:  # noqa: BLE001 - one failing job never stops the others
            self.stderr.write(f"{job.name} failed: {exc!r}")
            return
        if summary:
            self.stdout.write(f"{job.name}: {summary}")

    def _request_stop(self, signum, frame):
        self._stop = True
