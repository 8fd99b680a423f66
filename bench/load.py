"""Load test: gunicorn with production settings on loopback, wrk with 64 connections for 60 s.

    .venv/bin/python bench/load.py                       # 64 connections, 60 s, page cache on
    .venv/bin/python bench/load.py --no-page-cache       # every page rendered
    .venv/bin/python bench/load.py --duration 10 --connections 8

It builds a throw-away PostgreSQL database (demo content plus --articles synthetic articles),
runs collectstatic, starts gunicorn on 127.0.0.1:8170 (WEB_CONCURRENCY=2, Redis db 7 as the
cache), warms every URL once, then drives a mix of home, index pages, articles, search and a
static file with wrk and prints throughput, latency percentiles and errors, and, from gunicorn's
access log, the time the server spent on each kind of request (so a slow tail can be told apart
from queueing) and how many garbage-collector pauses of 10 ms or more the workers logged.

``--variant NAME:VAR=VALUE,...`` (repeatable) runs the same mix against the server started with
those environment variables, alternating the variants ``--rounds`` times on one database:

    .venv/bin/python bench/load.py --duration 15 --rounds 2 \\
        --variant "gc frozen:GUNICORN_GC_FREEZE=1" --variant "not frozen:GUNICORN_GC_FREEZE=0"

Loopback only and bounded in time; everything it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

LUA = r"""
local paths = {PATHS}
local i = 0
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def fetch(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def parse_wrk(output: str) -> dict[str, str]:
    result = {}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["throughput"] = f"{float(m.group(1)):.0f} req/s"
    for pct in ("50%", "90%", "99%"):
        if m := re.search(rf"^\s+{re.escape(pct)}\s+(\S+)", output, re.MULTILINE):
            result[f"p{pct[:-1]}"] = m.group(1)
    if m := re.search(r"(\d+) requests in", output):
        result["requests"] = m.group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    result["non-2xx/3xx"] = non2xx.group(1) if non2xx else "0"
    result["socket errors"] = sockets.group(1) if sockets else "none"
    return result


def kind(path: str) -> str:
    if path.startswith("/static/"):
        return "static file"
    if path.startswith("/search/"):
        return "search"
    return "page"


ACCESS = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d+) \S+ (\d+)us')


def server_times(log: Path) -> dict[str, list[float]]:
    """Milliseconds the server spent on each request, by kind, from gunicorn's access log."""
    times: dict[str, list[float]] = {}
    for line in log.read_text(errors="replace").splitlines():
        if m := ACCESS.search(line):
            times.setdefault(kind(m.group(1)), []).append(int(m.group(3)) / 1000)
    return times


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    name, _, assignments = text.partition(":")
    env = {}
    for item in filter(None, (a.strip() for a in assignments.split(","))):
        key, _, value = item.partition("=")
        env[key.strip()] = value.strip()
    return name.strip() or "default", env


def run_variant(args, env: dict, tmp: Path, name: str, extra: dict) -> dict[str, str]:
    log = tmp / "access.log"
    errors = tmp / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py",
         "--access-logfile", str(log)],
        cwd=ROOT,
        env={**env, "GUNICORN_LOG_LEVEL": "warning", "GUNICORN_GC_LOG_MS": "10", **extra},
        stdout=subprocess.DEVNULL,
        stderr=open(errors, "w"),  # noqa: SIM115
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch(args.port, "/healthz/")[0] in (200, 503):
                    break
            except OSError:
                time.sleep(0.3)
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start; see " + str(errors))

        status, home = fetch(args.port, "/")
        _, index = fetch(args.port, "/news/")
        link = re.compile(r'href="(/news/[a-z0-9-]+/)"')
        articles = link.findall(home + index)
        for page in range(2, 6):
            articles += link.findall(fetch(args.port, f"/news/?page={page}")[1])
        static = re.search(r'href="(/static/css/[^"]+)"', home).group(1)
        paths = (
            ["/"] * 4
            + ["/news/", "/news/?page=2", "/news/?page=3"] * 2
            + sorted(set(articles))
            + ["/search/?q=KFOR", "/search/?q=energy"]
            + [static] * 4
        )
        print(
            f"==> [{name}] {len(paths)} URLs in the mix ({len(set(articles))} articles); warming up"
        )
        for path in set(paths):
            fetch(args.port, path)
        script = tmp / "mix.lua"
        script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(f'"{p}"' for p in paths) + "}"))
        log.write_text("")  # only the measured requests
        cmd = [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{min(args.duration, 300)}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://{HOST}:{args.port}",
        ]
        print("==> " + " ".join(cmd) + f"  (load average {load_average()})")
        output = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        print(output)
        result = parse_wrk(output)
        if m := re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", output):
            result["max"] = m.group(1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    time.sleep(0.5)
    for what, values in sorted(server_times(log).items()):
        result[f"server {what}"] = (
            f"p50 {statistics.median(values):.1f} ms, p99 {percentile(values, 99):.1f} ms, "
            f"max {max(values):.0f} ms ({len(values)})"
        )
    pauses = [float(m) for m in re.findall(r"gc pause ([\d.]+) ms", errors.read_text())]
    result["gc pauses >= 10 ms"] = f"{len(pauses)}, longest {max(pauses):.0f} ms" if pauses else "0"
    result["load average"] = load_average()
    return result


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds (max 300)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--articles", type=int, default=100, help="synthetic articles to add")
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-page-cache", action="store_true")
    parser.add_argument(
        "--variant", action="append", default=[], help='"name:VAR=value,VAR2=value" (repeatable)'
    )
    parser.add_argument("--rounds", type=int, default=1, help="times to run every variant")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/issue7"),
        help="a PostgreSQL server; the script uses a database named <name>_bench on it",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    args = parser.parse_args()
    variants = [parse_variant(v) for v in args.variant] or [("default", {})]

    import psycopg

    url = urlsplit(args.database_url)
    if url.hostname not in ("127.0.0.1", "localhost"):
        parser.error("loopback databases only")
    db_name = f"{url.path.lstrip('/') or 'postgres'}_bench"
    admin_dsn = f"host={url.hostname} port={url.port or 5432} user={url.username} dbname=postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')

    tmp = Path(tempfile.mkdtemp(prefix="balkan-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"postgres://{url.username}@{url.hostname}:{url.port or 5432}/{db_name}",
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX=f"bench-{uuid.uuid4().hex[:8]}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        PORT=str(args.port),
        GUNICORN_HOST=HOST,
        WEB_CONCURRENCY=str(args.workers),
        PAGE_CACHE_ENABLED="0" if args.no_page_cache else "1",
        GUNICORN_MAX_REQUESTS="0",
    )
    manage = [sys.executable, "manage.py"]
    print(f"==> building {db_name}: demo content + {args.articles} articles, collectstatic")
    for command in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["load_demo"],
        ["generate_articles", str(args.articles), "--fast"],
    ):
        done = subprocess.run([*manage, *command], cwd=ROOT, env=env, capture_output=True)
        if done.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-3000:]}")

    failed = False
    summaries = []
    try:
        for round_number in range(1, args.rounds + 1):
            for name, extra in variants:
                result = run_variant(args, env, tmp, name, extra)
                summaries.append((round_number, name, result))
                failed |= result["non-2xx/3xx"] != "0" or result["socket errors"] != "none"
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
    mode = "page cache off" if args.no_page_cache else "page cache on"
    for round_number, name, result in summaries:
        print(f"==> summary, round {round_number}, {name} ({mode}, {args.workers} gunicorn "
              "workers, PostgreSQL, Redis):")  # fmt: skip
        for key, value in result.items():
            print(f"    {key:19} {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
