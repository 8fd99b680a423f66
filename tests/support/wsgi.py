"""Calling a WSGI application (the page cache's layer, config.wsgi) inside a test."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory


@contextmanager
def keeping_the_test_transaction():
    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app, path, method="GET", **extra):
    """(status, headers as a dict with lower-case names, body) of one WSGI request."""
    environ = RequestFactory().generic(method, path, **extra).environ
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status
        seen["headers"] = headers

    with keeping_the_test_transaction():
        result = app(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    headers = {}
    for name, value in seen["headers"]:
        headers.setdefault(name.lower(), value)
    return int(seen["status"].split()[0]), headers, body
