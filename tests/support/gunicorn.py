"""gunicorn's settings as gunicorn itself would read them, without starting a server.

A separate process parses the command line (and the config file it names or
``gunicorn.conf.py`` in the repository) with gunicorn's own loader, in the environment given, and
reports the settings: what a Procfile line would run with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

_READ = """
import json, sys
from gunicorn.app.wsgiapp import WSGIApplication
sys.argv = ["gunicorn", *json.loads(sys.argv[1])]
cfg = WSGIApplication().cfg
out = {name: getattr(cfg, name) for name in cfg.settings}
out["worker_class_str"] = cfg.worker_class_str
print(json.dumps(out, default=repr))
"""


def gunicorn_settings(args: list[str], env: dict[str, str] | None = None) -> dict:
    """The settings ``gunicorn <args>`` would run with, under ``env`` (added to a clean copy of
    this process's environment without any ``GUNICORN_``/``WEB_`` variables)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "WEB_"))}
    base.pop("PORT", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _READ, json.dumps(args)],
        cwd=ROOT, env={**base, **(env or {})}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])
