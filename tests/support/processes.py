"""Run Django in a subprocess with production settings and a chosen environment."""

import os
import subprocess
import sys

from tests.support import ROOT


def run_with(env_overrides, code="from django.conf import settings; print(settings.DEBUG)"):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
