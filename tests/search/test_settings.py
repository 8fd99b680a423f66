"""The search backend is chosen through the environment (README "## Search")."""

import json
import os
import subprocess
import sys

import pytest

from tests.support import ROOT

PRINT_BACKENDS = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.WAGTAILSEARCH_BACKENDS))"
)


def backends_with(env_overrides):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("SEARCH_") and k != "DATABASE_URL"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", **env_overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_BACKENDS}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_database_search_is_the_default():
    result = backends_with({})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"default": {"BACKEND": "search.backends"}}


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("opensearch", "wagtail.search.backends.opensearch3"),
        ("OpenSearch2", "wagtail.search.backends.opensearch2"),
        ("elasticsearch", "wagtail.search.backends.elasticsearch9"),
        ("elasticsearch8", "wagtail.search.backends.elasticsearch8"),
    ],
)
def test_opensearch_or_elasticsearch_through_the_environment(name, module):
    result = backends_with(
        {
            "SEARCH_BACKEND": name,
            "SEARCH_URLS": "https://search-1.internal:9200, https://search-2.internal:9200",
            "SEARCH_INDEX_PREFIX": "balkan_",
            "SEARCH_TIMEOUT": "3",
        }
    )
    assert result.returncode == 0, result.stderr
    backend = json.loads(result.stdout)["default"]
    assert backend["BACKEND"] == module
    assert backend["URLS"] == ["https://search-1.internal:9200", "https://search-2.internal:9200"]
    assert backend["INDEX_PREFIX"] == "balkan_"  # Wagtail 8 renamed INDEX to INDEX_PREFIX
    assert backend["TIMEOUT"] == 3


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SEARCH_BACKEND": "solr", "SEARCH_URLS": "http://x"}, "is not one of"),
        ({"SEARCH_BACKEND": "opensearch"}, "needs SEARCH_URLS"),
    ],
)
def test_bad_search_settings_refuse_to_start(env, message):
    result = backends_with(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_default_backend_follows_the_database(db):
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend()).__name__
    expected = {
        "sqlite": "WeightedSQLiteSearchBackend",
        "postgresql": "PostgresSearchBackend",
    }[connection.vendor]
    assert backend == expected
