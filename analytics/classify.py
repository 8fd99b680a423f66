"""Which requests are a reader's view, and where the reader came from.

Everything here works on a WSGI environ (or a request's META), so the page cache's WSGI layer
can count a hit before Django builds a request.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import parse_qsl, urlsplit

from core.clientip import address_of

from . import conf

# User agents of crawlers, link previews, monitors, HTTP libraries and headless browsers.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|bots|crawl|spider|slurp|scrap|archiver|facebookexternalhit|embedly|"
    r"preview|monitor|uptime|pingdom|lighthouse|pagespeed|headless|phantomjs|"
    r"curl|wget|python|httpx|aiohttp|requests|go-http|java/|okhttp|libwww|axios|node-fetch|"
    r"feedfetcher|feedparser|newsblur|rss|validator|check|wordpress|whatsapp|telegram|"
    r"discord|skype|slack|mastodon|bluesky|cfnetwork|dalvik",
    re.IGNORECASE,
)
SEARCH_ENGINES = (
    "google.",
    "bing.com",
    "duckduckgo.com",
    "yahoo.",
    "yandex.",
    "baidu.com",
    "ecosia.org",
    "qwant.com",
    "search.brave.com",
    "startpage.com",
    "kagi.com",
)
SOCIAL = (
    "facebook.com",
    "fb.me",
    "t.co",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "lnkd.in",
    "reddit.com",
    "instagram.com",
    "threads.net",
    "bsky.app",
    "mastodon.social",
    "t.me",
    "youtube.com",
    "tiktok.com",
    "news.ycombinator.com",
)
# Webmail: a click from an email (nearly always the newsletter, when its links carry no ?src=nl).
WEBMAIL = ("mail.google.com", "outlook.live.com", "outlook.office.com", "mail.yahoo.com")
FEED_READERS = ("feedly.com", "inoreader.com", "newsblur.com", "theoldreader.com")
# The query parameter links carry to name their source (the newsletter's links: ?src=nl).
SOURCE_PARAM = "src"
SOURCE_PARAM_VALUES = {"nl": "newsletter", "newsletter": "newsletter", "feed": "feed"}
EMAIL_MEDIUMS = {"email", "newsletter", "e-mail"}
FEED_MEDIUMS = {"rss", "feed", "atom"}

SOURCES = ("direct", "internal", "search", "social", "newsletter", "feed", "referral")


@functools.lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    # Kept per user agent: the pattern costs tens of microseconds, a lookup well under one,
    # and a site's readers send a few hundred distinct user agents.
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def is_prefetch(environ) -> bool:
    purpose = environ.get("HTTP_SEC_PURPOSE") or environ.get("HTTP_PURPOSE")
    if purpose:
        purpose = purpose.lower()
        if "prefetch" in purpose or "prerender" in purpose:
            return True
    moz = environ.get("HTTP_X_MOZ")
    return bool(moz) and moz.lower() == "prefetch"


def has_session(environ, options: conf.Options | None = None) -> bool:
    """Editors (and readers who unlocked a private page) carry a session cookie."""
    cookies = environ.get("HTTP_COOKIE")
    return bool(cookies) and (options or conf.current()).session_cookie in cookies


def counts_as_reader(environ, options: conf.Options | None = None) -> bool:
    """A GET from a human who is not an editor and is not prefetching."""
    if environ.get("REQUEST_METHOD") != "GET":
        return False
    if is_bot(environ.get("HTTP_USER_AGENT", "")):
        return False
    return not (is_prefetch(environ) or has_session(environ, options))


def _domain(host: str) -> str:
    host = (host or "").lower().split(":")[0].strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host[:100]


def _matches(domain: str, names) -> bool:
    for name in names:
        if name.endswith("."):
            if domain.startswith(name) or f".{name}" in f".{domain}":
                return True
        elif domain == name or domain.endswith(f".{name}"):
            return True
    return False


# Query strings and referrers longer than this are classified afresh each time (not kept).
_CACHED_LENGTH = 300


def source_of(query_string: str, referer: str, own_host: str) -> tuple[str, str]:
    """(source, referring domain) of a view from its URL's query string and its Referer."""
    if not query_string and not referer:
        return "direct", ""
    if len(query_string) + len(referer) <= _CACHED_LENGTH:
        return _cached_source(query_string, referer, own_host)
    return _source(query_string, referer, own_host)


def _tagged(query_string: str) -> str | None:
    """The source the URL's own parameters name (?src=nl, utm_*), if any."""
    if "src" not in query_string and "utm" not in query_string and "%" not in query_string:
        return None  # nothing to parse
    params = dict(parse_qsl(query_string, keep_blank_values=True))
    tagged = SOURCE_PARAM_VALUES.get(params.get(SOURCE_PARAM, "").lower())
    medium = params.get("utm_medium", "").lower()
    if tagged == "newsletter" or medium in EMAIL_MEDIUMS:
        return "newsletter"
    if params.get("utm_source", "").lower() in {"newsletter", "nl"}:
        return "newsletter"
    if tagged == "feed" or medium in FEED_MEDIUMS:
        return "feed"
    return None


def _source(query_string: str, referer: str, own_host: str) -> tuple[str, str]:
    tagged = _tagged(query_string) if query_string else None
    if tagged is not None:
        return tagged, ""
    if not referer:
        return "direct", ""
    try:
        domain = _domain(urlsplit(referer).hostname or "")
    except ValueError:
        return "direct", ""
    if not domain:
        return "direct", ""
    if domain == _domain(own_host):
        return "internal", ""
    if domain.startswith("mail.") or _matches(domain, WEBMAIL):
        return "newsletter", domain
    if _matches(domain, SEARCH_ENGINES):
        return "search", domain
    if _matches(domain, SOCIAL):
        return "social", domain
    if _matches(domain, FEED_READERS):
        return "feed", domain
    return "referral", domain


# Most views repeat a few query strings and referrers (the site's own pages, a search engine,
# the newsletter's links): each is classified once.
_cached_source = functools.lru_cache(maxsize=4096)(_source)


def respects_privacy_signal(environ) -> bool:
    """True when the reader asked not to be tracked (DNT: 1 or Sec-GPC: 1)."""
    return environ.get("HTTP_DNT") == "1" or environ.get("HTTP_SEC_GPC") == "1"


def fingerprint(environ, options: conf.Options | None = None, private=None) -> bytes | None:
    """A short digest of address and browser, kept only in process memory until the next push
    (where it is salted with the day's secret); None when the reader sent DNT or GPC."""
    if respects_privacy_signal(environ) if private is None else private:
        return None
    address = address_of(environ, (options or conf.current()).proxies)
    agent = environ.get("HTTP_USER_AGENT", "")
    return hashlib.blake2b(f"{address}|{agent}".encode(), digest_size=16).digest()
