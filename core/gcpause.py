"""Python's garbage collector in web workers: keep its pauses short, and optionally log them.

A worker holds every object the app loaded (Django, Wagtail, compiled templates, URL patterns):
several hundred thousand containers that a full collection walks each time, stalling every
thread of the worker meanwhile. ``freeze_loaded_app`` runs in gunicorn's master after the app is
loaded and warmed, just before the workers fork (``when_ready`` in ``gunicorn.conf.py``): it moves
them to the permanent generation, which collections never walk, so a worker's collections only
see what requests allocated. Forked workers share those pages with the master for longer too
(collections no longer write to them).

``install_pause_log`` (opt-in, ``GUNICORN_GC_LOG_MS``) logs each collection that took at least
that many milliseconds, with its generation and what it collected: the way to see whether slow
requests line up with collector pauses.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def freeze_loaded_app() -> int:
    """Collect once, then freeze everything alive; returns the number of objects frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


class PauseLog:
    """A ``gc.callbacks`` entry that reports collections of at least ``threshold_ms``."""

    def __init__(self, threshold_ms: float, report: Callable[[str], None]):
        self.threshold = threshold_ms / 1000
        self.report = report
        self.started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        elapsed = time.perf_counter() - self.started
        if elapsed >= self.threshold:
            self.report(
                f"gc pause {elapsed * 1000:.1f} ms (generation {info['generation']}, "
                f"{info['collected']} collected, {gc.get_freeze_count()} frozen)"
            )


def install_pause_log(threshold_ms: float, report: Callable[[str], None]) -> PauseLog | None:
    """Log collections of at least ``threshold_ms`` through ``report``; none when not positive."""
    for callback in list(gc.callbacks):
        if isinstance(callback, PauseLog):
            gc.callbacks.remove(callback)
    if threshold_ms <= 0:
        return None
    log = PauseLog(threshold_ms, report)
    gc.callbacks.append(log)
    return log
