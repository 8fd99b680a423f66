"""Settings for the test suite (pytest). DATABASE_URL picks SQLite or PostgreSQL."""

import os

# The suite runs with three languages (SITE_LANGUAGES=en runs it as a one-language site).
os.environ.setdefault("SITE_LANGUAGES", "en,sq,sr")
# wagtail-localize's dummy machine translator (no network in tests).
os.environ.setdefault("MACHINE_TRANSLATOR", "dummy")

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"

# The page cache outlives each test's database rollback; tests that check it turn it on.
PAGE_CACHE_ENABLED = False
DATA_CACHE_ENABLED = True  # one process: the local-memory cache is shared by everything
SEARCH_PRECOMPUTED_FILTERS = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run at once in tests; tests of the worker path switch "newsletter" to the database.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "newsletter": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
# Views wait in the buffer until a test pushes and flushes them (no background thread).
ANALYTICS_PUSH_SECONDS = 0
ANALYTICS_LOCAL_FLUSH_SECONDS = 0
