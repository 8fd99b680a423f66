"""Uploaded media served from ``MEDIA_ROOT`` when there is no bucket (a PaaS disk or a VPS).

A WSGI layer in front of Django (``config/wsgi.py``): files only (no directory listings), no
path outside ``MEDIA_ROOT`` (``..``, absolute paths, symlinks out of it), the content type from
the file name with ``nosniff``, ``ETag`` and ``Last-Modified`` with 304 answers, single byte
ranges (206/416), and the file sent by the server's ``wsgi.file_wrapper`` (sendfile). Renditions
never change once written (a new image gets a new file name), so they are cached for a year;
originals for a day.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

logger = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=86400"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def storage_description(settings) -> tuple[str, bool]:
    """(what the operator should read, whether the files survive a deploy)."""
    if settings.STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        return "object storage", True
    if os.environ.get("DYNO") or not os.environ.get("MEDIA_ROOT"):
        return (
            f"ephemeral disk ({settings.MEDIA_ROOT}): uploads are lost on redeploy; "
            "set MEDIA_ROOT to a persistent disk or AWS_STORAGE_BUCKET_NAME",
            False,
        )
    return f"disk ({settings.MEDIA_ROOT})", True


class MediaFiles:
    def __init__(self, application, root, prefix: str):
        self.application = application
        self.root = Path(root).resolve()
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.application(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self._answer(start_response, "405 Method Not Allowed", [("Allow", "GET, HEAD")])
        file = self._find(path[len(self.prefix) :])
        if file is None:
            return self._answer(start_response, "404 Not Found")
        return self._serve(environ, start_response, file)

    def _find(self, relative: str) -> Path | None:
        if not relative or "\x00" in relative or "\\" in relative:
            return None
        parts = relative.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            return None
        try:
            candidate = (self.root / relative).resolve()
        except (OSError, ValueError):
            return None
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate

    @staticmethod
    def _answer(start_response, status, headers=()):
        body = status.split(" ", 1)[1].encode()
        start_response(
            status,
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("X-Content-Type-Options", "nosniff"),
                *headers,
            ],
        )
        return [body]

    def _serve(self, environ, start_response, file: Path):
        stat = file.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        last_modified = formatdate(stat.st_mtime, usegmt=True)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        relative = file.relative_to(self.root).as_posix()
        headers = [
            ("Content-Type", content_type),
            ("ETag", etag),
            ("Last-Modified", last_modified),
            ("Accept-Ranges", "bytes"),
            ("Cache-Control", IMMUTABLE if relative.startswith("images/") else SHORT),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox"),
        ]
        if self._not_modified(environ, etag, stat.st_mtime):
            start_response("304 Not Modified", headers)
            return []
        size = stat.st_size
        start, end = 0, size - 1
        status = "200 OK"
        wanted = environ.get("HTTP_RANGE")
        if wanted and self._range_applies(environ, etag, last_modified):
            parsed = self._parse_range(wanted, size)
            if parsed is None:
                headers.append(("Content-Range", f"bytes */{size}"))
                return self._answer(start_response, "416 Range Not Satisfiable", headers[1:])
            start, end = parsed
            status = "206 Partial Content"
            headers.append(("Content-Range", f"bytes {start}-{end}/{size}"))
        length = end - start + 1
        headers.append(("Content-Length", str(length)))
        start_response(status, headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            return []
        handle = file.open("rb")
        handle.seek(start)
        if status == "200 OK" and "wsgi.file_wrapper" in environ:
            return environ["wsgi.file_wrapper"](handle, 64 * 1024)
        return _read(handle, length)

    @staticmethod
    def _not_modified(environ, etag: str, mtime: float) -> bool:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, OverflowError):
                return False
        return False

    @staticmethod
    def _range_applies(environ, etag: str, last_modified: str) -> bool:
        if_range = environ.get("HTTP_IF_RANGE")
        return if_range is None or if_range in (etag, last_modified)

    @staticmethod
    def _parse_range(header: str, size: int) -> tuple[int, int] | None:
        match = _RANGE.match(header.strip())
        if not match or size == 0:
            return None
        first, last = match.groups()
        if not first and not last:
            return None
        if not first:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        else:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        if start > end or start >= size:
            return None
        return start, end


def _read(handle, length: int):
    with handle:
        while length > 0:
            chunk = handle.read(min(64 * 1024, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
