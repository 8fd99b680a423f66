#!/usr/bin/env python
"""Live page freshness under load: readers polling while a reporter posts.

``--readers`` (64) readers each load the demo live page, then poll its ``updates/?after=<id>``
endpoint as ``live.js`` does (every ``--poll`` seconds, 15, with ±10 % jitter, starting at a
random moment); a reporter posts an update through the API (``POST /api/v3/live/<id>/updates/``
with a bearer token) every ``--every`` seconds (10) for ``--duration`` seconds (120). gunicorn
runs the Procfile's server with production settings on PostgreSQL and a Redis of its own.

Prints, with the load average: the freshness of every (reader, update) pair (the time from the
post to the reader's first poll that shows it) as p50 / p99 / max, updates a reader never saw,
the 5xx count, requests made, and the server's CPU share (user+system time of gunicorn and its
workers over the wall time, as a share of one core and of the machine's cores).

    .venv/bin/python -m bench.live_load
    .venv/bin/python -m bench.live_load --readers 16 --duration 30     # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.perf import BASE, PY, base_env, reset_database, run, start_gunicorn, stop

LIVE_SLUG = "northern-border-crossings-live"  # demo/live.py (imports models: not before setup)

SETUP = """
from django.contrib.auth.models import Group, User
from wagtail.models import APIToken
from live.models import LivePage
user, _ = User.objects.get_or_create(username="bench-reporter")
user.groups.add(Group.objects.get(name="Reporters"))
_, token = APIToken.create_token(user=user, name="bench")
print("SETUP", LivePage.objects.get(slug=%r).pk, token)
"""


def cpu_seconds(root_pid: int) -> float:
    """User + system seconds of a process and every descendant (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents, times = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    family, grown = {root_pid}, True
    while grown:
        grown = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grown = True
    return sum(times.get(pid, 0.0) for pid in family)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors_5xx = 0
        self.other_errors = 0

    def count(self, status: int | None) -> None:
        with self.lock:
            self.requests += 1
            if status is None:
                self.other_errors += 1
            elif status >= 500:
                self.errors_5xx += 1


def get(url: str, stats: Stats, timeout: float = 10) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            body = response.read()
            stats.count(response.status)
            return response.status, body
    except urllib.error.HTTPError as error:
        stats.count(error.code)
        return error.code, b""
    except OSError:
        stats.count(None)
        return None, b""


def reader(page_url: str, poll: float, stop_at: float, seen: dict, stats: Stats) -> None:
    """One reader: the page, then polls; records when each update id is first seen."""
    status, body = get(page_url, stats)
    match = re.search(rb'data-live-latest="(\d+)"', body)
    latest = int(match.group(1)) if match else 0
    time.sleep(random.uniform(0, poll))  # noqa: S311
    while time.monotonic() < stop_at:
        status, body = get(f"{page_url}updates/?after={latest}", stats)
        now = time.monotonic()
        if status == 200:
            data = json.loads(body)
            for update in data["updates"]:
                seen.setdefault(update["id"], now)
            latest = max(latest, data["latest"])
        elif status == 404:
            latest = 0
        time.sleep(poll * random.uniform(0.9, 1.1))  # noqa: S311


def post_update(page_id: int, token: str, n: int, stats: Stats) -> int | None:
    body = json.dumps({"text": f"<p>Bench update {n}: the crossing is still closed.</p>"})
    request = urllib.request.Request(  # noqa: S310
        f"{BASE}/api/v3/live/{page_id}/updates/",
        data=body.encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            stats.count(response.status)
            return json.loads(response.read())["id"]
    except urllib.error.HTTPError as error:
        stats.count(error.code)
    except OSError:
        stats.count(None)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=64)
    parser.add_argument("--every", type=float, default=10, help="seconds between updates")
    parser.add_argument("--duration", type=float, default=120, help="seconds of posting")
    parser.add_argument("--poll", type=float, default=15, help="seconds between polls")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_LIVE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_live"
        ),
    )
    args = parser.parse_args()

    from tests.support.servers import RedisServer

    with RedisServer() as redis:
        static_root = tempfile.mkdtemp(prefix="bench-static-")
        env = base_env(args.database_url, static_root, cache=True)
        env.update({"REDIS_URL": redis.url, "STATIC_ROOT": static_root})
        reset_database(args.database_url)
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PY, "manage.py", "load_demo", "--no-admin"], env, capture_output=True)
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        out = run(
            [PY, "manage.py", "shell", "-c", SETUP % LIVE_SLUG], env, capture_output=True, text=True
        ).stdout
        setup = next(line for line in out.splitlines() if line.startswith("SETUP"))
        _, page_id, token = setup.split()
        page_id = int(page_id)
        page_url = f"{BASE}/news/{LIVE_SLUG}/"

        server = start_gunicorn(env)
        try:
            stats = Stats()
            seen = [{} for _ in range(args.readers)]
            posted: dict[int, float] = {}
            started = time.monotonic()
            stop_at = started + args.duration + args.poll * 1.5 + 5  # the last update is seen
            load_before = os.getloadavg()
            cpu_before = cpu_seconds(server.pid)
            threads = [
                threading.Thread(
                    target=reader, args=(page_url, args.poll, stop_at, seen[n], stats), daemon=True
                )
                for n in range(args.readers)
            ]
            for thread in threads:
                thread.start()
            n = 0
            while time.monotonic() < started + args.duration:
                n += 1
                sent = time.monotonic()
                update_id = post_update(page_id, token, n, stats)
                if update_id is not None:
                    posted[update_id] = sent
                time.sleep(max(0.0, sent + args.every - time.monotonic()))
            for thread in threads:
                thread.join()
            wall = time.monotonic() - started
            cpu = cpu_seconds(server.pid) - cpu_before
            load_after = os.getloadavg()
        finally:
            stop(server)

    freshness, missed = [], 0
    for reader_seen in seen:
        for update_id, sent in posted.items():
            if update_id in reader_seen:
                freshness.append(reader_seen[update_id] - sent)
            else:
                missed += 1
    cores = os.cpu_count() or 1
    print(
        f"live_load: {args.readers} readers polling every {args.poll:g} s, one update every "
        f"{args.every:g} s for {args.duration:g} s ({len(posted)} posted through the API)"
    )
    print(
        "load average before / after: "
        + " / ".join(f"{x:.2f}" for x in load_before)
        + "  |  "
        + " / ".join(f"{x:.2f}" for x in load_after)
    )
    if freshness:
        print(
            f"freshness (post -> seen by a reader), {len(freshness)} pairs: p50 "
            f"{percentile(freshness, 50):.1f} s, p99 {percentile(freshness, 99):.1f} s, max "
            f"{max(freshness):.1f} s; never seen: {missed}"
        )
    print(f"requests {stats.requests}, 5xx {stats.errors_5xx}, other failures {stats.other_errors}")
    print(
        f"server CPU: {cpu:.1f} s over {wall:.0f} s = {100 * cpu / wall:.1f} % of one core, "
        f"{100 * cpu / wall / cores:.1f} % of the machine ({cores} cores)"
    )


if __name__ == "__main__":
    main()
