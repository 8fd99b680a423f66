"""The scheduler's job list: apps register what must run every minute (or every N minutes).

An app registers its jobs in its ``AppConfig.ready()``::

    from core import scheduler
    scheduler.register("publish scheduled pages", publish_due_pages)
    scheduler.register("send digests", send_due_digests, every_minutes=5)

``manage.py run_scheduler`` (the Procfile's ``scheduler`` process) runs the due jobs once a
minute, each on its own: one failing job is reported and never stops the others. A job takes no
arguments and returns an optional one-line summary for the log. Jobs must be idempotent: a pass
can be repeated (a restart, a platform cron calling ``run_scheduler --once``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str | None]
    every_minutes: int = 1


_jobs: dict[str, Job] = {}


def register(name: str, run: Callable[[], str | None], *, every_minutes: int = 1) -> None:
    """Add (or replace, for the same name) a job the scheduler runs every ``every_minutes``."""
    _jobs[name] = Job(name, run, every_minutes)


def jobs() -> list[Job]:
    return list(_jobs.values())


def due(minute: int) -> list[Job]:
    """The jobs to run in the pass of this minute (minutes since the epoch)."""
    return [job for job in _jobs.values() if minute % job.every_minutes == 0]
