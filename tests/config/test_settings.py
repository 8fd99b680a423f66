"""Production settings come from the environment and refuse to start without a secret key."""

import os

from tests.support import ROOT  # noqa: F401
from tests.support.processes import run_with


def test_production_refuses_to_start_without_secret_key():
    result = run_with({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_reads_the_environment():
    code = (
        "from django.conf import settings as s; "
        "db = s.DATABASES['default']; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, db['ENGINE'], db['NAME'], "
        "db['HOST'], s.STORAGES['staticfiles']['BACKEND'], s.MIDDLEWARE[1])"
    )
    result = run_with(
        {
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "balkanreport.example, www.balkanreport.example",
            "CSRF_TRUSTED_ORIGINS": "https://balkanreport.example",
            "DATABASE_URL": "postgres://user:pw@db.internal:5432/news",
        },
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['balkanreport.example',",
        "'www.balkanreport.example']",
        "['https://balkanreport.example']",
        "django.db.backends.postgresql",
        "news",
        "db.internal",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_sqlite_is_the_embedded_default():
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    else:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
