"""Local development: DEBUG on, SQLite unless DATABASE_URL says otherwise, console email."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
INTERNAL_IPS = ["127.0.0.1"]

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Newsletter emails go to the console at once, without a worker (TASKS_NEWSLETTER_DB=1 queues
# them in the database for `manage.py db_worker --backend newsletter`, as in production).
if not env_bool("TASKS_NEWSLETTER_DB"):  # noqa: F405
    TASKS = {  # noqa: F405
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "newsletter": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    }

INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]  # noqa: F405

# Edits show up at once while developing; set PAGE_CACHE_ENABLED=1 to try the page cache.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)  # noqa: F405
