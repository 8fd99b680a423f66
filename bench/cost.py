#!/usr/bin/env python
"""The cost of one uncached request per reader page, in process: Python function calls,
database queries and CPU milliseconds.

Requests per second (``bench/perf.py``) need a quiet machine; a function-call count does not: it
is the same however busy the cores are, so two versions of the code can be compared on a shared
machine. CPU time per request (the best of five rounds) is printed beside it. The page cache is
off and the data cache warm, as for ``perf.py``'s "cache off" column; ``--page-cache`` measures
page-cache hits instead (through ``config.wsgi``, as gunicorn calls it), with the static file for
comparison. ``--profile N`` adds each page's N costliest functions.

Run on a database ``perf.py`` filled (``--keep-db`` keeps it):

    .venv/bin/python bench/cost.py --database-url postgres://postgres@127.0.0.1:5432/bench8
    .venv/bin/python bench/cost.py --page-cache --requests 2000
    .venv/bin/python bench/cost.py --pages "rss feed,search" --profile 30
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import perf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench8"),
    )
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--pages", default="", help="only these pages (comma-separated names)")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N",
        help="also print each page's N costliest functions (own time, over 20 requests)",
    )  # fmt: skip
    parser.add_argument(
        "--page-cache", action="store_true",
        help="page-cache hits instead: each page through config.wsgi (PageCacheApplication), "
        "beside the static file through WhiteNoise",
    )  # fmt: skip
    args = parser.parse_args()

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    try:
        measure(args, static_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def measure(args, static_root: str) -> None:
    env = perf.base_env(args.database_url, static_root, cache=args.page_cache)
    perf.collect_static(env)
    paths = perf.page_paths(env)
    paths = {name: (p[0] if isinstance(p, list) else p) for name, p in paths.items()}
    if not args.page_cache:
        paths.pop("static file")
    if args.pages:
        wanted = {name.strip() for name in args.pages.split(",")}
        paths = {name: path for name, path in paths.items() if name in wanted}
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection

    if args.page_cache:
        from config.wsgi import application
    else:
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()

    def get(path: str) -> str:
        path_info, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status = []
        b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
        return status[0].split()[0]

    mode = " --page-cache" if args.page_cache else ""
    database = args.database_url.rsplit("/", 1)[1]
    print(f"`bench/cost.py --requests {args.requests}{mode}` on {database}")
    print()
    print("| page | status | calls | queries | CPU ms (best of 5) |")
    print("|---|---:|---:|---:|---:|")
    profiles = []
    for name, path in paths.items():
        for _ in range(10):  # renditions, data cache, local layer
            status = get(path)
        profile = cProfile.Profile()
        profile.enable()
        get(path)
        profile.disable()
        calls = pstats.Stats(profile).total_calls
        # Counted by a wrapper, not CaptureQueriesContext: the request's own request_started
        # signal empties the connection's query log, so the context always counted 0.
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            get(path)
        rounds = []
        per_round = max(1, args.requests // 5)
        for _ in range(5):
            started = time.process_time()
            for _ in range(per_round):
                get(path)
            rounds.append((time.process_time() - started) / per_round * 1000)
        print(f"| {name} | {status} | {calls} | {len(queries)} | {min(rounds):.3f} |", flush=True)
        if args.profile:
            profiles.append((name, path))
    for name, path in profiles:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            get(path)
        profile.disable()
        print(f"\n{name} ({path}), 20 requests:", flush=True)
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
