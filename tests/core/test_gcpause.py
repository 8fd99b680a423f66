"""The garbage-collector hooks of the web workers (core/gcpause.py, gunicorn.conf.py)."""

import gc

import pytest

from core.gcpause import PauseLog, freeze_loaded_app, install_pause_log


@pytest.fixture
def clean_gc():
    callbacks = list(gc.callbacks)
    yield
    gc.callbacks[:] = callbacks
    gc.unfreeze()


def test_freezing_moves_the_loaded_app_out_of_the_collectors_reach(clean_gc):
    before = len(gc.get_objects())
    frozen = freeze_loaded_app()
    assert frozen >= before * 0.9  # the whole loaded app: nothing left for a collection to walk
    assert len(gc.get_objects()) < before * 0.1


def test_pause_log_reports_collections_over_the_threshold(clean_gc):
    reports = []
    log = install_pause_log(0.000001, reports.append)
    assert log in gc.callbacks
    gc.collect(2)
    assert reports
    assert reports[-1].startswith("gc pause ")
    assert "(generation 2, " in reports[-1]


def test_pause_log_stays_quiet_under_the_threshold_and_is_installed_once(clean_gc):
    reports = []
    install_pause_log(60_000, reports.append)
    install_pause_log(60_000, reports.append)
    assert sum(isinstance(c, PauseLog) for c in gc.callbacks) == 1
    gc.collect()
    assert reports == []


def test_no_pause_log_unless_asked(clean_gc):
    install_pause_log(5, print)
    assert install_pause_log(0, print) is None
    assert not any(isinstance(c, PauseLog) for c in gc.callbacks)
