"""A first run's console (scripts/demo: migrate, then load_demo) shows progress, where the site is
and the admin login, not a line per background task; TASKS_LOG_LEVEL=INFO brings those back."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def run(tmp_path, *args, **env):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",  # what scripts/demo runs with
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        **env,
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


def test_a_first_demo_run_prints_no_task_states(tmp_path):
    run(tmp_path, "migrate", "--noinput", "--verbosity", "0")
    output = run(tmp_path, "load_demo")
    lines = [line for line in output.splitlines() if line.strip()]
    assert not [line for line in lines if "state=" in line or line.startswith("Task id=")]
    assert "Traceback" not in output
    assert any(line.startswith("Demo content ready: 12 live articles") for line in lines)
    assert any("Admin account: http://127.0.0.1:8000/admin/" in line for line in lines)
    assert len(lines) <= 5


def test_task_states_are_logged_when_asked(tmp_path):
    script = (
        "import logging; "
        "print(logging.getLevelName(logging.getLogger('django.tasks').getEffectiveLevel()))"
    )
    assert run(tmp_path, "shell", "-c", script).split()[-1] == "WARNING"
    asked = run(tmp_path, "shell", "-c", script, TASKS_LOG_LEVEL="info")
    assert asked.split()[-1] == "INFO"
