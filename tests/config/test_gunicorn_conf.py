"""gunicorn.conf.py: what the Procfile's web process runs with, read by gunicorn itself."""

import gc
import logging
import runpy
from types import SimpleNamespace

import pytest

from core.gcpause import PauseLog
from tests.support.gunicorn import ROOT, gunicorn_settings

PROCFILE_ARGS = ["config.wsgi", "--config", "gunicorn.conf.py"]


def test_procfile_runs_the_config():
    assert (
        "web: gunicorn config.wsgi --config gunicorn.conf.py\n" in (ROOT / "Procfile").read_text()
    )


def test_defaults_are_the_measured_choice():
    """docs/operations.md (web process): gthread 2 x 4, connections kept alive longer than the
    router's idle timeout (Heroku Router 2.0: 90 s), 1000 connections a worker."""
    settings = gunicorn_settings(PROCFILE_ARGS)
    assert settings["worker_class_str"] == "gthread"
    assert (settings["workers"], settings["threads"]) == (2, 4)
    assert settings["keepalive"] > 90
    assert settings["worker_connections"] - settings["threads"] >= 64  # kept alive per worker
    assert settings["bind"] == ["0.0.0.0:8000"]


def test_sync_workers_run_one_thread():
    settings = gunicorn_settings(PROCFILE_ARGS, env={"GUNICORN_WORKER_CLASS": "sync"})
    assert (settings["worker_class_str"], settings["threads"]) == ("sync", 1)


def test_worker_options_come_from_the_environment():
    settings = gunicorn_settings(
        PROCFILE_ARGS,
        env={
            "PORT": "5123",
            "WEB_CONCURRENCY": "5",
            "GUNICORN_WORKER_CLASS": "gthread",
            "GUNICORN_THREADS": "3",
            "GUNICORN_KEEPALIVE": "75",
            "GUNICORN_MAX_REQUESTS": "123",
        },
    )
    assert settings["bind"] == ["0.0.0.0:5123"]
    assert settings["worker_class_str"] == "gthread"
    assert (settings["workers"], settings["threads"], settings["keepalive"]) == (5, 3, 75)
    assert settings["max_requests"] == 123


@pytest.fixture
def conf(monkeypatch):
    """gunicorn.conf.py's namespace, read with the environment given to it."""
    callbacks = list(gc.callbacks)
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "5s")  # it sets a default; undo after

    def read(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    yield read
    gc.callbacks[:] = callbacks
    gc.unfreeze()


def fake_server(preload=True):
    log = logging.getLogger("test.gunicorn")
    return SimpleNamespace(cfg=SimpleNamespace(preload_app=preload), log=log)


def test_master_freezes_the_loaded_app_before_forking(conf):
    gc.unfreeze()
    conf()["when_ready"](fake_server())
    assert gc.get_freeze_count() > 10_000


def test_freezing_can_be_turned_off(conf):
    gc.unfreeze()
    conf(GUNICORN_GC_FREEZE="0")["when_ready"](fake_server())
    assert gc.get_freeze_count() == 0


def test_workers_log_gc_pauses_only_when_asked(conf):
    worker = SimpleNamespace(log=SimpleNamespace(warning=print))
    conf()["post_fork"](fake_server(), worker)
    assert not any(isinstance(c, PauseLog) for c in gc.callbacks)
    conf(GUNICORN_GC_LOG_MS="20")["post_fork"](fake_server(), worker)
    (log,) = [c for c in gc.callbacks if isinstance(c, PauseLog)]
    assert log.threshold == 0.02
    assert log.report is print
