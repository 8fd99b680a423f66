"""Every configuration bench/serving.py compares runs what its name says, as gunicorn reads it."""

import re

import pytest

from bench.serving import CONFIGS
from tests.support.gunicorn import gunicorn_settings


@pytest.mark.parametrize("name", list(CONFIGS))
def test_configuration_runs_what_its_name_says(name):
    settings = gunicorn_settings(["config.wsgi", "--config", "gunicorn.conf.py"], env=CONFIGS[name])
    kind, shape = re.match(r"(sync|gthread) (\d+(?:x\d+)?)", name).groups()
    workers, _, threads = shape.partition("x")
    # gunicorn would quietly run gthread for "sync" with threads > 1.
    assert settings["worker_class_str"] == kind
    assert settings["workers"] == int(workers)
    assert settings["threads"] == int(threads or 1)
    assert (settings["keepalive"] == 0) == ("no keep-alive" in name)
