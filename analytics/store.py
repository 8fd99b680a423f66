"""Where buffered views wait between the web processes and the database.

``RedisStore`` (production, with ``ANALYTICS_REDIS_URL`` or ``REDIS_URL``): each push adds the
counts to one Redis hash (``HINCRBY``) and each reader's salted digest to a HyperLogLog per page
and day (``PFADD``). ``flush`` renames that hash to a numbered batch before reading it, so views
pushed meanwhile start a new hash and a batch is claimed exactly once; a batch is deleted only
after the database transaction that recorded its id committed (analytics.flush).

``LocalStore`` (no Redis: development, a single process): the same interface in this process's
memory; the pusher flushes it into the database itself.

The day's salt lives only in the store, with the day's digests, and expires with them.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import threading
import uuid
from collections import Counter

from django.conf import settings
from django.utils import timezone

from . import conf
from .buffer import Batch

SITE_WIDE = "*"
KEEP_SECONDS = 2 * 24 * 3600  # the day's salt and reader digests: the day and a margin


def local_day(hour: str) -> str:
    """The site's calendar day ("YYYY-MM-DD") of an hour stored as "YYYY-MM-DDTHH" in UTC."""
    start = datetime.datetime.strptime(hour, "%Y-%m-%dT%H").replace(tzinfo=datetime.UTC)
    return timezone.localtime(start).date().isoformat()


def field_name(key) -> str:
    return "|".join(key)


def parse_field(name: str | bytes):
    if isinstance(name, bytes):
        name = name.decode()
    parts = name.split("|")
    if len(parts) != 4:
        return None
    return tuple(parts)


def salted(salt: bytes, reader: bytes) -> bytes:
    return hashlib.sha256(salt + reader).digest()[:12]


class RedisStore:
    def __init__(self, url: str, prefix: str):
        import redis

        self.redis = redis.Redis.from_url(
            url,
            socket_timeout=float(getattr(settings, "REDIS_TIMEOUT", 0.5) or 0.5),
            socket_connect_timeout=0.5,
            health_check_interval=30,
        )
        self.prefix = prefix
        self._salts: dict[str, bytes] = {}

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def salt(self, day: str) -> bytes:
        salt = self._salts.get(day)
        if salt is None:
            key = self.key("salt", day)
            self.redis.set(key, secrets.token_bytes(16), nx=True, ex=KEEP_SECONDS)
            salt = self.redis.get(key)
            self._salts = {day: salt}  # older days are forgotten
        return salt

    def push(self, batch: Batch) -> None:
        pipe = self.redis.pipeline(transaction=False)
        pending = self.key("pending")
        for key, count in batch.views.items():
            pipe.hincrby(pending, field_name(key), count)
        days = {}  # hour -> day, worked out once per push
        for (hour, page), readers in batch.readers.items():
            day = days.get(hour) or days.setdefault(hour, local_day(hour))
            salt = self.salt(day)
            digests = [salted(salt, reader) for reader in readers]
            for target in (page, SITE_WIDE):
                name = self.key("uv", day, target)
                pipe.pfadd(name, *digests)
                pipe.expire(name, KEEP_SECONDS)
        pipe.execute()

    # --- the flush side ---------------------------------------------------------------------

    def lock(self, seconds: int = 300):
        return self.redis.lock(self.key("flush-lock"), timeout=seconds, blocking_timeout=0)

    def claim(self) -> str | None:
        """Rename the pending counts to a new batch (atomically with noting it); its id."""
        pending = self.key("pending")
        if not self.redis.exists(pending):
            return None
        batch_id = f"{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        pipe = self.redis.pipeline(transaction=True)
        pipe.rename(pending, self.key("batch", batch_id))
        pipe.sadd(self.key("batches"), batch_id)
        pipe.execute()
        return batch_id

    def batches(self) -> list[str]:
        return sorted(b.decode() for b in self.redis.smembers(self.key("batches")))

    def read(self, batch_id: str) -> Counter:
        counts = Counter()
        for name, value in self.redis.hgetall(self.key("batch", batch_id)).items():
            key = parse_field(name)
            if key is not None:
                counts[key] += int(value)
        return counts

    def forget(self, batch_id: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(self.key("batch", batch_id))
        pipe.srem(self.key("batches"), batch_id)
        pipe.execute()

    def readers(self, day: str, page: str) -> int:
        return int(self.redis.pfcount(self.key("uv", day, page)))


class LocalStore:
    """The same interface in process memory (no Redis); exact reader counts."""

    def __init__(self):
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self.pending = Counter()
        self.claimed: dict[str, Counter] = {}
        self.seen: dict[tuple[str, str], set[bytes]] = {}
        self.salts: dict[str, bytes] = {}

    def push(self, batch: Batch) -> None:
        with self._lock:
            self.pending.update(batch.views)
            for (hour, page), readers in batch.readers.items():
                day = local_day(hour)
                salt = self.salts.setdefault(day, secrets.token_bytes(16))
                self.salts = {day: salt}
                digests = {salted(salt, reader) for reader in readers}
                for target in (page, SITE_WIDE):
                    self.seen.setdefault((day, target), set()).update(digests)

    def lock(self, seconds: int = 300):
        return self._flush_lock

    def claim(self) -> str | None:
        with self._lock:
            if not self.pending:
                return None
            batch_id = f"{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
            self.claimed[batch_id], self.pending = self.pending, Counter()
        return batch_id

    def batches(self) -> list[str]:
        return sorted(self.claimed)

    def read(self, batch_id: str) -> Counter:
        return Counter(self.claimed.get(batch_id, {}))

    def forget(self, batch_id: str) -> None:
        self.claimed.pop(batch_id, None)

    def readers(self, day: str, page: str) -> int:
        return len(self.seen.get((day, page), ()))


_store = None


def redis_url() -> str:
    return conf.get("ANALYTICS_REDIS_URL") or getattr(settings, "REDIS_URL", "")


def get_store():
    global _store
    if _store is None:
        url = redis_url()
        prefix = conf.get("ANALYTICS_KEY_PREFIX")
        _store = RedisStore(url, prefix) if url else LocalStore()
    return _store


def set_store(store) -> None:
    """Use this store (tests, benchmarks); None: choose again from the settings."""
    global _store
    _store = store
