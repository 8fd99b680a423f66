"""The scheduler runs every registered job; one failing job never stops the others."""

from io import StringIO

import pytest
from django.core.management import call_command

from core import scheduler


@pytest.fixture
def registry(monkeypatch):
    jobs: dict = dict(scheduler._jobs)
    monkeypatch.setattr(scheduler, "_jobs", jobs)
    return jobs


def run_once() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("run_scheduler", "--once", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_scheduled_publishing_is_registered_by_the_editorial_app():
    assert "scheduled publishing" in [job.name for job in scheduler.jobs()]


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_the_next_job_still_runs(registry):
    ran = []

    def broken():
        raise RuntimeError("provider down")

    scheduler.register("broken job", broken)
    scheduler.register("counting job", lambda: ran.append(1) or "1 counted")
    out, err = run_once()
    assert "broken job failed: RuntimeError('provider down')" in err
    assert "counting job: 1 counted" in out
    assert ran == [1]


def test_a_job_every_five_minutes_is_due_every_fifth_minute(registry):
    registry.clear()
    scheduler.register("every minute", lambda: None)
    scheduler.register("every five", lambda: None, every_minutes=5)
    assert [job.name for job in scheduler.due(10)] == ["every minute", "every five"]
    assert [job.name for job in scheduler.due(11)] == ["every minute"]
