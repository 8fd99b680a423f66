"""The circuit breaker in caching.guard: opens on a failure, stays open, half-opens, closes."""

import threading

import pytest

from caching import guard


@pytest.fixture
def clock(monkeypatch, settings):
    """A clock the test moves by hand."""
    settings.CACHE_RETRY_AFTER_SECONDS = 5
    now = [1000.0]
    monkeypatch.setattr(guard.time, "monotonic", lambda: now[0])
    guard.reset()
    yield now
    guard.reset()


@pytest.fixture
def broken_cache(monkeypatch):
    """A cache whose calls fail while ``broken[0]`` is True; counts the calls that reach it."""
    broken = [True]
    calls = []

    class Cache:
        def get(self, key, default=None):
            calls.append(key)
            if broken[0]:
                raise ConnectionError("stalled")
            return "value"

    monkeypatch.setattr(guard, "_cache", Cache)
    return broken, calls


def test_the_first_failure_opens_the_breaker_and_calls_stop(clock, broken_cache):
    broken, calls = broken_cache
    assert guard.state() == guard.CLOSED
    assert guard.get("a") is None
    assert guard.state() == guard.OPEN
    for _ in range(10):
        assert guard.get("a", "miss") == "miss"
    assert calls == ["a"]  # only the first call reached the cache server


def test_it_stays_open_for_the_retry_time_then_half_opens(clock, broken_cache):
    guard.get("a")
    clock[0] += 4.9
    assert guard.state() == guard.OPEN
    clock[0] += 0.2
    assert guard.state() == guard.HALF_OPEN


def test_a_successful_probe_closes_it(clock, broken_cache):
    broken, calls = broken_cache
    guard.get("a")
    broken[0] = False
    clock[0] += 6
    assert guard.get("b") == "value"
    assert guard.state() == guard.CLOSED
    assert guard.get("c") == "value"
    assert calls == ["a", "b", "c"]


def test_a_failed_probe_opens_it_again_for_the_full_retry_time(clock, broken_cache):
    broken, calls = broken_cache
    guard.get("a")
    clock[0] += 6
    assert guard.get("probe") is None
    assert guard.state() == guard.OPEN
    clock[0] += 4.9
    assert guard.get("still-open") is None
    assert calls == ["a", "probe"]


def test_while_half_open_only_one_thread_probes(clock, broken_cache):
    guard.get("a")
    clock[0] += 6
    assert guard.available()  # this thread becomes the prober
    others = []
    thread = threading.Thread(target=lambda: others.append(guard.available()))
    thread.start()
    thread.join()
    assert others == [False]
    assert guard.available()  # the prober may go on until its call succeeds or fails
