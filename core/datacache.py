"""Cache of published reader data (sites, settings, routing, view restrictions, listings).

Reader pages look up the same things on every request: the site for the host name, its settings,
the home page and the news index, the view restrictions that make a section private, an
article's related articles and neighbours. This module keeps them in the site's cache under a
*generation* token. Any change to content or configuration a reader could see (a page saved,
published, unpublished, moved or deleted, a view restriction, site, setting, author, tag or image
saved or deleted) replaces the token, so everything cached before becomes unreachable at once and
expires on its own. The token is replaced when the change happens and again when its transaction
commits (a request between the two could otherwise cache the old data again).

Only live data is cached: previews (``request.is_preview``) always compute afresh. When the
cache server is down (``core.cache`` answers a miss) every value is computed from the database.
``DATA_CACHE_ENABLED = False`` turns it off; ``DATA_CACHE_SECONDS`` bounds how long an entry
lives (a safety net for writes that bypass signals, such as raw SQL).
"""

from __future__ import annotations

import pickle
import secrets
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import cache as guarded

KEY_PREFIX = "datacache"
GENERATION_KEY = f"{KEY_PREFIX}:generation"
_MISSING = object()

# Models whose changes readers can see on many pages; any Page subclass counts as well.
WATCHED_MODELS = {
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.Locale",
    "home.SiteSettings",
    "home.HomeTagSection",
    "news.Author",
    "news.ArticleAuthor",
    "news.ArticlePageTag",
    "news.ArticleCorrection",
    "news.ArticleRelatedLink",
    "taggit.Tag",
    "wagtailimages.Image",
    "wagtailimages.Rendition",  # a new rendition: cached listings pick it up
    "wagtailsearchpromotions.Query",  # editor's picks on the search page
    "wagtailsearchpromotions.SearchPromotion",
}


def enabled() -> bool:
    return getattr(settings, "DATA_CACHE_ENABLED", True)


def timeout() -> int:
    return int(getattr(settings, "DATA_CACHE_SECONDS", 3600))


# Within one request the generation is read from the cache server once
# (``RequestGenerationMiddleware``); a change made by the request itself forgets it.
_request_generation: ContextVar[list | None] = ContextVar("datacache_generation", default=None)


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


class RequestGenerationMiddleware:
    """Read the generation token once per request instead of once per cached value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = _request_generation.set([None])
        try:
            return self.get_response(request)
        finally:
            _request_generation.reset(reset)


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
        limit = int(getattr(settings, "DATA_CACHE_LOCAL_BYTES", 32 * 1024 * 1024))
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


def local_seconds(seconds: int) -> int:
    """How long a worker keeps its own copy of an entry (0: no local copies)."""
    return min(seconds, int(getattr(settings, "DATA_CACHE_LOCAL_SECONDS", 0)))


def is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False))


def get_or_set(name: str, compute, request=None, seconds: int | None = None):
    """The cached value for ``name``, computing (and storing) it when missing.

    ``None`` is a valid value. Previews and a disabled or unreachable cache compute afresh.
    ``seconds`` shortens the entry's life below ``DATA_CACHE_SECONDS`` (never lengthens it).
    """
    if not enabled() or is_preview(request):
        return compute()
    token = generation()
    if token is None:
        return compute()
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


def _watched(sender, instance) -> bool:
    from wagtail.models import Page

    return isinstance(instance, Page) or sender._meta.label in WATCHED_MODELS


@receiver(post_save, dispatch_uid="datacache-save")
@receiver(post_delete, dispatch_uid="datacache-delete")
def _model_changed(sender, instance, **kwargs):
    if _watched(sender, instance):
        invalidate()


@receiver(m2m_changed, dispatch_uid="datacache-m2m")
def _m2m_changed(sender, instance, **kwargs):
    if _watched(type(instance), instance):
        invalidate()


def _connect_page_signals():
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    def changed(**kwargs):
        invalidate()

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(changed, weak=False, dispatch_uid=f"datacache-{id(signal)}")


_connect_page_signals()


# --- view restrictions ----------------------------------------------------------------------


def private_sections() -> list[tuple[str, int]]:
    """(path, depth) of every page with a view restriction."""

    def compute():
        from wagtail.models import PageViewRestriction

        return sorted(set(PageViewRestriction.objects.values_list("page__path", "page__depth")))

    return get_or_set("private-sections", compute)


def alias_paths() -> list[str]:
    """Paths of every alias page (their view restrictions are their source page's)."""

    def compute():
        from wagtail.models import Page

        return list(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))

    return get_or_set("alias-paths", compute)


def cached_private_q(queryset):
    """``PageQuerySet.private_q`` from the cached list of restricted sections (no query)."""
    from django.db.models import Q

    q = Q()
    for path, depth in private_sections():
        q |= Q(path__startswith=path, depth__gte=depth)
    return q if q else Q(pk__in=[])


def has_no_view_restrictions(page) -> bool:
    """True when neither the page nor an ancestor is restricted or an alias (no query)."""
    if not page.path or page.alias_of_id:
        return False
    if any(page.path.startswith(path) for path, _ in private_sections()):
        return False
    return not any(page.path.startswith(path) for path in alias_paths())


def install() -> None:
    """Use the cached site lookup, and the cached restriction list for ``public()``."""
    from wagtail.query import PageQuerySet

    install_site_lookup()

    if getattr(PageQuerySet.private_q, "_datacache", False):
        return
    original = PageQuerySet.private_q

    def private_q(self):
        if not enabled():
            return original(self)
        return cached_private_q(self)

    private_q._datacache = True
    PageQuerySet.private_q = private_q


class CachedViewRestrictionsMixin:
    """Pages whose serve-time view-restriction check costs no query when nothing is private."""

    def get_view_restrictions(self):
        if enabled() and has_no_view_restrictions(self):
            from wagtail.models import PageViewRestriction

            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# --- sites ----------------------------------------------------------------------------------


def find_site_for_request(request):
    """The request's Wagtail site, with its root page, from the cache (kept on the request)."""
    from django.http.request import split_domain_port
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def compute():
        site = Site._find_for_request(request)
        if site is not None and site.root_page_id:
            site.root_page.specific  # noqa: B018  loaded once, kept with the site
        return site

    return get_or_set(f"site:{hostname}:{port}", compute)


def install_site_lookup() -> None:
    """``Site.find_for_request`` (routing, settings, sitemaps) and the site root paths that
    every ``pageurl`` needs ask the data cache first."""
    from wagtail.models import Site

    if not getattr(Site.get_site_root_paths, "_datacache", False):
        original_root_paths = Site.get_site_root_paths

        def get_site_root_paths():
            if not enabled():
                return original_root_paths()
            return get_or_set("site-root-paths", original_root_paths)

        get_site_root_paths._datacache = True
        Site.get_site_root_paths = staticmethod(get_site_root_paths)

    if getattr(Site.find_for_request, "_datacache", False):
        return
    original = Site.find_for_request

    def find_for_request(request):
        if request is None:
            return None
        if not enabled():
            return original(request)
        if not hasattr(request, "_wagtail_site"):
            request._wagtail_site = find_site_for_request(request)
        return request._wagtail_site

    find_for_request._datacache = True
    Site.find_for_request = staticmethod(find_for_request)
