"""The client's address, the one rule for everything that counts requests per IP.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies that each append the address they received the
request from to X-Forwarded-For (Heroku's and Render's routers: 1), the client is the N-th entry
from the right; whatever the client itself put further left is ignored. With 0, or when the
header has fewer entries than that (the request did not come through the proxies), it is
REMOTE_ADDR.

django-ipware (8.0, which supports Django 6.1) was considered: its ``proxy_count`` counts the
hops inside the header rather than the proxies in front of the site, and its default header list
trusts headers any client can send (Client-IP, X-Real-IP, ...), so configuring it safely takes
as many lines as this function.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    return address_of(request.META, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0)))


def address_of(meta, proxies: int) -> str:
    """The same rule on a request's META or a WSGI environ, with the proxy count given (for
    callers that read the setting once, such as counting a page view)."""
    if proxies > 0:
        forwarded = [
            part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return meta.get("REMOTE_ADDR", "")
