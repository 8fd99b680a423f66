#!/usr/bin/env python
"""Worker options side by side: which gunicorn worker class, workers, threads and keep-alive.

Each configuration is the Procfile's own server (``gunicorn.conf.py``) with its environment
changed (``GUNICORN_WORKER_CLASS``, ``WEB_CONCURRENCY``, ``GUNICORN_THREADS``,
``GUNICORN_KEEPALIVE``), measured with wrk on the database
``bench/perf.py`` filled:

- static file, and a page-cache hit (rotating over cached articles), page cache on;
- the same hits while slow clients (``--slow-clients``, each sending its request headers one
  line every 0.25 s, as a phone on a bad link would without a buffering proxy in front) keep
  connections busy: what fast readers still get;
- uncached articles (rotating) and search, page cache off.

The configurations are alternated within one run and the whole round repeated (``--repeat``),
with the load average printed for each round: on a shared machine compare only numbers of the
same run. Loopback only; every server it starts is stopped.

    .venv/bin/python -m bench.serving --database-url postgres://postgres@127.0.0.1:5432/bench8
    .venv/bin/python -m bench.serving --configs "sync 2,gthread 2x4" --duration 3 --repeat 3
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import json
import os
import shutil
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.perf import (
    PORT,
    PY,
    ROOT,
    ROTATE_LUA,
    base_env,
    collect_static,
    ensure_wrk,
    page_paths,
    run,
    start_gunicorn,
    stop,
    warm,
    warm_once,
    wrk,
)

# name -> environment of the Procfile's server (gunicorn.conf.py's own worker connections,
# 1000: capping them at wrk's connections over the workers, as an earlier version of this script
# did, leaves gthread fewer connections to keep alive than it has open, and it closes them).
CONFIGS: dict[str, dict[str, str]] = {
    "sync 2": {"GUNICORN_WORKER_CLASS": "sync", "WEB_CONCURRENCY": "2"},
    "sync 4": {"GUNICORN_WORKER_CLASS": "sync", "WEB_CONCURRENCY": "4"},
    "gthread 2x4": {"WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4"},
    "gthread 2x4 (no keep-alive)": {
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_KEEPALIVE": "0",
    },
    "gthread 2x2": {"WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "2"},
    "gthread 2x8": {"WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "8"},
    "gthread 3x2": {"WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "2"},
}

WORKLOADS = ("static file", "cache hit", "cache hit, slow clients", "uncached article", "search")


class SlowClients:
    """``count`` clients that send each request's header lines 0.25 s apart, then read the
    answer, over and over, until stopped. Counts the requests they completed."""

    def __init__(self, port: int, path: str, count: int):
        self.port, self.path, self.count = port, path, count
        self.done = 0
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(count)]

    def loop(self) -> None:
        lines = [f"GET {self.path} HTTP/1.1", "Host: 127.0.0.1", "User-Agent: slow-client",
                 "Accept: text/html", "Accept-Language: en", "Connection: close"]  # fmt: skip
        while not self.stopping.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
                    for line in lines:
                        sock.sendall(line.encode() + b"\r\n")
                        if self.stopping.wait(0.25):
                            return
                    sock.sendall(b"\r\n")
                    while sock.recv(65536):
                        pass
                self.done += 1
            except OSError:
                time.sleep(0.1)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(0.5)  # every slow client has a connection open
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=5)


def measure_config(name: str, args, wrk_bin: str, paths: dict, lua: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for cache in (True, False):
        env = base_env(args.database_url, args.static_root, cache=cache)
        env.pop("GUNICORN_WORKER_CONNECTIONS", None)
        env.update({"GUNICORN_MAX_REQUESTS": "0", **CONFIGS[name]})
        proc = start_gunicorn(env)
        try:
            articles = paths["article (rotating)"]
            for path in (paths["static file"], paths["search"], *articles):
                warm_once(path)
            warm(articles[0])

            def cell(path, rotating=False):
                return wrk(
                    wrk_bin, path, args.duration, args.connections, lua if rotating else None
                )

            if cache:
                out["static file"] = cell(paths["static file"])
                out["cache hit"] = cell(articles[0], rotating=True)
                with SlowClients(PORT, articles[1], args.slow_clients) as slow:
                    result = cell(articles[0], rotating=True)
                result["slow done"] = slow.done
                out["cache hit, slow clients"] = result
            else:
                out["uncached article"] = cell(articles[0], rotating=True)
                out["search"] = cell(paths["search"])
        finally:
            stop(proc)
    return out


def table(results: dict[str, list[dict[str, dict]]], workloads) -> list[str]:
    """Median requests/s of the rounds (each round's in brackets), and the worst p99."""
    lines = [
        "| configuration | " + " | ".join(f"{w} rps (p99 ms)" for w in workloads) + " |",
        "|---|" + "---:|" * len(workloads),
    ]
    for name, rounds in results.items():
        row = [name]
        for workload in workloads:
            cells = [r[workload] for r in rounds if workload in r]
            if not cells:
                row.append("-")
                continue
            rps = [c["rps"] for c in cells]
            text = f"{statistics.median(rps):.0f} [{'/'.join(f'{x:.0f}' for x in rps)}]"
            text += f" ({max(c['p99'] for c in cells):.0f})"
            if any(c["errors"] for c in cells):
                text += f" {sum(c['errors'] for c in cells)} errors"
            if "slow done" in cells[0]:
                text += f", slow {sum(c['slow done'] for c in cells)}"
            row.append(text)
        lines.append("| " + " | ".join(row) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench8"),
        help="a database bench/perf.py filled",
    )
    parser.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated names")
    parser.add_argument("--duration", type=int, default=3, help="seconds per cell")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--slow-clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2, help="rounds over every configuration")
    parser.add_argument("--articles", type=int, default=100, help="articles the hits rotate over")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    names = [n.strip() for n in args.configs.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        parser.error(f"unknown configurations {unknown}; known: {list(CONFIGS)}")
    wrk_bin = ensure_wrk()
    # Static files of this checkout in a directory of the run's own (removed at exit).
    args.static_root = tempfile.mkdtemp(prefix="bench-static-")
    atexit.register(shutil.rmtree, args.static_root, True)
    env = base_env(args.database_url, args.static_root, cache=False)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)  # the code may be newer than it
    collect_static(env)
    code = "from news.models import ArticlePage; print(ArticlePage.objects.live().count())"
    count = run([PY, "manage.py", "shell", "-c", code], env, capture_output=True, text=True)
    articles = int(count.stdout.strip().splitlines()[-1])
    if articles < 2:
        parser.error("no articles there: fill it first with bench/perf.py --sizes 1000")
    paths = page_paths(env)
    paths["article (rotating)"] = paths["article (rotating)"][: args.articles]
    lua_file = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    lua_file.write(ROTATE_LUA % ", ".join(json.dumps(p) for p in paths["article (rotating)"]))
    lua_file.close()
    started = datetime.datetime.now(datetime.UTC)
    lines = [
        f"# Worker options ({started:%Y-%m-%d %H:%M} UTC)",
        "",
        f'`python -m bench.serving --configs "{",".join(names)}" --duration {args.duration} '
        f"--connections {args.connections} --slow-clients {args.slow_clients} --repeat "
        f"{args.repeat}`; {articles:,} articles; wrk -t2 -c{args.connections} on the same "
        "cores; PostgreSQL and Redis on the machine.",
        "",
    ]
    print("\n".join(lines), flush=True)
    results: dict[str, list[dict[str, dict]]] = {name: [] for name in names}
    try:
        for round_number in range(1, args.repeat + 1):
            load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"round {round_number}: load average {load}", flush=True)
            lines.append(f"- round {round_number}: load average {load} at its start")
            for name in names:
                results[name].append(measure_config(name, args, wrk_bin, paths, lua_file.name))
                print(f"  {name}: " + ", ".join(
                    f"{w} {r['rps']:.0f}/s p99 {r['p99']:.0f} ms"
                    for w, r in results[name][-1].items()
                ), flush=True)  # fmt: skip
    finally:
        os.unlink(lua_file.name)
    lines.append(f"- load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} at the end\n")
    lines += table(results, WORKLOADS)
    print("\n".join(lines[-len(names) - 2 :]))
    out = Path(args.out or ROOT / "bench" / "results" / f"serving-{started:%Y%m%d-%H%M}.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
