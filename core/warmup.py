"""Work a new web worker would otherwise do on its first requests, done once in gunicorn's
master before it forks (``preload_app``; ``when_ready`` in ``gunicorn.conf.py``).

A worker that restarts (``max_requests``) then starts with every template of the project
compiled and the URL patterns resolved, instead of stalling the requests queued on it while it
compiles them. Nothing here touches the database or the cache server: connections opened
before a fork would be shared by every worker.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


def project_template_names() -> list[str]:
    """Every template of the site folder and of the project's own apps (not third parties')."""
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            folders.append(path / "templates")
    names = set()
    for folder in folders:
        if folder.is_dir():
            for file in folder.rglob("*"):
                if file.suffix in TEMPLATE_SUFFIXES and file.is_file():
                    names.add(file.relative_to(folder).as_posix())
    return sorted(names)


def warm_up() -> int:
    """Compile the project's templates into the cached loader, resolve the URLconf and import
    the cache clients (redis-py alone takes a few hundred milliseconds to import)."""
    engine = engines["django"]
    compiled = 0
    for name in project_template_names():
        try:
            engine.get_template(name)
            compiled += 1
        except (TemplateDoesNotExist, TemplateSyntaxError) as exc:  # a partial, a bad file
            logger.warning("warm-up: template %s not compiled: %s", name, exc)
    get_resolver().url_patterns  # noqa: B018  imports every urls module and view
    get_resolver()._populate()
    for alias in settings.CACHES:
        # A backend object and its client (imports only; redis-py connects on its first command).
        getattr(caches.create_connection(alias), "client", None)
    return compiled
