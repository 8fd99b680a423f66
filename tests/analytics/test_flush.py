"""From the buffer through Redis to the database: crashes, a dead Redis, the scheduler job."""

import pytest
from django.core.management import call_command

from analytics import flush as flushing
from analytics.buffer import buffer
from analytics.flush import flush
from analytics.models import DailyReaders, DailyViews, FlushedBatch, HourlyViews
from analytics.store import RedisStore, set_store
from core import scheduler
from tests.support.servers import free_port
from tests.support.wsgi import call

from .conftest import BROWSER


def views(page=None):
    rows = DailyViews.objects.all() if page is None else DailyViews.objects.filter(page=page)
    return sum(row.views for row in rows)


def read(app, path, times=1, **extra):
    for _ in range(times):
        status, _headers, _body = call(app, path, HTTP_USER_AGENT=BROWSER, **extra)
        assert status == 200


def test_views_go_through_redis_into_the_aggregates(app, redis_store, make_article):
    article = make_article()
    read(app, article.url, times=3)
    assert buffer.push() == 3
    assert views() == 0  # buffered in Redis, not yet in the database
    call_command("flush_analytics", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert views(article) == 3
    assert DailyReaders.objects.get(path=article.url).readers == 1
    # Nothing is left to flush: a second pass writes nothing.
    flush()
    assert views(article) == 3
    assert not redis_store.batches()


def test_a_crash_before_the_commit_loses_nothing_and_counts_nothing_twice(
    app, redis_store, make_article, monkeypatch
):
    article = make_article()
    read(app, article.url, times=4)
    buffer.push()
    real_add = flushing._add

    def crash(model, *args):
        real_add(model, *args)
        if model is DailyViews:
            raise RuntimeError("worker killed mid-flush")

    monkeypatch.setattr(flushing, "_add", crash)
    with pytest.raises(RuntimeError):
        flush()
    assert views() == 0 and not HourlyViews.objects.exists()  # the transaction rolled back
    # Views read while the batch waits go to a new pending hash, not into the claimed batch.
    read(app, article.url, times=2)
    buffer.push()
    monkeypatch.setattr(flushing, "_add", real_add)
    flush()
    assert views(article) == 6
    assert sum(row.views for row in HourlyViews.objects.all()) == 6
    assert not redis_store.batches()


def test_a_crash_after_the_commit_counts_nothing_twice(app, redis_store, make_article, monkeypatch):
    article = make_article()
    read(app, article.url, times=5)
    buffer.push()
    real_forget = redis_store.forget

    def crash(batch_id):
        raise RuntimeError("killed before the batch was deleted")

    monkeypatch.setattr(redis_store, "forget", crash)
    with pytest.raises(RuntimeError):
        flush()
    assert views(article) == 5
    assert len(redis_store.batches()) == 1  # still in Redis, but recorded as written
    monkeypatch.setattr(redis_store, "forget", real_forget)
    flush()
    assert views(article) == 5
    assert not redis_store.batches()
    assert FlushedBatch.objects.count() == 1


def test_two_flushes_at_once_write_each_batch_once(app, redis_store, make_article):
    article = make_article()
    read(app, article.url, times=2)
    buffer.push()
    lock = redis_store.lock()
    assert lock.acquire(blocking=False)
    assert "another flush" in flush()
    lock.release()
    flush()
    assert views(article) == 2


def test_with_redis_down_pages_are_served_and_views_dropped(app, make_article, settings):
    settings.ANALYTICS_MODE = "server"
    settings.ANALYTICS_PUSH_SECONDS = 0
    dead = RedisStore(f"redis://127.0.0.1:{free_port()}/0", "dead")
    set_store(dead)
    buffer.take()
    try:
        article = make_article()
        dropped = buffer.dropped
        read(app, article.url, times=3)
        assert buffer.push() == 0  # the pusher's call fails; the requests never made one
        assert buffer.dropped == dropped + 3
        read(app, article.url)
        with pytest.raises(Exception):  # noqa: B017,PT011  (redis.ConnectionError)
            flush(dead)
    finally:
        set_store(None)
        buffer.take()
    assert views() == 0


def test_the_flush_is_a_scheduler_job():
    job = {job.name: job for job in scheduler.jobs()}["analytics flush"]
    assert job.run is flush and job.every_minutes == 1
