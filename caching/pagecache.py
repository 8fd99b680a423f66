"""Full-page cache for anonymous readers, with targeted purges.

A response is stored only when it is safe to hand to any other reader: an anonymous GET with no
session cookie, a 200 HTML/XML response that sets no cookie, used no CSRF token and no CSP nonce,
and that nobody marked private. Admin, preview and health URLs are never cached.

Purging works with any cache backend (no key scans): every cached entry holds the *version
tokens* of its exact path and of each of its path prefixes (``/``, ``/news/``, ``/news/tag/``,
...) as they were when it was rendered, and is served only while they are all current. Purging
a path or a prefix replaces that token, so every entry under it becomes a miss at once. A hit
costs one round trip to the cache server (the entry and the tokens in one ``get_many``).

Two layers serve hits. ``PageCacheMiddleware`` decides what is stored and serves hits inside
Django. ``PageCacheApplication`` wraps the WSGI application (``config/wsgi.py``) and serves a hit
before Django builds a request, runs its middleware and sends its signals: for each entry it
keeps the complete header set the reader got when the page was rendered (security and CSP
headers included), and it answers only when nothing in front of the page cache would have
answered differently (allowed host, HTTPS redirect, same scheme); anything else goes to Django.

Content apps plug into the WSGI layer without this module knowing them (``register_served``,
``register_endpoint``, called from their ``AppConfig.ready()``): a function told of every
response it passed on, hits included, and small WSGI applications answering a path prefix
before the page cache is asked.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.module_loading import import_string

from . import guard as guarded
from .release import release

KEY_PREFIX = "pagecache"
ENTRY_LENGTH = 4  # (versions, stored headers, content, WSGI headers or None)
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "text/plain",
)
# Response headers that are replayed from the cache; everything else is recomputed per request.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Link",
    "X-Robots-Tag",
    "X-Frame-Options",
    "Vary",
    "Last-Modified",
    "ETag",
)


def cache_seconds() -> int:
    return settings.PAGE_CACHE_SECONDS


def _excluded_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)


def _normalised_query(request) -> str | None:
    """The query string part of the key, or None when this query string is not cacheable.

    Tracking parameters (utm_*, fbclid, ...) do not change the page and are dropped; parameters
    on the allow-list (``page``) are kept; anything else (search terms, previews, random
    cache-busters) is served fresh, so nobody can fill the cache with junk keys.
    """
    allowed = set(settings.PAGE_CACHE_QUERY_PARAMS)
    ignored = tuple(settings.PAGE_CACHE_IGNORED_PARAMS)
    kept = []
    for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True):
        if name.startswith(ignored):
            continue
        if name not in allowed or len(value) > 20:
            return None
        kept.append((name, value))
    return urlencode(sorted(kept))


def _version_keys(path: str) -> list[str]:
    keys = [f"{KEY_PREFIX}:v:exact:{path}"]
    prefix = "/"
    keys.append(f"{KEY_PREFIX}:v:prefix:/")
    for segment in [s for s in path.split("/") if s]:
        prefix = f"{prefix}{segment}/"
        keys.append(f"{KEY_PREFIX}:v:prefix:{prefix}")
    if not path.endswith("/"):
        keys[-1] = f"{KEY_PREFIX}:v:prefix:{path}"
    return keys


def _tokens(keys: list[str], found: dict) -> str | None:
    """The version tokens of ``keys`` joined, creating any that are missing (None: cache down)."""
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            # A fresh random token (never a constant): entries stored under an evicted token can
            # never come back.
            guarded.add(key, secrets.token_hex(8), None)
            token = guarded.get(key)
            if token is None:
                return None  # the cache is down
        tokens.append(str(token))
    return ".".join(tokens)


def _entry_key(request, query: str) -> str:
    # Per release of the code (caching.release); the versions, and so purges, are shared.
    raw = f"{release()}|{request.get_host()}|{request.path}|{query}"
    return f"{KEY_PREFIX}:e:" + hashlib.sha256(raw.encode()).hexdigest()


def _lookup(request, query: str) -> tuple[str, str | None, tuple | None]:
    """(entry key, current versions, cached entry or None) in one round trip.

    An entry is ``(versions, stored headers, content, wsgi headers)``; the last is ``(scheme,
    every header the reader got)`` when ``PageCacheApplication`` stored it, else None.

    An entry holds the version tokens it was stored under; it is served only while they are
    all still current, so a purge (a replaced token) makes it a miss at once.
    """
    key = _entry_key(request, query)
    version_keys = _version_keys(request.path)
    found = guarded.get_many([key, *version_keys])
    versions = _tokens(version_keys, found)
    entry = found.get(key)
    if not isinstance(entry, tuple) or len(entry) != ENTRY_LENGTH:
        entry = None  # absent, or stored by an older release in another shape: a miss
    if versions is None or entry is None or entry[0] != versions:
        return key, versions, None
    return key, versions, entry


def request_is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False) or _excluded_path(request.path):
        return False
    # Anyone with a session (editors, readers who entered a private page's password) or a
    # pending flash message gets a freshly rendered page.
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.META.get("HTTP_AUTHORIZATION")


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False  # it sets a cookie (CSRF, session, messages, ...)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page carries this reader's CSRF token
    if getattr(request, "_csp_nonce", None):
        return False  # a nonce must be unique per response
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    if getattr(request, "is_preview", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"cookie", "accept-encoding"}:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in CACHEABLE_TYPES:
        return False
    return b'name="csrfmiddlewaretoken"' not in response.content


def add_shared_cache_headers(response) -> None:
    """Let browsers revalidate and CDNs keep the page for a while (and serve stale on errors);
    a request with cookies (an editor's session) is another copy (``Vary: Cookie``)."""
    patch_vary_headers(response, ("Cookie",))
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_BROWSER_MAX_AGE,
        s_maxage=settings.PAGE_CACHE_CDN_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.PAGE_CACHE_STALE_IF_ERROR,
    )


def add_private_headers(response) -> None:
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)


class PageCacheMiddleware:
    """Serve anonymous readers from the page cache; store what is safe to share."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not request_is_cacheable(request):
            response = self.get_response(request)
            if not _excluded_path(request.path) and not request.path.startswith(
                settings.STATIC_URL
            ):
                add_private_headers(response)
            return response

        query = _normalised_query(request)
        key = versions = None
        if query is not None:
            # The versions are read before the page is rendered: a purge while it renders
            # leaves the stored copy unreachable. The WSGI layer's lookup, when it made one
            # for this request, is reused (a miss costs one round trip, not two).
            looked = request.META.pop(WSGI_LOOKUP, None)
            if looked is not None and looked[0] == query:
                key, versions, hit = looked[1:]
            else:
                key, versions, hit = _lookup(request, query)
            if hit is not None:
                return self._from_cache(request, hit)

        response = self.get_response(request)
        if query is not None and response_is_cacheable(request, response):
            add_shared_cache_headers(response)
            if versions is not None and request.method == "GET":
                headers = {h: response[h] for h in STORED_HEADERS if h in response}
                headers["Cache-Control"] = response["Cache-Control"]
                entry = (versions, headers, bytes(response.content), None)
                if request.META.get(WSGI_LAYER):
                    # PageCacheApplication stores it with the final headers.
                    request.META[WSGI_PENDING] = (key, entry, request.scheme)
                else:
                    guarded.set(key, entry, cache_seconds())
            response["X-Cache"] = "MISS"
        else:
            add_private_headers(response)
        return response

    @staticmethod
    def _from_cache(request, hit) -> HttpResponse:
        _versions, headers, content, _wsgi_headers = hit
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=200)
        for name, value in headers.items():
            response[name] = value
        if request.method == "HEAD":
            response["Content-Length"] = str(len(content))
        patch_vary_headers(response, ("Cookie",))
        response["X-Cache"] = "HIT"
        return response


# --- the WSGI layer ----------------------------------------------------------------------------

WSGI_LAYER = "pagecache.wsgi"
WSGI_PENDING = "pagecache.pending"
WSGI_LOOKUP = "pagecache.lookup"
# Per-response headers the WSGI layer never replays (it sets its own Content-Length and X-Cache;
# the server adds Date and Server).
NOT_REPLAYED = {"content-length", "set-cookie", "x-cache", "date", "server", "connection"}


logger = logging.getLogger(__name__)

# Told of every response the WSGI layer passes on: (environ, status line, header list).
ServedHook = Callable[[dict, str, list], None]
_served_hooks: list[ServedHook] = []
# Path prefix -> WSGI application answering it before the page cache is asked.
_endpoints: dict[str, Callable] = {}


def register_served(hook: ServedHook) -> None:
    """Call ``hook(environ, status, headers)`` after each response (hits included).

    It runs in the request's thread and must return at once (buffer, never do I/O); an error
    in it is logged and never reaches the reader.
    """
    if hook not in _served_hooks:
        _served_hooks.append(hook)


def register_endpoint(prefix: str, application: Callable) -> None:
    """Let ``application`` (a WSGI callable) answer every path under ``prefix`` itself."""
    _endpoints[prefix] = application


def _tell(environ, status: str, headers) -> None:
    for hook in _served_hooks:
        try:
            hook(environ, status, headers)
        except Exception:  # a counting hook must never break a page
            logger.exception("page cache served-hook %r failed", hook)


class PageCacheApplication:
    """WSGI wrapper: page-cache hits without Django's request cycle (see the module docstring)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if _endpoints:
            path = environ.get("PATH_INFO", "")
            for prefix, endpoint in _endpoints.items():
                if path.startswith(prefix):
                    return endpoint(environ, start_response)
        hit = self._hit(environ)
        if hit is not None:
            headers, body = hit
            start_response("200 OK", headers)
            _tell(environ, "200 OK", headers)
            return [body]
        environ[WSGI_LAYER] = True
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        response = self.application(environ, capture)
        pending = environ.pop(WSGI_PENDING, None)
        if pending is not None and captured and captured[0].startswith("200 "):
            key, entry, scheme = pending
            final = tuple((n, v) for n, v in captured[1] if n.lower() not in NOT_REPLAYED)
            guarded.set(key, (*entry[:3], (scheme, final)), cache_seconds())
        if captured and _served_hooks:
            _tell(environ, captured[0], captured[1])
        return response

    @staticmethod
    def _hit(environ) -> tuple[list, bytes] | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        if not settings.PAGE_CACHE_ENABLED:
            return None
        request = WSGIRequest(environ)
        try:
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                return None  # SecurityMiddleware answers with a redirect
            if not request_is_cacheable(request):
                return None
            query = _normalised_query(request)
            if query is None:
                return None
            key, versions, entry = _lookup(request, query)  # get_host() checks ALLOWED_HOSTS
        except DisallowedHost:
            return None  # Django answers 400
        environ[WSGI_LOOKUP] = (query, key, versions, entry)
        if entry is None or entry[3] is None or entry[3][0] != request.scheme:
            return None
        content = entry[2]
        headers = [*entry[3][1], ("X-Cache", "HIT"), ("Content-Length", str(len(content)))]
        return headers, (b"" if request.method == "HEAD" else content)


# --- purging --------------------------------------------------------------------------------


def _alias_functions() -> list:
    return [import_string(name) for name in getattr(settings, "PAGE_CACHE_PATH_ALIASES", ())]


def with_aliases(path: str) -> list[str]:
    """The path and every other path showing the same page (``PAGE_CACHE_PATH_ALIASES``).

    The functions named there take a path (or a prefix) and return the others, e.g. the Latin
    copy of a Cyrillic Serbian page; caching knows nothing of why.
    """
    paths = [path]
    for function in _alias_functions():
        paths += [alias for alias in function(path) if alias not in paths]
    return paths


def purge_path(path: str) -> None:
    """Drop the cached copies of exactly this path (all its query strings, all hosts)."""
    for each in with_aliases(path):
        guarded.set(f"{KEY_PREFIX}:v:exact:{each}", secrets.token_hex(8), None)


def purge_prefix(prefix: str) -> None:
    """Drop every cached page whose path starts with this prefix (whole path segments)."""
    for each in with_aliases(prefix):
        guarded.set(f"{KEY_PREFIX}:v:prefix:{each}", secrets.token_hex(8), None)


def purge_all() -> None:
    purge_prefix("/")
