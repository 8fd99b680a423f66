"""Uploaded media served from MEDIA_ROOT (core.media.MediaFiles) when there is no bucket."""

import pytest

from core.media import IMMUTABLE, SHORT, MediaFiles, storage_description

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    (root / "images").mkdir(parents=True)
    (root / "original_images").mkdir()
    (root / "images" / "kfor.2e16d0ba.fill-800x450.jpg").write_bytes(JPEG)
    (root / "original_images" / "kfor.jpg").write_bytes(JPEG)
    (root / "images" / ".hidden").write_text("secret")
    (tmp_path / "outside.txt").write_text("not media")
    (root / "images" / "escape.jpg").symlink_to(tmp_path / "outside.txt")

    def django(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"django"]

    app = MediaFiles(django, root, "/media/")

    def get(path, method="GET", **headers):
        environ = {"PATH_INFO": path, "REQUEST_METHOD": method}
        environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
        answer = {}

        def start_response(status, response_headers):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        answer["body"] = b"".join(app(environ, start_response))
        return answer

    return get


def test_a_rendition_is_served_with_its_type_and_a_year_of_caching(media):
    answer = media("/media/images/kfor.2e16d0ba.fill-800x450.jpg")
    assert answer["status"] == 200
    assert answer["body"] == JPEG
    headers = answer["headers"]
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Content-Length"] == str(len(JPEG))
    assert headers["Cache-Control"] == IMMUTABLE
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["ETag"] and headers["Last-Modified"]


def test_originals_are_cached_for_a_day(media):
    assert media("/media/original_images/kfor.jpg")["headers"]["Cache-Control"] == SHORT


def test_a_browser_that_has_the_file_gets_a_304(media):
    first = media("/media/original_images/kfor.jpg")["headers"]
    by_etag = media("/media/original_images/kfor.jpg", if_none_match=first["ETag"])
    assert by_etag["status"] == 304 and by_etag["body"] == b""
    by_date = media("/media/original_images/kfor.jpg", if_modified_since=first["Last-Modified"])
    assert by_date["status"] == 304
    stale = media("/media/original_images/kfor.jpg", if_none_match='"other"')
    assert stale["status"] == 200


def test_byte_ranges(media):
    part = media("/media/original_images/kfor.jpg", range="bytes=4-13")
    assert part["status"] == 206
    assert part["body"] == JPEG[4:14]
    assert part["headers"]["Content-Range"] == f"bytes 4-13/{len(JPEG)}"
    tail = media("/media/original_images/kfor.jpg", range="bytes=-10")
    assert tail["status"] == 206 and tail["body"] == JPEG[-10:]
    beyond = media("/media/original_images/kfor.jpg", range=f"bytes={len(JPEG) + 5}-")
    assert beyond["status"] == 416
    assert beyond["headers"]["Content-Range"] == f"bytes */{len(JPEG)}"


def test_head_sends_headers_only(media):
    answer = media("/media/original_images/kfor.jpg", method="HEAD")
    assert answer["status"] == 200 and answer["body"] == b""
    assert answer["headers"]["Content-Length"] == str(len(JPEG))


@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/media/images",
        "/media/images/",
        "/media/../outside.txt",
        "/media/images/../../outside.txt",
        "/media//etc/passwd",
        "/media/images/.hidden",
        "/media/images/escape.jpg",
        "/media/images/missing.jpg",
        "/media/images/kfor.jpg\x00.png",
    ],
)
def test_no_listing_no_traversal_no_hidden_or_escaping_files(media, path):
    answer = media(path)
    assert answer["status"] == 404
    assert b"not media" not in answer["body"] and b"secret" not in answer["body"]


def test_only_reads_are_allowed(media):
    assert media("/media/original_images/kfor.jpg", method="POST")["status"] == 405


def test_other_paths_go_to_django(media):
    assert media("/news/")["body"] == b"django"


def test_the_operator_is_told_where_media_live(settings, monkeypatch, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    monkeypatch.delenv("MEDIA_ROOT", raising=False)
    monkeypatch.delenv("DYNO", raising=False)
    description, persistent = storage_description(settings)
    assert not persistent and "ephemeral" in description
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path
    assert storage_description(settings) == (f"disk ({tmp_path})", True)
    monkeypatch.setenv("DYNO", "web.1")
    assert storage_description(settings)[1] is False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    assert storage_description(settings) == ("object storage", True)
