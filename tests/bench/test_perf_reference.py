"""bench/perf.py's reference server is a plain ``gunicorn -k sync``: none of gunicorn.conf.py."""

from bench.perf import reference_command
from tests.support.gunicorn import gunicorn_settings


def test_reference_is_plain_sync_gunicorn(tmp_path):
    empty = tmp_path / "plain.py"
    empty.write_text("")
    command = reference_command(3, 8999, str(empty))
    assert command[1:4] == ["-m", "gunicorn", "config.wsgi"]
    settings = gunicorn_settings(command[3:], env={"WEB_CONCURRENCY": "7"})
    assert settings["worker_class_str"] == "sync"
    assert settings["workers"] == 3
    assert settings["bind"] == ["127.0.0.1:8999"]
    # Nothing of the Procfile's config: gunicorn's own defaults.
    assert settings["preload_app"] is False
    assert settings["threads"] == 1
    assert settings["max_requests"] == 0


def test_procfile_server_reads_gunicorn_conf():
    settings = gunicorn_settings(["config.wsgi", "--config", "gunicorn.conf.py"])
    assert settings["preload_app"] is True
    assert settings["max_requests"] > 0
