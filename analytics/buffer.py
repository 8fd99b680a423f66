"""Views buffered in the web process's memory, pushed to the store by a background thread.

A request only adds to a ``Counter`` under a lock (no I/O); every ``ANALYTICS_PUSH_SECONDS`` the
pusher swaps the buffer for an empty one and sends it to the store (Redis) in one round trip.
When the store is unreachable the swapped views are dropped and counted in ``dropped``: pages
are never slowed, and nothing waits on Redis.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from dataclasses import dataclass, field

from . import conf

logger = logging.getLogger(__name__)

# (hour "YYYY-MM-DDTHH" in UTC, page key, source, referring domain)
ViewKey = tuple[str, str, str, str]


@dataclass
class Batch:
    views: Counter = field(default_factory=Counter)
    # (hour, page key) -> unsalted digests of the readers seen (salted by the store on push)
    readers: dict[tuple[str, str], set[bytes]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(self.views.values())


class Buffer:
    def __init__(self):
        self._lock = threading.Lock()
        self._batch = Batch()
        self._started = False  # this process's pusher thread
        self._wake = threading.Event()
        self.dropped = 0
        self.pushed = 0
        # A forked worker (gunicorn preloads the app) inherits no thread: it starts its own
        # pusher at its first view, with locks nobody can be holding, and leaves the views it
        # inherited to the process that recorded them.
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._batch = Batch()
        self._started = False

    def record(self, key: ViewKey, reader: bytes | None) -> None:
        with self._lock:
            views = self._batch.views
            if key not in views and len(views) >= conf.current().max_keys:
                self.dropped += 1
                return
            views[key] += 1
            if reader is not None:
                self._batch.readers.setdefault((key[0], key[1]), set()).add(reader)
        if not self._started and conf.current().push_seconds > 0:
            self._start()

    def take(self) -> Batch:
        with self._lock:
            batch, self._batch = self._batch, Batch()
        return batch

    def push(self) -> int:
        """Send what is buffered to the store now; the number of views sent (0 if dropped)."""
        from .store import get_store

        batch = self.take()
        if not batch.views:
            return 0
        try:
            get_store().push(batch)
        except Exception as error:  # noqa: BLE001  (any store failure: drop, never raise into a request)
            self.dropped += len(batch)
            logger.warning("analytics: %d views dropped (%s)", len(batch), error)
            return 0
        self.pushed += len(batch)
        return len(batch)

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        thread = threading.Thread(target=self._run, name="analytics-pusher", daemon=True)
        thread.start()

    def _run(self) -> None:
        import time

        seconds = float(conf.get("ANALYTICS_PUSH_SECONDS"))
        local_flush = float(conf.get("ANALYTICS_LOCAL_FLUSH_SECONDS"))
        last_flush = time.monotonic()
        while True:
            self._wake.wait(seconds)
            self._wake.clear()
            self.push()
            if local_flush and time.monotonic() - last_flush >= local_flush:
                last_flush = time.monotonic()
                self._flush_locally()

    @staticmethod
    def _flush_locally() -> None:
        """Without Redis no other process sees this one's views: it flushes them itself."""
        from django.db import close_old_connections

        from .flush import flush
        from .store import LocalStore, get_store

        if not isinstance(get_store(), LocalStore):
            return
        try:
            flush()
        except Exception:  # the database may be down: the views wait for the next pass
            logger.exception("analytics: local flush failed")
        finally:
            close_old_connections()


buffer = Buffer()
