"""Production settings: everything secret or site-specific comes from the environment."""

import os
import warnings

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Generate one (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))') and set it in the environment."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Persistent connections, checked before reuse (a restarted database is reconnected by itself).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "600"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Without REDIS_URL, a cache every process and dyno shares: a table in the database
# (created by `manage.py createcachetable` in the release phase).
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
        }
    }

# Uploaded media on S3-compatible object storage when a bucket is configured (a PaaS
# filesystem is wiped on every deploy); otherwise served from MEDIA_ROOT (a persistent disk:
# Render disks, Fly volumes, Dokku storage, a VPS) by core.media in config/wsgi.py.
MEDIA_SERVE = not os.environ.get("AWS_STORAGE_BUCKET_NAME")
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}  # noqa: F405
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = os.environ.get("AWS_DEFAULT_ACL") or None
    # Public URLs by default: signed ones would expire inside cached pages.
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "max-age=86400, public"}
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "media")
    _media_origin = (
        f"https://{AWS_S3_CUSTOM_DOMAIN}"
        if AWS_S3_CUSTOM_DOMAIN
        else (AWS_S3_ENDPOINT_URL or "https://*.amazonaws.com")
    )
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], _media_origin]  # noqa: F405
    SECURE_CSP["media-src"] = [*SECURE_CSP["media-src"], _media_origin]  # noqa: F405

# A CDN in front of the site: wagtail.contrib.frontend_cache purges pages on publish
# (caching.invalidation adds the index, tag, author pages and feeds).
_cdn = os.environ.get("FRONTEND_CACHE", "").lower()
if _cdn == "cloudflare":
    WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"],
            "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        }
    }
elif _cdn == "cloudfront":
    WAGTAILFRONTENDCACHE = {
        "cloudfront": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
        }
    }
elif _cdn == "http":  # Varnish, Squid or any proxy that accepts PURGE
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_LOCATION"],
        }
    }
elif _cdn:
    raise ImproperlyConfigured("FRONTEND_CACHE must be cloudflare, cloudfront or http.")
if _cdn:
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
    # The CDN is purged on publish, so it may keep pages longer.
    PAGE_CACHE_CDN_MAX_AGE = int(os.environ.get("PAGE_CACHE_CDN_MAX_AGE", "3600"))

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Behind the platform's TLS-terminating proxy, which appends the client to X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # platform health checks speak plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"


def _mailer_from_env() -> dict:
    """EMAIL_URL (smtp://user:password@host:587?tls=1, smtps://... for implicit TLS, console:,
    file:/path...; parsed by dj-email-url) or the EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER /
    EMAIL_HOST_PASSWORD / EMAIL_USE_TLS / EMAIL_USE_SSL variables."""
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    backend = os.environ.get("EMAIL_BACKEND")
    timeout = int(os.environ.get("EMAIL_TIMEOUT", "10"))
    if url := os.environ.get("EMAIL_URL"):
        with warnings.catch_warnings():  # dj-email-url warns that it reads smtps as STARTTLS
            warnings.simplefilter("ignore", UserWarning)
            parsed = dj_email_url.parse(url)
        if url.lower().startswith("smtps:"):  # here smtps has always meant implicit TLS (465)
            parsed.update(EMAIL_USE_SSL=True, EMAIL_USE_TLS=False)
            parsed["EMAIL_PORT"] = parsed["EMAIL_PORT"] or 465
        if (chosen := parsed.get("EMAIL_BACKEND", smtp)) != smtp:
            # console:, memory:, dummy: take no SMTP options; file: a path.
            options = {"file_path": parsed["EMAIL_FILE_PATH"]} if url.startswith("file:") else {}
            return {"BACKEND": backend or chosen, "OPTIONS": options}
        options = {
            "host": parsed["EMAIL_HOST"] or "localhost",
            "port": parsed["EMAIL_PORT"] or 25,
            "username": parsed["EMAIL_HOST_USER"] or "",
            "password": parsed["EMAIL_HOST_PASSWORD"] or "",
            "use_tls": parsed["EMAIL_USE_TLS"],
            "use_ssl": parsed["EMAIL_USE_SSL"],
            "timeout": parsed["EMAIL_TIMEOUT"] or timeout,
        }
    else:
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "use_ssl": env_bool("EMAIL_USE_SSL"),
            "timeout": timeout,
        }
    return {"BACKEND": backend or smtp, "OPTIONS": options}


MAILERS = {"default": _mailer_from_env()}

# Newsletter bounce/complaint webhooks (docs/newsletter.md): Postmark basic auth, the Mailgun
# webhook signing key, and the SNS topics SES reports to (empty: any topic with a valid signature).
NEWSLETTER_POSTMARK_WEBHOOK_USER = os.environ.get("NEWSLETTER_POSTMARK_WEBHOOK_USER", "")
NEWSLETTER_POSTMARK_WEBHOOK_PASSWORD = os.environ.get("NEWSLETTER_POSTMARK_WEBHOOK_PASSWORD", "")
NEWSLETTER_MAILGUN_SIGNING_KEY = os.environ.get("NEWSLETTER_MAILGUN_SIGNING_KEY", "")
NEWSLETTER_SES_TOPIC_ARNS = [
    arn.strip() for arn in os.environ.get("NEWSLETTER_SES_TOPIC_ARNS", "").split(",") if arn.strip()
]

SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "http://localhost"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # A dead database is reported once per request by core, not with a traceback per middleware.
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Every background task logs RUNNING/SUCCESSFUL at INFO: too chatty for production logs
        # unless asked for with TASKS_LOG_LEVEL=INFO (see base.py).
        "django.tasks": {"level": TASKS_LOG_LEVEL},  # noqa: F405
        "django_tasks": {"level": TASKS_LOG_LEVEL},  # noqa: F405
    },
}
