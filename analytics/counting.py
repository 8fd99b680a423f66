"""Counting a view: in the page cache's WSGI layer (server mode) or from the beacon.

``served`` is registered with ``caching.pagecache.register_served``: it sees every response the
WSGI layer passes on, page-cache hits included, and adds a reader's 200 HTML page to the
process's buffer. ``beacon`` answers ``/a/v/<page id>.gif`` before the page cache (beacon mode,
when a CDN answers pages and the server never sees most views).
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.handlers.wsgi import get_path_info
from django.urls import Resolver404, resolve
from django.utils import translation

from . import conf
from .buffer import buffer
from .classify import counts_as_reader, fingerprint, respects_privacy_signal, source_of

# Never a reader's page view (the admin, files, the beacon itself, health checks).
EXCLUDED_PATHS = (
    "/admin/",
    "/django-admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/healthz/",
    "/a/",
    "/favicon",
)
BEACON_PREFIX = "/a/"
BEACON_PATH = re.compile(r"/a/v/([1-9][0-9]{0,9})\.gif")
# The beacon of a reader view that is no Wagtail page: the page is its Referer's path.
PATH_BEACON = "/a/p.gif"
PATH_BEACON_VIEWS = {"search", "privacy"}
# ?r=<host>: where the reader came from (beacon.js sends the host of document.referrer).
REFERRER_PARAM = "r"
REFERRER_HOST = re.compile(r"[a-z0-9.\-\[\]:]{1,255}")
# The smallest transparent GIF (1x1, 43 bytes).
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
PIXEL_HEADERS = [
    ("Content-Type", "image/gif"),
    ("Content-Length", str(len(PIXEL))),
    ("Cache-Control", "no-store, private"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
]


def _host(environ) -> str:
    return environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")


_hour: tuple[int, str] = (-1, "")


def current_hour() -> str:
    """This hour in UTC as "YYYY-MM-DDTHH" (formatted once an hour)."""
    global _hour
    number = int(time.time()) // 3600
    if _hour[0] != number:
        _hour = (number, time.strftime("%Y-%m-%dT%H", time.gmtime(number * 3600)))
    return _hour[1]


def record(environ, key: str, query_string: str, referer: str, options=None) -> None:
    options = options or conf.current()
    private = respects_privacy_signal(environ)
    if private and not options.count_dnt:
        return
    source, referrer = source_of(query_string, referer, _host(environ))
    reader = fingerprint(environ, options, private)
    buffer.record((current_hour(), key, source, referrer), reader)


def _html(headers) -> bool:
    for name, value in headers:
        if name == "Content-Type" or name.lower() == "content-type":
            return value.startswith("text/html")
    return False


def served(environ, status: str, headers) -> None:
    """Count a reader's view of a page (server mode)."""
    if not status.startswith("200 "):
        return
    options = conf.current()
    if options.mode != "server":
        return
    path = environ.get("PATH_INFO", "/")
    if not path.isascii():
        path = get_path_info(environ)  # WSGI's latin-1 string to the UTF-8 path Django sees
    if path.startswith(EXCLUDED_PATHS) or len(path) > 255 or not _html(headers):
        return
    if not counts_as_reader(environ, options):
        return
    record(environ, path, environ.get("QUERY_STRING", ""), environ.get("HTTP_REFERER", ""), options)


def _refused(status: str, text: str) -> tuple[str, list, bytes]:
    body = f"{text}\n".encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    return status, [*headers, ("Cache-Control", "no-store")], body


def _came_from(query_string: str) -> tuple[bool, str]:
    """(valid, host) of the ``r`` parameter: the host of the page the reader came from, which
    beacon.js adds (only the host); no parameter is no referrer."""
    if not query_string:
        return True, ""
    host = ""
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name == REFERRER_PARAM:
            host = value.lower()
    if host and REFERRER_HOST.fullmatch(host) is None:
        return False, ""
    return True, host


def _path_key(path: str) -> str | None:
    """The page key of a path-beacon's page: its path, if it is a reader view with no Wagtail
    page (search, the privacy notice); anything else is not counted."""
    path = unquote(path)
    if len(path) > 255 or path.startswith(EXCLUDED_PATHS):
        return None
    # A language's prefix (/sq/search/) resolves only with that language active.
    language = translation.get_language_from_path(path) or translation.get_language()
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return None
    return path if match.url_name in PATH_BEACON_VIEWS else None


def beacon_view(environ) -> tuple[str, list, bytes]:
    """(status, headers, body) for a request under /a/; counts a view in beacon mode."""
    path = environ.get("PATH_INFO", "")
    match = BEACON_PATH.fullmatch(path)
    if match is None and path != PATH_BEACON:
        return _refused("404 Not Found", "Not found")
    method = environ.get("REQUEST_METHOD")
    if method not in ("GET", "HEAD"):
        headers = [("Allow", "GET, HEAD"), ("Content-Length", "0"), ("Cache-Control", "no-store")]
        return "405 Method Not Allowed", headers, b""
    valid, came_from = _came_from(environ.get("QUERY_STRING", ""))
    if not valid:
        return _refused("400 Bad Request", "Bad referrer")
    options = conf.current()
    if options.mode == "beacon" and counts_as_reader(environ, options):
        referer = environ.get("HTTP_REFERER", "")
        try:
            parts = urlsplit(referer)
        except ValueError:
            parts = None
        # The page that shows the beacon is the Referer (same origin: its full URL, so its
        # ?src=nl and utm_* tell the source); a beacon shown on another site is not counted.
        # Where the reader came from is the r parameter (beacon.js), else nobody knows.
        before = f"https://{came_from}/" if came_from else ""
        own = parts is not None and (parts.netloc or "").lower() == _host(environ).lower()
        if match is not None and not referer:
            record(environ, f"#{match.group(1)}", "", before, options)
        elif match is not None and own:
            record(environ, f"#{match.group(1)}", parts.query, before, options)
        elif match is None and own and (key := _path_key(parts.path)) is not None:
            record(environ, key, parts.query, before, options)
    return "200 OK", PIXEL_HEADERS, (b"" if method == "HEAD" else PIXEL)


def beacon(environ, start_response):
    """The WSGI endpoint registered for /a/ (answered before the page cache and Django)."""
    status, headers, body = beacon_view(environ)
    start_response(status, headers)
    return [body]
