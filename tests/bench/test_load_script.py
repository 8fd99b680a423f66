"""bench/load.py reads the server's own times from the access log gunicorn.conf.py formats."""

import runpy

from bench.load import parse_variant, server_times
from tests.support.gunicorn import ROOT


def test_server_times_by_kind_from_the_configured_access_log(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT", "5s")
    log_format = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]
    lines = [
        ("/search/?q=KFOR", 45_300),
        ("/news/some-article/", 1_200),
        ("/static/css/site.abc123.css", 300),
        ("/", 2_000),
    ]
    log = tmp_path / "access.log"
    log.write_text(
        "\n".join(
            log_format
            % {
                "h": "127.0.0.1",
                "r": f"GET {path} HTTP/1.1",
                "s": "200",
                "b": "512",
                "D": micros,
                "a": "wrk",
            }
            for path, micros in lines
        )  # fmt: skip
        + "\n[2026-12-03] [WARNING] gc pause 12.0 ms\n"
    )
    assert server_times(log) == {
        "search": [45.3],
        "page": [1.2, 2.0],
        "static file": [0.3],
    }


def test_variants_name_their_environment():
    assert parse_variant("not frozen:GUNICORN_GC_FREEZE=0, WEB_CONCURRENCY=3") == (
        "not frozen",
        {"GUNICORN_GC_FREEZE": "0", "WEB_CONCURRENCY": "3"},
    )
    assert parse_variant("plain") == ("plain", {})
