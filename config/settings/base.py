"""Settings shared by every environment.

The Python configuration lives in ``config/`` because a package cannot be called ``site``
(it would collide with Python's own ``site`` module). Site-wide templates and static files
live in the top-level ``site/`` folder, which deliberately has no ``__init__.py``.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from languages.conf import language_settings
from languages.machine import translator_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "core",
    "caching",
    "home",
    "news",
    "demo",
    "search",
    "wordpress_import",
    "languages",
    "newsletter",
    "live",
    "analytics",
    "editorial",
    "wagtail_localize",
    "wagtail_localize.locales",  # Wagtail's locale admin, with wagtail-localize's additions
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.api.v3",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.PathContentSecurityPolicyMiddleware",
    "caching.pagecache.PageCacheMiddleware",
    "languages.script.SerbianScriptMiddleware",  # after the page cache: a copy per script
    "caching.middleware.DataCacheMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.LoginThrottleMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "wordpress_import.middleware.WordPressIdRedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "django.template.context_processors.csp",
                "languages.context_processors.language",
            ],
            # {% translate %} and {{ n|grouped }} in every template (docs/translations.md).
            "builtins": ["django.templatetags.i18n", "languages.templatetags.language_tags"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default for a first run; DATABASE_URL selects anything else
# (postgres://user@host:5432/name in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server is unreachable (libpq's minimum is 2 s; a stopped server is
    # refused at once) so readers get the 503 page instead of a hanging request.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
    )
    # A stalled database must not hold a reader's request: web processes (gunicorn.conf.py
    # sets DATABASE_STATEMENT_TIMEOUT, 5 s by default) cancel longer queries and answer 503;
    # release, worker and management commands run without a limit unless it is set.
    if os.environ.get("DATABASE_STATEMENT_TIMEOUT"):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={os.environ['DATABASE_STATEMENT_TIMEOUT']}"
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Belgrade")
USE_I18N = True
# Interface strings (locale/<lang>/LC_MESSAGES) and dates and numbers per language.
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["languages.formats"]
USE_TZ = True

# Languages (languages app, docs/languages.md): SITE_LANGUAGES=en,sq,sr adds Albanian (/sq/) and
# Serbian (/sr/ Cyrillic, /sr-latn/ Latin) to English (unprefixed). One language, the default,
# changes nothing: Wagtail's i18n off, today's URLs, no language UI.
_languages = language_settings(os.environ.get("SITE_LANGUAGES", "en"))
SITE_LANGUAGES = _languages["SITE_LANGUAGES"]
WAGTAIL_I18N_ENABLED = _languages["WAGTAIL_I18N_ENABLED"]
# Django language code -> BCP 47 tag (en, sq, sr-Cyrl, sr-Latn): feeds and sitemaps use it.
LANGUAGE_TAGS = _languages["LANGUAGE_TAGS"]
if WAGTAIL_I18N_ENABLED:
    LANGUAGES = _languages["LANGUAGES"]
    WAGTAIL_CONTENT_LANGUAGES = _languages["WAGTAIL_CONTENT_LANGUAGES"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("caching.pagecache.PageCacheMiddleware"),
        "languages.routing.PathLanguageMiddleware",
    )

# Translating in the admin (wagtail-localize, docs/languages.md#translating-in-the-admin): a new
# translation starts as a draft that goes through review like any page, never live at once.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# The machine translation first draft: MACHINE_TRANSLATOR=libretranslate | deepl | dummy, keys
# by environment variables (languages/machine.py, docs/translations.md#machine-translation).
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_settings(os.environ)

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Serve uploaded media from MEDIA_ROOT in the WSGI entry point (core.media); development
# serves them through Django (DEBUG), production when there is no bucket.
MEDIA_SERVE = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "The Balkan Report"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# WAGTAILSEARCH_BACKENDS: see "Search" at the end of this file.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True

# Serbian in both scripts (languages.script, docs/translations.md): the path prefix of each
# script's copy of the Serbian pages, and names that stay in Latin on Cyrillic pages.
SERBIAN_SCRIPT_PREFIXES = {"/sr/": "cyrillic", "/sr-latn/": "latin"}
SERBIAN_KEEP_LATIN = env_list("SERBIAN_KEEP_LATIN") or ["The Balkan Report"]

DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "The Balkan Report <newsletter@balkanreport.example>"
)

# Blocks other apps add to article bodies, after news's own (name: dotted path of the block).
NEWS_BODY_EXTRA_BLOCKS = {"subscribe": "newsletter.blocks.SubscribeBlock"}
# Page types other apps add under the news index, after articles.
NEWS_INDEX_EXTRA_PAGE_TYPES = ["live.LivePage"]
# How often a live page's script asks for new updates (docs/live.md).
LIVE_POLL_SECONDS = float(os.environ.get("LIVE_POLL_SECONDS", "15"))

# --- Infrastructure (core app): caching, failure handling, security headers ----------------

# REDIS_URL selects a shared Redis cache (pages, login throttle, Wagtail's own caches). Without
# it each process keeps a local in-memory cache (config.settings.production picks a shared
# database cache instead). A dead Redis means "no cache", never an error.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis behind the process's circuit breaker (a stalled Redis costs one
            # timeout per CACHE_RETRY_AFTER_SECONDS, not one per call).
            "BACKEND": "caching.backends.GuardedRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 600,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "balkan"),
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False  # caching.guard logs when the breaker opens
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "balkan-report",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Caching (the caching app, docs/caching.md): what is cached and what invalidates what.
CACHE_MAP = "config.cache_map"
# The cache both caches use, and how long a failed cache server is left alone.
CACHE_ALIAS = "default"
CACHE_RETRY_AFTER_SECONDS = 5
# A CDN in front of the site (production settings fill it from FRONTEND_CACHE).
WAGTAILFRONTENDCACHE: dict = {}

# Cache of published reader data: sites, settings, routes, memoised listings, fragments.
# On by default with Redis only: a per-process cache would not hear of changes made by other
# processes (the task worker), and with the database cache every read is a query anyway.
DATA_CACHE_ENABLED = env_bool("DATA_CACHE_ENABLED", bool(REDIS_URL))
DATA_CACHE_SECONDS = int(os.environ.get("DATA_CACHE_SECONDS", "3600"))
# Each worker also keeps what it read from the data cache in its own memory (the generation is
# still read from Redis once per request, so changes show at once): at most this long per entry
# (0: off) and this many bytes per process.
DATA_CACHE_LOCAL_SECONDS = int(os.environ.get("DATA_CACHE_LOCAL_SECONDS", "60"))
DATA_CACHE_LOCAL_BYTES = int(os.environ.get("DATA_CACHE_LOCAL_MB", "32")) * 1024 * 1024
# Rendered pages and fragments are kept per release of the code (caching.release): empty, the
# release is a fingerprint of the code, templates, translations, static sources and uv.lock.
CACHE_RELEASE = os.environ.get("CACHE_RELEASE", "")
# Paths whose requests always compute afresh: editors must see what they just changed, and the
# health check must ask the database itself.
DATA_CACHE_BYPASS_PATHS = ("/admin/", "/django-admin/", "/healthz/", "/api/")
# A search's matches and count stay in the data cache this long.
SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", "300"))
# PostgreSQL text search configuration per language (articles are indexed with their own
# language's; "simple" where PostgreSQL has none). Changing it needs `manage.py update_index`.
SEARCH_TEXT_CONFIGS = {"en": "english", "sq": "simple", "sr": "simple"}
SEARCH_TEXT_CONFIG_DEFAULT = "english"
# Search filters by precomputed lists of readable article ids (worth it only when they are kept
# in the shared data cache; otherwise the database filters).
SEARCH_PRECOMPUTED_FILTERS = DATA_CACHE_ENABLED

# Full-page cache for anonymous readers (caching.pagecache).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_CDN_MAX_AGE = int(os.environ.get("PAGE_CACHE_CDN_MAX_AGE", "60"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "60"))
PAGE_CACHE_STALE_IF_ERROR = int(os.environ.get("PAGE_CACHE_STALE_IF_ERROR", "86400"))
PAGE_CACHE_EXCLUDED_PATHS = (
    "/admin/",
    "/django-admin/",
    "/healthz/",
    "/documents/",
    "/static/",
    "/api/",
)
PAGE_CACHE_QUERY_PARAMS = ("page", "after")  # after: a live page's polling endpoint
PAGE_CACHE_IGNORED_PARAMS = ("utm_", "fbclid", "gclid", "mc_", "src")  # src: analytics source
PAGE_CACHE_BROWSER_MAX_AGE = 0
# Functions (dotted paths) naming the other paths that show the same page: purging one purges
# them too (the Serbian pages in Latin and in Cyrillic).
PAGE_CACHE_PATH_ALIASES = ["languages.script.path_aliases"]
SERVICE_UNAVAILABLE_RETRY_AFTER = 30
HEALTHZ_SCHEDULE_GRACE_SECONDS = int(os.environ.get("HEALTHZ_SCHEDULE_GRACE_SECONDS", "600"))

# Readers' numbers (analytics app, docs/analytics.md): auto counts in the WSGI layer, or with a
# beacon when a CDN answers pages (FRONTEND_CACHE); views wait in Redis until the scheduler.
ANALYTICS_MODE = os.environ.get("ANALYTICS_MODE", "auto")
ANALYTICS_REDIS_URL = os.environ.get("ANALYTICS_REDIS_URL", REDIS_URL)
ANALYTICS_MOST_READ_SECONDS = int(os.environ.get("ANALYTICS_MOST_READ_SECONDS", "300"))

# Admin sign-in throttle (core.middleware.LoginThrottleMiddleware).
LOGIN_THROTTLE_WINDOW = int(os.environ.get("LOGIN_THROTTLE_WINDOW", "900"))
LOGIN_THROTTLE_MAX_PER_IP = int(os.environ.get("LOGIN_THROTTLE_MAX_PER_IP", "20"))
LOGIN_THROTTLE_MAX_PER_USER = int(os.environ.get("LOGIN_THROTTLE_MAX_PER_USER", "5"))
# The client address (core.clientip: login throttle, newsletter rate limits): how many reverse
# proxies in front of the site append to X-Forwarded-For (Heroku's, Render's router: 1; 0 uses
# REMOTE_ADDR). CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR, the older variable, still means 1.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT") or (1 if os.environ.get("CLIENT_IP_HEADER") else 0)
)

# Content-Security-Policy (Django's built-in middleware). Reader pages allow no inline code
# except with a per-response nonce; embeds may frame any HTTPS page.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "frame-src": [CSP.SELF, "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
# The Wagtail admin still needs inline styles and scripts in places, and previews in frames.
SECURE_CSP_ADMIN = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF, "https://releases.wagtail.org"],  # Wagtail's upgrade notice
    "media-src": [CSP.SELF, "https:"],
    "frame-src": [CSP.SELF, "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no editor e-mail hashes sent to a third party

# Background tasks. One TASKS setting is read by Django's django.tasks AND by the django_tasks
# backport that Wagtail 8.0 still imports (its @task builds the Task class of the configured
# backend, so both work with either backend). Wagtail's own small tasks (reference and search
# index updates) stay in-process on "default", as before. The newsletter's tasks go to the
# database queue on the "newsletter" alias, run by `manage.py db_worker --backend newsletter`
# (the Procfile's worker; django-tasks-db).
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "newsletter": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Logging: Django's defaults (console when DEBUG, errors mailed to ADMINS), except that every
# background task's RUNNING/SUCCESSFUL line (django.tasks logs them at INFO: some 300 on a first
# `manage.py load_demo`) is shown only when asked: TASKS_LOG_LEVEL=INFO (or DEBUG) brings them
# back. Production has its own LOGGING (config/settings/production.py) with the same switch.
TASKS_LOG_LEVEL = os.environ.get("TASKS_LOG_LEVEL", "").strip().upper() or "WARNING"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {
        "django.tasks": {"level": TASKS_LOG_LEVEL},
        "django_tasks": {"level": TASKS_LOG_LEVEL},  # the backport Wagtail still imports
    },
}

# --- Search (README "## Search") -------------------------------------------------------------
# By default Wagtail's database backend (PostgreSQL full-text search, SQLite FTS5), through
# search.backends. A site that outgrows it sets SEARCH_BACKEND=opensearch (or elasticsearch, or
# an exact module name below) and SEARCH_URLS, installs the client (opensearch-py or
# elasticsearch) and runs `manage.py update_index` once.
SEARCH_BACKEND_MODULES = {
    "opensearch": "opensearch3",
    "opensearch2": "opensearch2",
    "opensearch3": "opensearch3",
    "elasticsearch": "elasticsearch9",
    "elasticsearch7": "elasticsearch7",
    "elasticsearch8": "elasticsearch8",
    "elasticsearch9": "elasticsearch9",
}


def search_backends() -> dict:
    from django.core.exceptions import ImproperlyConfigured

    name = os.environ.get("SEARCH_BACKEND", "").strip().lower()
    if name in {"", "database", "db"}:
        return {"default": {"BACKEND": "search.backends"}}
    if name not in SEARCH_BACKEND_MODULES:
        choices = ", ".join(["database", *SEARCH_BACKEND_MODULES])
        raise ImproperlyConfigured(f"SEARCH_BACKEND={name!r} is not one of: {choices}.")
    urls = env_list("SEARCH_URLS")
    if not urls:
        raise ImproperlyConfigured(f"SEARCH_BACKEND={name} needs SEARCH_URLS (comma-separated).")
    return {
        "default": {
            "BACKEND": f"wagtail.search.backends.{SEARCH_BACKEND_MODULES[name]}",
            "URLS": urls,
            "INDEX_PREFIX": os.environ.get("SEARCH_INDEX_PREFIX", "balkanreport_"),
            "TIMEOUT": int(os.environ.get("SEARCH_TIMEOUT", "5")),
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }


WAGTAILSEARCH_BACKENDS = search_backends()
