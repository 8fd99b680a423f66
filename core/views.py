"""Health check and failure pages."""

from __future__ import annotations

import datetime
import logging
import sys
import uuid

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def service_unavailable(request, exception=None):
    """The branded 503 page; rendered without touching the database."""
    retry = str(getattr(settings, "SERVICE_UNAVAILABLE_RETRY_AFTER", 30))
    try:
        body = loader.render_to_string("core/503.html", {"retry_after": retry}, request=None)
    except Exception:  # noqa: BLE001  the failure page itself must never fail
        body = "<h1>The Balkan Report is briefly unavailable</h1><p>Please try again shortly.</p>"
    response = HttpResponse(body, status=503)
    response["Retry-After"] = retry
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: a database outage becomes a 503; anything else the static 500 page."""
    from .middleware import is_connection_error

    exc = sys.exc_info()[1]
    if exc is not None and is_connection_error(exc):
        return service_unavailable(request)
    try:
        body = loader.render_to_string("500.html")
    except Exception:  # noqa: BLE001
        body = "<h1>Server error</h1>"
    return HttpResponse(body, status=500)


def overdue_scheduled_count(grace_seconds: int) -> int:
    """Scheduled publications and expiries that should have happened more than grace ago."""
    from wagtail.models import Page, Revision

    cutoff = timezone.now() - datetime.timedelta(seconds=grace_seconds)
    to_publish = Revision.page_revisions.filter(approved_go_live_at__lt=cutoff).count()
    to_expire = Page.objects.filter(live=True, expire_at__lt=cutoff).count()
    return to_publish + to_expire


@never_cache
def healthz(request):
    checks: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as exc:
        checks["database"] = "unavailable"
        healthy = False
        logger.error("healthz: database unavailable: %s", exc)

    from django.core.cache import caches

    token = uuid.uuid4().hex
    try:
        cache = caches["default"]
        cache.set("healthz", token, 30)
        ok = cache.get("healthz") == token
    except Exception as exc:  # noqa: BLE001
        logger.error("healthz: cache unavailable: %s", exc)
        ok = False
    checks["cache"] = "ok" if ok else "unavailable"
    healthy = healthy and ok

    if checks["database"] == "ok":
        grace = int(getattr(settings, "HEALTHZ_SCHEDULE_GRACE_SECONDS", 600))
        try:
            overdue = overdue_scheduled_count(grace)
        except DatabaseError:
            overdue = -1
        if overdue == 0:
            checks["scheduled_publishing"] = "ok"
        else:
            checks["scheduled_publishing"] = f"{overdue} overdue" if overdue > 0 else "unknown"
            healthy = False

    from core.media import storage_description

    checks["media"] = storage_description(settings)[0]

    response = JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
    return response
