"""The data cache: published reader data kept in the cache server under a *generation* token.

Entries (a site, its settings, a route, a memoised listing, a rendered fragment) are stored under
the current generation. Any change a reader could see replaces the token (``invalidate()``,
called by ``caching.invalidation`` from the map in ``config/cache_map.py``), so everything
cached before becomes unreachable at once and expires on its own. The token is replaced when the
change happens and again when its transaction commits (a request between the two could
otherwise cache the old data again).

Entries are kept per release of the code (``caching.release``); the generation is shared.

Only live data is cached: previews and admin requests compute afresh (``bypassed()``). When the
cache server is down or stalled (``caching.guard`` answers a miss) every value is computed from
the database. ``DATA_CACHE_ENABLED = False`` turns it off; ``DATA_CACHE_SECONDS`` bounds how long
an entry lives (a safety net for writes that bypass signals, such as raw SQL).
"""

from __future__ import annotations

import logging
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction

from . import guard as guarded
from .release import release

logger = logging.getLogger(__name__)

KEY_PREFIX = "datacache"
GENERATION_KEY = f"{KEY_PREFIX}:generation"
_MISSING = object()


def enabled() -> bool:
    return settings.DATA_CACHE_ENABLED


def timeout() -> int:
    return settings.DATA_CACHE_SECONDS


# Within one request the generation is read from the cache server once
# (``caching.middleware.DataCacheMiddleware``); a change made by the request itself forgets it.
_request_generation: ContextVar[list | None] = ContextVar("datacache_generation", default=None)
# True while serving a request that must see fresh data: a preview or an admin page.
_bypass: ContextVar[bool] = ContextVar("datacache_bypass", default=False)


@contextmanager
def request_scope(*, bypass: bool = False):
    """One request: the generation read at most once, the cache skipped when ``bypass``."""
    generation_reset = _request_generation.set([None])
    bypass_reset = _bypass.set(bypass or _bypass.get())
    try:
        yield
    finally:
        _bypass.reset(bypass_reset)
        _request_generation.reset(generation_reset)


def bypassed(request=None) -> bool:
    return _bypass.get() or bool(getattr(request, "is_preview", False))


def generation() -> str | None:
    memo = _request_generation.get()
    if memo is not None and memo[0] is not None:
        return memo[0]
    token = guarded.get(GENERATION_KEY)
    if token is None:
        guarded.add(GENERATION_KEY, secrets.token_hex(8), None)
        token = guarded.get(GENERATION_KEY)
    if memo is not None:
        memo[0] = token
    return token


def _replace_generation() -> None:
    memo = _request_generation.get()
    if memo is not None:
        memo[0] = None
    guarded.set(GENERATION_KEY, secrets.token_hex(8), None)


def invalidate() -> None:
    """Forget everything cached so far (now and once the current transaction commits)."""
    _replace_generation()
    transaction.on_commit(_replace_generation)


class LocalLayer:
    """Process-local copies of the current generation's entries, in front of the cache server.

    An entry stored under a generation never changes (a change replaces the generation), so a
    worker may keep what it read and skip the round trip to the cache server next time; the
    generation itself is still read from the server once per request, so a change made by any
    process is seen at once. Values are kept pickled (every reader gets its own copy, as from
    the server) except strings and numbers; at most ``DATA_CACHE_LOCAL_BYTES`` in all (least
    recently used first out), each for at most ``DATA_CACHE_LOCAL_SECONDS``; a new generation
    empties it.
    """

    IMMUTABLE = (str, int, float, bool, type(None))

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, object, int]] = OrderedDict()
        self._size = 0
        self._token: str | None = None

    def _clear(self, token: str | None) -> None:
        self._entries.clear()
        self._size = 0
        self._token = token

    def get(self, token: str, name: str):
        with self._lock:
            if token != self._token:
                self._clear(token)
                return _MISSING
            entry = self._entries.get(name)
            if entry is None:
                return _MISSING
            expires, payload, _size = entry
            if expires <= time.monotonic():
                self._drop(name)
                return _MISSING
            self._entries.move_to_end(name)
        return pickle.loads(payload) if isinstance(payload, bytes) else payload  # noqa: S301

    def put(self, token: str, name: str, value, seconds: int) -> None:
        limit = settings.DATA_CACHE_LOCAL_BYTES
        if isinstance(value, self.IMMUTABLE):
            payload, size = value, len(value) if isinstance(value, str) else 8
        else:
            try:
                payload = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001  not picklable: the cache server refused it too
                return
            size = len(payload)
        if size > limit // 8:
            return
        with self._lock:
            if token != self._token:
                self._clear(token)
            if name in self._entries:
                self._drop(name)
            self._entries[name] = (time.monotonic() + seconds, payload, size)
            self._size += size
            while self._size > limit and self._entries:
                self._drop(next(iter(self._entries)))

    def _drop(self, name: str) -> None:
        _expires, _payload, size = self._entries.pop(name)
        self._size -= size

    def __len__(self) -> int:
        return len(self._entries)


local_layer = LocalLayer()


def language_part() -> str:
    """The active language, for entry names on a site with several languages (a listing, a
    memo or a fragment differs per language and per Serbian script); '' on a one-language site."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return ""
    from django.utils import translation

    return translation.get_language() or ""


def local_seconds(seconds: int) -> int:
    """How long a worker keeps its own copy of an entry (0: no local copies)."""
    return min(seconds, settings.DATA_CACHE_LOCAL_SECONDS)


def get_or_set(name: str, compute, request=None, seconds: int | None = None):
    """The cached value for ``name``, computing (and storing) it when missing.

    ``None`` is a valid value. Previews, admin requests and a disabled or unreachable cache
    compute afresh. ``seconds`` shortens the entry's life below ``DATA_CACHE_SECONDS`` (never
    lengthens it).
    """
    if not enabled() or bypassed(request):
        return compute()
    token = generation()
    if token is None:
        return compute()
    name = f"{release()}:{name}"
    lifetime = min(seconds, timeout()) if seconds else timeout()
    local = local_seconds(lifetime)
    if local:
        hit = local_layer.get(token, name)
        if hit is not _MISSING:
            return hit
    hit = guarded.get(f"{KEY_PREFIX}:{token}:{name}", _MISSING)
    if hit is _MISSING:
        hit = compute()
        guarded.set(f"{KEY_PREFIX}:{token}:{name}", hit, lifetime)
    if local:
        local_layer.put(token, name, hit, local)
    return hit


def lookup(name: str):
    """The entry ``name`` of the current generation, or None (absent, bypassed, cache down)."""
    if not enabled() or bypassed():
        return None
    token = generation()
    if token is None:
        return None
    name = f"{release()}:{name}"
    local = local_seconds(timeout())
    if local:
        hit = local_layer.get(token, name)
        if hit is not _MISSING:
            return hit
    hit = guarded.get(f"{KEY_PREFIX}:{token}:{name}")
    if hit is not None and local:
        local_layer.put(token, name, hit, local)
    return hit


def store(name: str, value) -> None:
    """Keep ``value`` as entry ``name`` of the current generation (skipped if not picklable)."""
    if not enabled() or bypassed():
        return
    token = generation()
    if token is None:
        return
    name = f"{release()}:{name}"
    try:
        pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001  something unpicklable hangs off it: not cached
        logger.debug("data cache: %s not stored (not picklable)", name, exc_info=True)
        return
    guarded.set(f"{KEY_PREFIX}:{token}:{name}", value, timeout())
    local = local_seconds(timeout())
    if local:
        local_layer.put(token, name, value, local)
