"""Search benchmark: 10,000 articles, 20 representative queries, PostgreSQL and SQLite.

Run from the project root::

    .venv/bin/python bench/search_bench.py                      # both databases, 10,000 articles
    .venv/bin/python bench/search_bench.py --databases sqlite --articles 2000 --repeat 10

It uses its own databases (never the site's or the tests'): the PostgreSQL database ``bench4``
on 127.0.0.1 (``--pg-url``; created when missing) and the SQLite file ``/tmp/bench4.sqlite3``
(``--sqlite-path``). Articles are created once with the fast bulk generator
(``bench.bulk.generate``) and reused by later runs; ``--reset`` starts from an empty database.

Each query is requested through Django's full request cycle (middleware, view, template) with
the test client: one warm-up, then ``--repeat`` timed runs with the search cache off (a search
nobody ran: "cold"; the data cache shared by all searches is warm), ``--repeat`` with it on
(the same search again: "cached") and ``--repeat`` right after a publish (search cache off and
the whole data cache replaced before each request). The script prints per query the number
of hits, the SQL queries one search page runs, and p50/p95 latency in milliseconds, then the
p50/p95 over all runs of each kind.
"DB p50" is the median time spent executing SQL within a cold request (on PostgreSQL the
whole server round trip; on SQLite, Python's driver may finish some work while fetching, which
is not counted). It prints numbers; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/bench4"
DEFAULT_SQLITE_PATH = "/tmp/bench4.sqlite3"  # noqa: S108 - benchmark scratch file

# 20 representative searches: the relevance set, names, places, common and rare words,
# a query with no hits, and two with filters (tag, newest first).
QUERIES: list[dict[str, str]] = [
    {"q": "KFOR troops"},
    {"q": "Rutte"},
    {"q": "security vacuum"},
    {"q": "4,767"},
    {"q": "Kosova"},
    {"q": "Arta Berisha"},
    {"q": "Nikola Jovanović"},
    {"q": "Pristina"},
    {"q": "energy prices"},
    {"q": "rail link"},
    {"q": "border crossings"},
    {"q": "wage reform"},
    {"q": "young voters housing"},
    {"q": "water networks"},
    {"q": "media freedom journalists"},
    {"q": "the"},
    {"q": "Mitrovica"},
    {"q": "xylophone quasar"},
    {"q": "winter", "tag": "energy"},
    {"q": "Kosova", "order": "newest"},
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --- worker: runs inside Django, one database ---------------------------------------------


def worker(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bs4 import BeautifulSoup
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from bench.bulk import SLUG_PREFIX, generate
    from news.models import ArticlePage

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    have = ArticlePage.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if have < args.articles:
        missing = args.articles - have

        def progress(done, total, elapsed):
            sys.stderr.write(f"\r  generating: {done}/{total} ({done / elapsed:.0f}/s)")
            sys.stderr.flush()

        started = time.monotonic()
        generate(missing, seed=have + 1, progress=progress)
        elapsed = time.monotonic() - started
        sys.stderr.write("\n")
        print(
            f"  generated {missing} articles in {elapsed:.1f} s "
            f"({missing / elapsed:.0f} articles/s, including search indexing)"
        )
    total = ArticlePage.objects.live().count()
    print(f"  {vendor}: {total} live articles")

    client = Client(HTTP_HOST="localhost")

    def measure(url: str, before=None) -> tuple[list[float], list[float], int]:
        """``--repeat`` timed requests: latencies, SQL time per request, queries per request.

        ``before`` runs before each request (outside the timing)."""
        queries: list[str] = []

        def count_query(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        if before:
            before()
        with connection.execute_wrapper(count_query):
            client.get(url)
        runs, db_runs = [], []
        for _ in range(args.repeat):
            if before:
                before()
            db_time = [0.0]

            def time_query(execute, sql, params, many, context, db_time=db_time):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    db_time[0] += time.perf_counter() - started

            with connection.execute_wrapper(time_query):
                started = time.perf_counter()
                client.get(url)
                runs.append((time.perf_counter() - started) * 1000)
            db_runs.append(db_time[0] * 1000)
        return runs, db_runs, len(queries)

    from caching import datacache

    cold_all: list[float] = []
    warm_all: list[float] = []
    publish_all: list[float] = []
    header = (
        f"  {'query':<30} {'hits':>6} | {'SQL':>3} {'p50':>6} {'p95':>6} {'DB p50':>6}"
        f" | {'SQL':>3} {'p50':>6} {'p95':>6} | {'SQL':>3} {'p50':>6} {'p95':>6}"
    )
    print(f"  {'':<37} | first search (cold)       | repeated (cached)  | first after a publish")
    print(header)
    print("  " + "-" * (len(header) - 2))
    for params in QUERIES:
        url = "/search/?" + urlencode(params)
        response = client.get(url)  # warm-up (and the numbers below)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        count = BeautifulSoup(response.content, "html.parser").select_one(".result-count")
        hits = count.get_text(" ", strip=True).split()[0] if count else "0"
        # Cold: the search's matches are not cached (as after any publish, or a new query);
        # the site's header data, tag list and editor's picks are (they are shared by all).
        with override_settings(SEARCH_CACHE_SECONDS=0):
            cold, cold_db, cold_sql = measure(url)
        warm, _, warm_sql = measure(url)
        with override_settings(SEARCH_CACHE_SECONDS=0):
            # After a publish: the whole data cache is new (site data, tag list, the list of
            # readable articles), as for the first search after any change.
            published, _, published_sql = measure(url, before=datacache.invalidate)
        cold_all.extend(cold)
        warm_all.extend(warm)
        publish_all.extend(published)
        label = " ".join(f"{k}={v}" for k, v in params.items())
        print(
            f"  {label:<30} {hits:>6} | {cold_sql:>3} {statistics.median(cold):>6.1f} "
            f"{percentile(cold, 95):>6.1f} {statistics.median(cold_db):>6.1f} | "
            f"{warm_sql:>3} {statistics.median(warm):>6.1f} {percentile(warm, 95):>6.1f} | "
            f"{published_sql:>3} {statistics.median(published):>6.1f} "
            f"{percentile(published, 95):>6.1f}"
        )
    for name, runs in (
        ("first search (cold)", cold_all),
        ("repeated (cached)", warm_all),
        ("first search after a publish", publish_all),
    ):
        print(
            f"  ALL {name}, {len(runs)} requests: p50 {statistics.median(runs):.1f} ms, "
            f"p95 {percentile(runs, 95):.1f} ms"
        )
    # Latency on a shared machine depends on what else runs: say how busy it was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  machine: {os.cpu_count()} CPUs, load average {load}")


# --- parent: prepares databases and runs one worker per database ---------------------------


def ensure_postgres_database(url: str, reset: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query")
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--sqlite-path", default=DEFAULT_SQLITE_PATH)
    parser.add_argument("--reset", action="store_true", help="start from empty databases")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    for database in [name.strip() for name in args.databases.split(",") if name.strip()]:
        if database == "postgres":
            ensure_postgres_database(args.pg_url, args.reset)
            url = args.pg_url
        elif database == "sqlite":
            if args.reset:
                for suffix in ("", "-wal", "-shm"):
                    Path(args.sqlite_path + suffix).unlink(missing_ok=True)
            url = f"sqlite:///{args.sqlite_path}"
        else:
            parser.error(f"unknown database {database!r} (postgres, sqlite)")
        print(f"== {database} ({url})")
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        command = [sys.executable, __file__, "--worker", f"--articles={args.articles}"]
        command.append(f"--repeat={args.repeat}")
        started = time.monotonic()
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        print(f"   ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
