"""Run Wagtail's scheduled publishing every minute, for a PaaS without cron.

    python manage.py run_scheduler            # loop forever (the Procfile's `scheduler` process)
    python manage.py run_scheduler --once     # one pass, e.g. from a platform cron job

Each pass runs Wagtail's own ``publish_scheduled`` command: it publishes revisions whose go-live
time has passed and unpublishes pages whose expiry time has passed. A pass is idempotent
(a published revision loses its go-live approval), so overlapping or repeated runs publish once.
"""

from __future__ import annotations

import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection, transaction

# Any constant shared by all scheduler processes: on PostgreSQL only one pass runs at a time.
ADVISORY_LOCK_ID = 6_060_606


class Command(BaseCommand):
    help = "Publish and unpublish scheduled pages every minute (Wagtail's publish_scheduled)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between passes (default 60)."
        )

    def handle(self, *args, once=False, interval=60, **options):
        self._stop = False
        if once:
            self.run_pass()
            return
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        self.stdout.write(f"Scheduler running every {interval}s (publish_scheduled).")
        while not self._stop:
            started = time.monotonic()
            try:
                self.run_pass()
            except Exception as exc:  # noqa: BLE001 - keep the loop alive; the next pass retries
                self.stderr.write(f"Scheduled publishing failed: {exc!r}")
            finally:
                close_old_connections()
            # Sleep in small steps so SIGTERM (a PaaS restart) stops us quickly.
            while not self._stop and time.monotonic() - started < interval:
                time.sleep(1)
        self.stdout.write("Scheduler stopped.")

    def run_pass(self) -> bool:
        """One publish_scheduled pass; False when another process holds the lock."""
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
                    if not cursor.fetchone()[0]:
                        return False
            call_command("publish_scheduled", stdout=self.stdout, stderr=self.stderr)
        return True

    def _request_stop(self, signum, frame):
        self._stop = True
