"""Which release of the code is serving. Cached pages and fragments are kept per release, so a
deploy that changes a template, a translation, a style sheet or a dependency never shows what
the previous release rendered, even while a platform runs the two side by side.

The release is ``CACHE_RELEASE`` when set (a platform's release number, say), else a fingerprint
of the files that shape a page: the project's code, templates, translations and static sources,
and ``uv.lock`` (tests, benchmarks, docs and uploads left out). Changes to content are the data
cache's generation's business (``caching.datacache``), shared by every release: a publish made
through the new release is seen at once by the old one too.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

# Folders of the project that never change what a reader is served.
SKIPPED = {"bench", "docs", "media", "node_modules", "scripts", "staticfiles", "tests"}
# The kinds of file that can (a local SQLite database or a log file never does).
SOURCES = {
    ".py", ".html", ".txt", ".xml", ".json", ".yaml", ".toml", ".lock", ".po", ".mo",
    ".css", ".js", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2",
}  # fmt: skip


@functools.cache
def release() -> str:
    return settings.CACHE_RELEASE or fingerprint(Path(settings.BASE_DIR))


def fingerprint(root: Path) -> str:
    """A short digest of every file under ``root`` that a page can depend on."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and name not in SKIPPED and name != "__pycache__"
        )
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.suffix not in SOURCES:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
