#!/usr/bin/env python
"""Readers' numbers benchmark: what counting costs, the beacon's speed, and accuracy.

Sections 1 to 3 run in this process against the production WSGI entry point (``config.wsgi``:
production settings, the page cache's WSGI layer, whitenoise) on a temporary SQLite database,
with a Redis of its own (``redis-server`` on a free port) for the page cache and the views; the
pusher thread and the flush run as in production. Section 4 is the real thing over HTTP.

1. **Counting cost**: a page-cache hit (rotating over the articles) with counting
   (``ANALYTICS_MODE=server``) and without (``off``). Python function calls per hit (cProfile:
   the same however busy the machine is) and CPU time per request (the process's, the pusher
   thread included). The two modes alternate every few hundred requests inside each round, so
   both see the same load from the rest of the machine; a round's cost is its CPU per request
   with counting over without, and the median round is the result.
2. **Beacon vs static file**: ``/a/v/<id>.gif`` in beacon mode against the site's stylesheet
   served by whitenoise, alternated the same way.
3. **Accuracy**: ``--views`` human views over every page from ``--readers`` simulated readers
   with mixed sources, plus bots and prefetches, through the same entry point (mostly cache
   hits); then the final push and flush. Stored counts are compared with what was sent.
4. **Over HTTP** (``--no-http`` skips it): three gunicorns with the Procfile's settings
   (``gunicorn.conf.py``) on this database, counting ``off``, in ``server`` mode and in
   ``beacon`` mode (each with a page cache of its own), driven by ``wrk`` from a browser's user
   agent: page-cache hits alone on the first two, each hit followed by its beacon request (with
   the page as Referer) on the third, and the beacon against the stylesheet. Rounds alternate
   the workloads; requests per second (median round) and the servers' CPU time per view (from
   /proc) are printed with the ratios.

The load average is printed beside the numbers (the machine may be shared).

    .venv/bin/python bench/analytics_bench.py --views 100000 --bots 20000 --rounds 7 --seconds 3
    .venv/bin/python bench/analytics_bench.py --views 20000 --rounds 3 --seconds 2 --no-http
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
]
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "",
]
# (query string, referer): the mix of sources
SOURCES = [
    ("", ""),
    ("src=nl", ""),
    ("utm_source=newsletter&utm_medium=email", ""),
    ("", "https://www.google.com/"),
    ("", "https://t.co/x"),
    ("", "https://example.org/story"),
    ("", "http://127.0.0.1/"),
]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def environ(path: str, query: str = "", agent: str = BROWSERS[0], **extra) -> dict:
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_USER_AGENT": agent,
        "HTTP_ACCEPT": "text/html",
        "wsgi.url_scheme": "http",
        "wsgi.input": None,
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    base.update(extra)
    return base


def call(app, env: dict) -> str:
    import io

    env = dict(env)
    env["wsgi.input"] = io.BytesIO(b"")
    seen = []
    result = app(env, lambda status, headers, exc_info=None: seen.append(status))
    for _chunk in result:
        pass
    if hasattr(result, "close"):
        result.close()
    return seen[0]


def use_mode(mode: str) -> None:
    from django.conf import settings

    from analytics import conf

    settings.ANALYTICS_MODE = mode
    conf.reload()  # assigning to settings sends no setting_changed


def rate(app, envs: list[dict], seconds: float) -> tuple[float, float]:
    """(requests per second, CPU microseconds per request) over one round."""
    return interleaved(app, {"only": (None, envs)}, seconds)["only"]


def interleaved(app, variants: dict, seconds: float, block: int = 200) -> dict:
    """Each variant's (requests per second, CPU microseconds per request) over one round.

    ``variants`` maps a name to (mode or None, environs); the variants take turns every
    ``block`` requests until ``seconds`` are up, so each sees the same load from the rest of
    the machine. CPU time is the process's, all threads (the pusher included).
    """
    totals = {name: [0, 0.0, 0.0] for name in variants}  # requests, wall, CPU
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for name, (mode, envs) in variants.items():
            if mode is not None:
                use_mode(mode)
            n, total = len(envs), totals[name]
            start, cpu = time.perf_counter(), time.process_time()
            for i in range(block):
                call(app, envs[(total[0] + i) % n])
            total[1] += time.perf_counter() - start
            total[2] += time.process_time() - cpu
            total[0] += block
    return {name: (t[0] / t[1], t[2] / t[0] * 1e6) for name, t in totals.items()}


def calls_per_request(app, envs: list[dict], count: int = 1000) -> float:
    """Python function calls per request (cProfile; the same on a busy machine)."""
    import cProfile
    import pstats

    for env in envs:
        call(app, env)
    profile = cProfile.Profile()
    profile.enable()
    for i in range(count):
        call(app, envs[i % len(envs)])
    profile.disable()
    return pstats.Stats(profile).total_calls / count


def compare(name_a: str, name_b: str, rounds: list[dict]) -> float:
    """Print both series; the median over the rounds of b's CPU per request over a's."""
    for name in (name_a, name_b):
        rps = statistics.median(r[name][0] for r in rounds)
        cpu = [r[name][1] for r in rounds]
        print(
            f"   {name + ':':18}{statistics.median(cpu):7.1f} us CPU/request (median round), "
            f"best {min(cpu):.1f}; {rps:7.0f} req/s (median); "
            f"rounds {' '.join(f'{c:.0f}' for c in cpu)} us"
        )
    ratios = [r[name_b][1] / r[name_a][1] for r in rounds]
    print(f"   {name_b} / {name_a} per round: {' '.join(f'{x:.3f}' for x in ratios)}")
    return statistics.median(ratios)


def setup(articles: int) -> tuple[list, list]:
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    import datetime

    from demo.build import ensure_authors, ensure_site, publish_article

    home, index = ensure_site()
    authors = ensure_authors()
    tags = ["Politics", "Energy", "Security", "Economy"]
    pages = []
    for n in range(articles):
        page, _ = publish_article(
            index,
            slug=f"bench-{n}",
            title=f"Bench article {n}",
            standfirst="Standfirst.",
            body=[("paragraph", f"<p>Body {n}.</p>")],
            tags=[tags[n % len(tags)]],
            authors=[next(iter(authors.values()))],
            published=timezone.now() - datetime.timedelta(hours=n),
        )
        pages.append(page.url)
    listings = ["/", index.url, *(f"{index.url}tag/{t.lower()}/" for t in tags)]
    return pages, listings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=100_000, help="human views to send")
    parser.add_argument("--bots", type=int, default=20_000, help="bot views to send")
    parser.add_argument("--readers", type=int, default=5_000, help="simulated readers")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5, help="alternated rounds per comparison")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one round")
    parser.add_argument(
        "--no-http", dest="http", action="store_false", help="skip section 4 (gunicorn + wrk)"
    )
    parser.add_argument("--only-http", action="store_true", help="section 4 alone")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (HTTP)")
    args = parser.parse_args()

    from tests.support.servers import RedisServer

    workdir = tempfile.mkdtemp(prefix="analytics-bench-")
    redis = RedisServer().start()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "PAGE_CACHE_ENABLED": "true",
            "REDIS_URL": redis.url,
            "STATIC_ROOT": f"{workdir}/static",
            "ANALYTICS_MODE": "server",
        }
    )
    try:
        run(args, workdir)
    finally:
        redis.stop()


def run(args, workdir: str) -> None:
    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    print(f"setting up {args.articles} articles ...", flush=True)
    import logging

    logging.disable(logging.WARNING)  # Wagtail's "Page created" lines, the media warning
    articles, listings = setup(args.articles)

    from wagtail.models import Page

    from analytics.buffer import buffer
    from analytics.flush import flush
    from analytics.models import DailyReaders, DailyViews
    from config.wsgi import application as app

    hits = [environ(path) for path in articles]
    for env in hits:
        call(app, env)  # renders and stores each article in the page cache
    expect(call(app, hits[0]), "an article")

    if args.only_http:
        over_http(args, articles, article_ids(articles), staticfiles_storage.url("css/site.css"))
        return
    print(f"\n1. counting cost on a page-cache hit, in process (load average {load()})")
    use_mode("off")
    calls_off = calls_per_request(app, hits)
    use_mode("server")
    calls_on = calls_per_request(app, hits)
    print(
        f"   Python calls per hit: {calls_off:.0f} without counting, {calls_on:.0f} with "
        f"(+{calls_on - calls_off:.0f}, {calls_on / calls_off - 1:.1%})"
    )
    variants = {"without counting": ("off", hits), "with counting": ("server", hits)}
    rounds = [interleaved(app, variants, args.seconds) for _ in range(args.rounds)]
    buffer.push()
    cost = 1 - 1 / compare("without counting", "with counting", rounds)
    print(f"   cost: {cost:.1%} of a hit's throughput (budget 10%)  load {load()}")

    print(f"\n2. beacon vs static file, in process (load average {load()})")
    page_id = Page.objects.get(url_path__endswith="/bench-0/").pk
    referer = f"http://127.0.0.1{articles[0]}"
    beacons = [environ(f"/a/v/{page_id}.gif", HTTP_REFERER=referer)]
    static = [environ(staticfiles_storage.url("css/site.css"))]
    expect(call(app, static[0]), "the static file")
    use_mode("beacon")
    expect(call(app, beacons[0]), "the beacon")
    variants = {"static file": (None, static), "beacon": (None, beacons)}
    rounds = [interleaved(app, variants, args.seconds) for _ in range(args.rounds)]
    buffer.push()
    ratio = 1 / compare("static file", "beacon", rounds)
    print(f"   beacon / static: {ratio:.2f}x the requests per CPU second (>= 0.7x)  load {load()}")

    # 3. accuracy: start from nothing
    use_mode("server")
    buffer.take()
    flush()
    DailyViews.objects.all().delete()
    DailyReaders.objects.all().delete()
    from analytics.store import get_store

    store = get_store()
    store.redis.delete(*store.redis.keys(f"{store.prefix}:*") or ["none"])
    pages = articles + listings
    rng = random.Random(20)  # noqa: S311
    readers = [
        (f"10.{n // 65536}.{n // 256 % 256}.{n % 256}", BROWSERS[n % len(BROWSERS)])
        for n in range(args.readers)
    ]
    weights = [1 / (rank + 1) for rank in range(len(pages))]  # a few pages read much more
    sent = Counter()
    seen_readers = set()
    requests = []
    for _ in range(args.views):
        path = rng.choices(pages, weights)[0]
        address, agent = rng.choice(readers)
        query, ref = rng.choice(SOURCES)
        extra = {"REMOTE_ADDR": address}
        if ref:
            extra["HTTP_REFERER"] = ref
        requests.append(("human", path, environ(path, query, agent, **extra)))
    for _ in range(args.bots):
        path = rng.choice(pages)
        requests.append(("bot", path, environ(path, "", rng.choice(BOTS))))
    for _ in range(args.bots // 10):
        path = rng.choice(pages)
        requests.append(("bot", path, environ(path, "", BROWSERS[0], HTTP_SEC_PURPOSE="prefetch")))
    rng.shuffle(requests)
    print(
        f"\n3. accuracy: {args.views:,} human views, {len(requests) - args.views:,} bot and "
        f"prefetch requests over {len(pages)} pages, {args.readers:,} readers (load {load()})"
    )
    start = time.perf_counter()
    failed = 0
    for kind, path, env in requests:
        if not call(app, env).startswith("200"):
            failed += 1
            continue
        if kind == "human":
            sent[path] += 1
            seen_readers.add((env["REMOTE_ADDR"], env["HTTP_USER_AGENT"]))
    elapsed = time.perf_counter() - start
    buffer.push()
    summary = flush()
    stored = Counter()
    for path, views in DailyViews.objects.values_list("path", "views"):
        stored[path] += views
    humans, kept = sum(sent.values()), sum(stored.values())
    worst = max((abs(stored[p] - sent[p]) / sent[p] for p in sent if sent[p]), default=0.0)
    site_readers = DailyReaders.objects.filter(path="*").values_list("readers", flat=True)
    estimate = sum(site_readers)
    print(f"   sent in {elapsed:.1f} s ({len(requests) / elapsed:.0f} req/s), {failed} not 200")
    print(f"   {summary}; dropped in the buffer: {buffer.dropped}")
    print(f"   human views sent {humans:,}, stored {kept:,}: {abs(kept - humans) / humans:.3%} off")
    print(f"   worst page: {worst:.3%} off (within 0.1% wanted); bot views stored: {kept - humans}")
    print(
        f"   readers: {len(seen_readers):,} distinct, estimated {estimate:,} "
        f"({abs(estimate - len(seen_readers)) / max(len(seen_readers), 1):.1%} off, HyperLogLog)"
    )
    print(f"   load average {load()}")
    if args.http:
        over_http(args, articles, article_ids(articles), staticfiles_storage.url("css/site.css"))


def article_ids(articles: list[str]) -> dict[str, int]:
    from wagtail.models import Page

    ids = {}
    for path in articles:
        slug = path.rstrip("/").rsplit("/", 1)[1]
        ids[path] = Page.objects.get(url_path__endswith=f"/{slug}/").pk
    return ids


# wrk: requests formatted once per thread; every request from a browser's user agent (wrk sends
# none of its own, and an empty one is a bot's). PAIRS: a page, then its beacon with the page as
# Referer, as a browser loads them.
WRK_LUA = """
items = {%s}
requests = {}
counter = 0
init = function(args)
  for i, item in ipairs(items) do
    local headers = {["User-Agent"] = "%s"}
    if item[2] ~= "" then headers["Referer"] = item[2] end
    requests[i] = wrk.format("GET", item[1], headers)
  end
end
request = function()
  counter = counter + 1
  return requests[((counter - 1) %% #requests) + 1]
end
"""


SOCKET_ERRORS = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"


def wrk_script(directory: str, name: str, items: list[tuple[str, str]]) -> str:
    path = Path(directory) / f"{name}.lua"
    listed = ", ".join(f'{{"{p}", "{r}"}}' for p, r in items)
    path.write_text(WRK_LUA % (listed, BROWSERS[0]))
    return str(path)


def run_wrk(binary: str, base: str, script: str, seconds: float, connections: int) -> dict:
    import re
    import subprocess

    duration = f"-d{max(1, round(seconds))}s"
    command = [binary, "-t2", f"-c{connections}", duration, "--timeout", "10s", "-s", script]
    out = subprocess.run(  # noqa: S603
        [*command, base + "/"], capture_output=True, text=True, check=True
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(SOCKET_ERRORS, out)
    failed = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return {"requests": requests, "rps": rps, "failed": failed}


def over_http(args, articles: list[str], ids: dict[str, int], static_path: str) -> None:
    from bench.live_load import cpu_seconds
    from bench.perf import PY, ensure_wrk, stop
    from tests.support.servers import free_port

    binary = ensure_wrk()
    print(
        f"\n4. over HTTP: gunicorn (gunicorn.conf.py) + wrk -c{args.connections}, "
        f"{args.rounds} rounds of {args.seconds:.0f} s (load average {load()})"
    )
    redis_base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    servers = {}
    try:
        for db, mode in enumerate(("off", "server", "beacon"), start=1):
            port = free_port()
            env = dict(os.environ, ANALYTICS_MODE=mode, REDIS_URL=f"{redis_base}/{db}")
            env.setdefault("WEB_CONCURRENCY", "2")
            servers[mode] = start_server(PY, env, port)
        workdir = tempfile.mkdtemp(prefix="analytics-wrk-")
        workloads = {}  # name -> (server, script, views per request)
        pages = [(path, "") for path in articles]
        for mode in ("off", "server"):
            workloads[f"page ({mode})"] = (mode, wrk_script(workdir, mode, pages), 1.0)
        base = servers["beacon"].base
        pairs = []
        for path in articles:
            pairs += [(path, ""), (f"/a/v/{ids[path]}.gif", base + path)]
        workloads["page + beacon"] = ("beacon", wrk_script(workdir, "pairs", pairs), 0.5)
        one = [(f"/a/v/{ids[articles[0]]}.gif", base + articles[0])]
        workloads["beacon"] = ("beacon", wrk_script(workdir, "beacon", one), 1.0)
        static = [(static_path, "")]
        workloads["static file"] = ("beacon", wrk_script(workdir, "static", static), 1.0)
        import urllib.request

        for mode, server in servers.items():  # every page rendered and in that server's cache
            for path in [*articles, static_path] if mode == "beacon" else articles:
                for _ in range(2):
                    with urllib.request.urlopen(server.base + path, timeout=60) as response:  # noqa: S310
                        response.read()
        for _name, (mode, script, _views) in workloads.items():
            run_wrk(binary, servers[mode].base, script, 1, 2)
        results = {name: [] for name in workloads}
        for _ in range(args.rounds):
            for name, (mode, script, views) in workloads.items():
                before = cpu_seconds(servers[mode].pid)
                out = run_wrk(binary, servers[mode].base, script, args.seconds, args.connections)
                cpu = cpu_seconds(servers[mode].pid) - before
                out["views_per_s"] = out["rps"] * views
                out["cpu_per_view"] = cpu / max(out["requests"] * views, 1) * 1e6
                results[name].append(out)
    finally:
        for proc in servers.values():
            stop(proc)
    med = {name: statistics.median(r["views_per_s"] for r in rs) for name, rs in results.items()}
    cpu = {name: statistics.median(r["cpu_per_view"] for r in rs) for name, rs in results.items()}
    for name, rs in results.items():
        failed = sum(r["failed"] for r in rs)
        unit = "views/s" if name.startswith("page") else "req/s"
        each = " ".join(f"{r['views_per_s']:.0f}" for r in rs)
        per = "view" if unit == "views/s" else "request"
        print(
            f"   {name + ':':16}{med[name]:7.0f} {unit} (median; rounds {each}), "
            f"{cpu[name]:5.0f} us server CPU per {per}, {failed} failed"
        )

    def paired(a: str, b: str) -> float:
        return statistics.median(
            y["views_per_s"] / x["views_per_s"] for x, y in zip(results[a], results[b], strict=True)
        )

    server = 1 - paired("page (off)", "page (server)")
    server_cpu = cpu["page (server)"] / cpu["page (off)"] - 1
    print(
        f"   server mode: {server:.1%} fewer views/s than no counting "
        f"(CPU per view {server_cpu:+.1%}); budget 10%"
    )
    beacon = 1 - paired("page (off)", "page + beacon")
    beacon_cpu = cpu["page + beacon"] / cpu["page (off)"] - 1
    print(
        f"   beacon mode (page + beacon): {beacon:.1%} fewer views/s than the page alone "
        f"(CPU per view {beacon_cpu:+.1%}); budget 10%"
    )
    ratio = paired("static file", "beacon")
    print(
        f"   beacon / static file: {ratio:.2f}x the requests per second (>= 0.7x); CPU per "
        f"request {cpu['beacon']:.0f} vs {cpu['static file']:.0f} us  load {load()}"
    )


def start_server(python: str, env: dict, port: int):
    """The Procfile's web process (gunicorn.conf.py) on loopback, access log off."""
    import signal
    import subprocess
    import urllib.request

    log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    cmd = [python, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"]
    cmd += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]
    proc = subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    proc.log_path = log.name
    proc.base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(proc.base + "/healthz/", timeout=2)  # noqa: S310
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start: " + Path(log.name).read_text()[-2000:])


def expect(status: str, what: str) -> None:
    if not status.startswith("200"):
        sys.exit(f"{what} answered {status}")


if __name__ == "__main__":
    main()
