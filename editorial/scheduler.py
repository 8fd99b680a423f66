"""Scheduled publishing, run by the scheduler every minute (Wagtail's ``publish_scheduled``).

A pass publishes revisions whose go-live time has passed and unpublishes pages whose expiry time
has passed. It is idempotent (a published revision loses its go-live approval), so overlapping or
repeated runs publish once.
"""

from io import StringIO

from django.core.management import call_command


def publish_scheduled_pages() -> str | None:
    out = StringIO()
    call_command("publish_scheduled", stdout=out, stderr=out)
    return out.getvalue().strip() or None
