"""Security and failure-handling middleware.

The admin login throttle is our own because django-axes 8.3.1 (the newest, 2026-02-11) declares
support up to Django 6.0 only (classifiers and changelog), not the Django 6.1 this site runs.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.shortcuts import render

from . import ratelimit
from .clientip import client_ip
from .views import service_unavailable

logger = logging.getLogger(__name__)


class PathContentSecurityPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's CSP middleware with a second, looser policy for the Wagtail admin.

    Reader pages get ``SECURE_CSP``; paths under ``CSP_ADMIN_PATHS`` get ``SECURE_CSP_ADMIN``
    (the admin still relies on inline styles and scripts in places).
    """

    def process_response(self, request, response):
        admin_paths = tuple(getattr(settings, "CSP_ADMIN_PATHS", ("/admin/", "/django-admin/")))
        if request.path.startswith(admin_paths) and not hasattr(response, "_csp_config"):
            response._csp_config = getattr(settings, "SECURE_CSP_ADMIN", settings.SECURE_CSP)
        return super().process_response(request, response)


class DatabaseUnavailableMiddleware:
    """A view that hits a dead database answers a branded 503 with Retry-After, not a 500.

    Errors raised outside views (in other middleware) reach ``core.views.server_error``, which
    does the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and is_connection_error(exception):
            logger.error("Database unavailable: %s", exception)
            return service_unavailable(request)
        return None


OUTAGE_HINTS = (
    "connection",
    "could not connect",
    "server closed",
    "terminating",
    "timeout",
    "timed out",
    "database is locked",
    "unable to open database",
    "the database system is",
    "no route to host",
)


def is_connection_error(exc: BaseException) -> bool:
    """True when the database server is unreachable, as opposed to a bad query.

    InterfaceError always means a lost connection. OperationalError also covers query errors
    on some backends (SQLite raises it for a bad full-text query), so it counts as an outage only
    when its message says so or the connection no longer answers.
    """
    from django.db import InterfaceError, OperationalError, connections

    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    message = str(exc).lower()
    if any(hint in message for hint in OUTAGE_HINTS):
        return True
    connection = connections["default"]
    try:
        return connection.connection is None or not connection.is_usable()
    except Exception:  # noqa: BLE001
        return True


class LoginThrottleMiddleware:
    """Refuse further admin login attempts after too many failures from one IP or for one user.

    Failed attempts are counted (``user_login_failed``, ``core.ratelimit``) in the shared cache for
    ``LOGIN_THROTTLE_WINDOW`` seconds; after ``LOGIN_THROTTLE_MAX_PER_IP`` from an address or
    ``LOGIN_THROTTLE_MAX_PER_USER`` for a username, the login form answers 429 with Retry-After
    until the window ends. Successful logins are not counted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        login_paths = tuple(getattr(settings, "LOGIN_THROTTLE_PATHS", ("/admin/login/",)))
        if request.method == "POST" and request.path in login_paths:
            request._login_throttle_watched = True
            ip_count = ratelimit.count("login-ip", client_ip(request))
            username = request.POST.get("username", "")[:150]
            user_count = ratelimit.count("login-user", username) if username else 0
            if ip_count >= settings.LOGIN_THROTTLE_MAX_PER_IP or (
                user_count >= settings.LOGIN_THROTTLE_MAX_PER_USER
            ):
                response = render(
                    request, "core/429.html", {"window": settings.LOGIN_THROTTLE_WINDOW}, status=429
                )
                response["Retry-After"] = str(settings.LOGIN_THROTTLE_WINDOW)
                return response
        return self.get_response(request)


def record_login_failure(sender, credentials, request=None, **kwargs):
    if request is None or not getattr(request, "_login_throttle_watched", False):
        return
    window = settings.LOGIN_THROTTLE_WINDOW
    ratelimit.record("login-ip", client_ip(request), window)
    username = credentials.get("username") or ""
    if username:
        ratelimit.record("login-user", username[:150], window)
