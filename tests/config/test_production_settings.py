"""Production settings read the platform's environment: cache, media storage, CDN, database."""

import os

import pytest

from tests.support import ROOT
from tests.support.processes import run_with

SECRET = {"SECRET_KEY": "s" * 60}


def settings_line(env, expression):
    result = run_with(
        {**SECRET, **env}, f"from django.conf import settings as s; print(repr({expression}))"
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_database_connections_are_persistent_checked_and_fail_fast():
    line = settings_line(
        {"DATABASE_URL": "postgres://u:p@db.internal:5432/news"},
        "(s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'],"
        " s.DATABASES['default']['OPTIONS']['connect_timeout'])",
    )
    assert line == "(600, True, 2)"


def test_redis_url_selects_django_redis_that_ignores_outages():
    line = settings_line(
        {"REDIS_URL": "redis://cache.internal:6379/0"},
        "(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'],"
        " s.CACHES['default']['OPTIONS']['IGNORE_EXCEPTIONS'])",
    )
    assert line == "('caching.backends.GuardedRedisCache', 'redis://cache.internal:6379/0', True)"


def test_without_redis_the_cache_is_shared_through_the_database():
    line = settings_line({"REDIS_URL": ""}, "s.CACHES['default']['BACKEND']")
    assert line == "'django.core.cache.backends.db.DatabaseCache'"


def test_media_goes_to_s3_compatible_storage_when_a_bucket_is_set():
    assert settings_line({}, "s.STORAGES['default']['BACKEND']") == (
        "'django.core.files.storage.FileSystemStorage'"
    )
    env = {
        "AWS_STORAGE_BUCKET_NAME": "balkan-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.eu-central.example",
        "AWS_S3_CUSTOM_DOMAIN": "media.balkanreport.example",
    }
    line = settings_line(
        env,
        "(s.STORAGES['default']['BACKEND'], s.AWS_STORAGE_BUCKET_NAME, s.AWS_S3_FILE_OVERWRITE,"
        " s.AWS_QUERYSTRING_AUTH, 'https://media.balkanreport.example' in s.SECURE_CSP['img-src'])",
    )
    assert line == "('storages.backends.s3.S3Storage', 'balkan-media', False, False, True)"


def test_a_cdn_in_the_environment_turns_on_frontend_cache_purging():
    assert settings_line({}, "s.WAGTAILFRONTENDCACHE") == "{}"
    env = {
        "FRONTEND_CACHE": "cloudflare",
        "CLOUDFLARE_API_TOKEN": "token",
        "CLOUDFLARE_ZONE_ID": "zone",
    }
    line = settings_line(
        env,
        "(s.WAGTAILFRONTENDCACHE['cloudflare']['ZONEID'],"
        " 'wagtail.contrib.frontend_cache' in s.INSTALLED_APPS, s.PAGE_CACHE_CDN_MAX_AGE)",
    )
    assert line == "('zone', True, 3600)"
    bad = run_with({**SECRET, "FRONTEND_CACHE": "akamai"})
    assert bad.returncode != 0
    assert "FRONTEND_CACHE must be" in bad.stderr


def test_email_and_admin_base_url_come_from_the_environment():
    env = {
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "1",
        "WAGTAILADMIN_BASE_URL": "https://balkanreport.example",
    }
    line = settings_line(
        env,
        "(s.MAILERS['default']['OPTIONS']['host'], s.MAILERS['default']['OPTIONS']['port'],"
        " s.MAILERS['default']['OPTIONS']['use_tls'], s.WAGTAILADMIN_BASE_URL)",
    )
    assert line == "('smtp.example.org', 587, True, 'https://balkanreport.example')"


def test_email_url_is_parsed_by_dj_email_url_with_smtps_meaning_implicit_tls():
    mailer = "s.MAILERS['default']"
    line = settings_line(
        {"EMAIL_URL": "smtp://user%40site:p%26ss@smtp.example.org:587?tls=1&timeout=7"},
        f"({mailer}['BACKEND'], sorted({mailer}['OPTIONS'].items()))",
    )
    assert line == (
        "('django.core.mail.backends.smtp.EmailBackend', [('host', 'smtp.example.org'),"
        " ('password', 'p&ss'), ('port', 587), ('timeout', 7), ('use_ssl', False),"
        " ('use_tls', True), ('username', 'user@site')])"
    )
    line = settings_line(
        {"EMAIL_URL": "smtps://u:p@smtp.example.org"},
        f"({mailer}['OPTIONS']['port'], {mailer}['OPTIONS']['use_ssl'],"
        f" {mailer}['OPTIONS']['use_tls'], {mailer}['OPTIONS']['timeout'])",
    )
    assert line == "(465, True, False, 10)"
    line = settings_line({"EMAIL_URL": "console:"}, mailer)
    assert line == ("{'BACKEND': 'django.core.mail.backends.console.EmailBackend', 'OPTIONS': {}}")


def test_web_processes_cancel_slow_queries_and_commands_do_not():
    expression = "s.DATABASES['default']['OPTIONS'].get('options')"
    postgres = {"DATABASE_URL": "postgres://u:p@db.internal:5432/news"}
    assert settings_line(postgres, expression) == "None"  # release, worker, manage.py
    web = {**postgres, "DATABASE_STATEMENT_TIMEOUT": "5s"}  # what gunicorn.conf.py sets
    assert settings_line(web, expression) == "'-c statement_timeout=5s'"
    gunicorn_conf = (ROOT / "gunicorn.conf.py").read_text()
    assert 'os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT"' in gunicorn_conf


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)
def test_a_stalled_query_is_cancelled_with_a_database_error():
    """The option the web processes get makes PostgreSQL cancel a query that runs too long."""
    snippet = (
        "from django.db import connection, DatabaseError\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(5)')\n"
        "    print('waited')\n"
        "except DatabaseError as exc:\n"
        "    print(type(exc).__name__)"
    )
    code = f"exec({snippet!r})"
    result = run_with(
        {
            **SECRET,
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "DATABASE_STATEMENT_TIMEOUT": "300ms",
        },
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OperationalError"
