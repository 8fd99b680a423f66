#!/usr/bin/env python
"""Reader-page benchmark: requests per second, p50/p99 latency and queries per page.

For each archive size (default 1,000 / 10,000 / 100,000 articles) it fills a PostgreSQL database
with synthetic articles (``generate_articles --fast``), starts gunicorn with production settings
on 127.0.0.1, and measures with ``wrk`` (Debian package; installed when missing and root) a
static file served by whitenoise, home, news index page 1 and page 50, a tag page, an author page,
an article (rotating over many articles), search, the RSS feed and the sitemap, with the
full-page cache off and on. The static file is also measured under a plain ``gunicorn -k sync``
of the same app (no config file, as many workers, no keep-alive), before and after the pages;
the reference is the static file at its best in the run (either server). Every page's requests
per second are given against the reference and against the static file under the Procfile's own
server. It prints one table per size (with the database queries each page runs) and the load
average, and writes them to ``bench/results/perf-<date>.md``.

Usage (loopback only, bounded in time: about sizes x pages x 2 x duration):

    .venv/bin/python bench/perf.py --sizes 1000,10000 --duration 10
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8180"))
BASE = f"http://127.0.0.1:{PORT}"
REF_PORT = PORT + 1


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603
    except subprocess.CalledProcessError as error:
        if error.stderr:  # captured: say why, not only that it failed
            print(error.stderr[-3000:], file=sys.stderr)
        raise


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("wrk is needed: apt-get install wrk")


def reset_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def base_env(database_url: str, static_root: str, cache: bool) -> dict:
    """Production settings on the bench database; static files collected into ``static_root``
    (a directory of the run's own, so the checkout's ``staticfiles/`` is never served)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "PAGE_CACHE_ENABLED": "true" if cache else "false",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
            "PORT": str(PORT),
        }
    )
    if static_root:
        env["STATIC_ROOT"] = static_root
    return env


def reference_command(workers: int, port: int, config: str) -> list[str]:
    """A plain ``gunicorn -k sync`` of the same app: ``config`` is an empty file, so nothing of
    gunicorn.conf.py (threads, preloading, logging) applies."""
    return [PY, "-m", "gunicorn", "config.wsgi", "--config", config, "--worker-class", "sync",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--access-logfile", "/dev/null"]  # fmt: skip


def start_gunicorn(env: dict, reference: bool = False) -> subprocess.Popen:
    # gunicorn's error log goes to a file (a pipe nobody reads would block it once full); its
    # warnings are printed after each run (see stop()).
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    if reference:
        empty = tempfile.NamedTemporaryFile("w", prefix="bench-plain-", suffix=".py", delete=False)  # noqa: SIM115
        empty.close()
        cmd = reference_command(int(env["WEB_CONCURRENCY"]), REF_PORT, empty.name)
        base = f"http://127.0.0.1:{REF_PORT}"
    else:
        cmd = [PY, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"]  # fmt: skip
        base = BASE
    proc = subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    proc.log_path = log.name
    proc.base = base
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310
            if reference:
                os.unlink(empty.name)
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start: " + Path(log.name).read_text()[-2000:])


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    log = Path(proc.log_path)
    problems = [line for line in log.read_text().splitlines() if "[INFO]" not in line]
    if problems:
        print(f"  gunicorn logged {len(problems)} warnings or errors, e.g.:", flush=True)
        for line in problems[:5]:
            print("    " + line[:300], flush=True)
    log.unlink()


def warm(path: str, base: str = BASE) -> int:
    """Fetch a page three times (renditions, caches); returns the last status code."""
    status = 0
    for _ in range(3):
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
    return status


def warm_once(path: str) -> None:
    try:
        with urllib.request.urlopen(BASE + path, timeout=30) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError:
        pass


def collect_static(env: dict) -> None:
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, plus that of its children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def server_cpu(proc: subprocess.Popen | None) -> float:
    """CPU seconds the gunicorn master and its workers have used so far, recycled workers
    included (the master waits for each, which adds its time to the master's own children's).
    The master is mostly idle: nearly all of it is the workers serving requests."""
    if proc is None:
        return 0.0
    children = subprocess.run(  # noqa: S603
        ["pgrep", "-P", str(proc.pid)],
        capture_output=True,
        text=True,  # noqa: S607
    ).stdout.split()
    total = _cpu_seconds(proc.pid)
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # exited just now: counted with the master's children once it is reaped
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wrk(
    binary: str,
    path: str,
    duration: int,
    connections: int,
    lua: str | None,
    base: str = BASE,
    proc: subprocess.Popen | None = None,
) -> dict:
    """wrk's rate and latency; with ``proc`` (the server), also the server's CPU per request
    (microseconds; it does not depend on what else the cores run, unlike the rate)."""
    cmd = [binary, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if lua:
        cmd += ["-s", lua]
    cpu_before = server_cpu(proc)
    out = subprocess.run(  # noqa: S603
        [*cmd, base + path], capture_output=True, text=True, check=True
    ).stdout
    cpu = server_cpu(proc) - cpu_before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))

    def latency(pct: str) -> float:
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    cpu_us = cpu / requests * 1e6 if proc is not None and requests else None
    return {
        "rps": rps, "p50": latency("50"), "p99": latency("99"), "errors": errors, "cpu_us": cpu_us
    }  # fmt: skip


# The requests are formatted once per wrk thread (init), not per request: wrk shares the two
# cores with the server (the difference was within the run-to-run noise here).
ROTATE_LUA = """
paths = {%s}
requests = {}
counter = 0
init = function(args)
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path)
  end
end
request = function()
  counter = counter + 1
  return requests[(counter %% #requests) + 1]
end
"""


def page_paths(env: dict) -> dict[str, str | list[str]]:
    code = r"""
import json
from news.models import ArticlePage, Author
from taggit.models import Tag
from django.contrib.staticfiles.storage import staticfiles_storage
articles = list(ArticlePage.objects.live().order_by("?").values_list("url_path", flat=True)[:500])
tag = Tag.objects.filter(name="Politics").first() or Tag.objects.first()
author = Author.objects.order_by("pk").first()
print(json.dumps({
    "static": staticfiles_storage.url("css/site.css"),
    "articles": [p.removeprefix("/home") for p in articles],
    "tag": tag.slug, "author": author.slug,
}))
"""
    out = run([PY, "manage.py", "shell", "-c", code], env, capture_output=True, text=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return {
        "static file": data["static"],
        "home": "/",
        "news index p1": "/news/",
        "news index p50": "/news/?page=50",
        "tag page": f"/news/tag/{data['tag']}/",
        "author page": f"/news/author/{data['author']}/",
        "article (rotating)": data["articles"],
        "search": "/search/?q=KFOR+troops",
        "rss feed": "/feeds/rss/",
        "sitemap index": "/sitemap.xml",
        "sitemap: articles (first file)": "/sitemap-articles.xml",
    }


def count_queries(env: dict, paths: dict) -> dict[str, int]:
    single = {name: (p[0] if isinstance(p, list) else p) for name, p in paths.items()}
    code = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
out = {{}}
for name, path in {single!r}.items():
    # Warm what any real reader would warm: renditions (first view), then the data cache.
    client.get(path, HTTP_HOST="127.0.0.1")
    client.get(path, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path.replace("page=50", "page=49"), HTTP_HOST="127.0.0.1")
    out[name] = [len(ctx), response.status_code]
print(json.dumps(out))
"""
    env = {**env, "PAGE_CACHE_ENABLED": "false"}
    out = run([PY, "manage.py", "shell", "-c", code], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def first_render_ms(env: dict) -> dict[str, float]:
    """A newly published article: publishing it, its first view, and a view without renditions.

    In a warm process (two other articles rendered first), as a web worker would be. The
    article's lead image loses its renditions first; publishing replaces the data cache and
    prepares the renditions (``news.renditions``); then the first reader view is timed. Last,
    the renditions are deleted again and the data cache replaced: a view that must create them.
    """
    code = r"""
import json, time
from django.test import Client
from wagtail.images.models import Rendition
from caching import datacache
from news.models import ArticlePage
client = Client()
pages = list(ArticlePage.objects.live().order_by("-pk")[:3])
for other in pages[1:]:
    client.get(other.url, HTTP_HOST="127.0.0.1")
page = pages[0]
revision = page.save_revision()
Rendition.objects.filter(image_id=page.lead_image_id).delete()
out = {}
start = time.perf_counter()
revision.publish()
out["publish"] = (time.perf_counter() - start) * 1000
start = time.perf_counter()
client.get(page.url, HTTP_HOST="127.0.0.1")
out["first view"] = (time.perf_counter() - start) * 1000
Rendition.objects.filter(image_id=page.lead_image_id).delete()
datacache.invalidate()
start = time.perf_counter()
client.get(page.url, HTTP_HOST="127.0.0.1")
out["view making renditions"] = (time.perf_counter() - start) * 1000
print(json.dumps(out))
"""
    env = {**env, "PAGE_CACHE_ENABLED": "false"}
    out = run([PY, "manage.py", "shell", "-c", code], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure_reference(static_path: str, args, wrk_bin: str, static_root: str) -> dict:
    """The static file under a plain ``gunicorn -k sync`` (see ``reference_command``)."""
    proc = start_gunicorn(base_env(args.database_url, static_root, cache=False), reference=True)
    try:
        warm(static_path, proc.base)
        return wrk(wrk_bin, static_path, args.duration, args.connections, None, proc.base, proc)
    finally:
        stop(proc)


def measure(size: int, args, wrk_bin: str, static_root: str) -> list[str]:
    lines = []
    env_off = base_env(args.database_url, static_root, cache=False)
    paths = page_paths(env_off)
    if args.pages:
        wanted = {"static file", *(name.strip() for name in args.pages.split(","))}
        paths = {name: path for name, path in paths.items() if name in wanted}
    queries = count_queries(env_off, paths)
    lua_file = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    lua_file.write(ROTATE_LUA % ", ".join(json.dumps(p) for p in paths["article (rotating)"]))
    lua_file.close()
    results: dict[str, dict[str, dict]] = {}
    reference = [measure_reference(paths["static file"], args, wrk_bin, static_root)]
    for cache in (False, True):
        if cache and args.no_cache_run:
            continue
        env = base_env(args.database_url, static_root, cache=cache)
        proc = start_gunicorn(env)
        try:
            for name, path in paths.items():
                rotating = isinstance(path, list)
                target = path[0] if rotating else path
                status = warm(target)
                if rotating and status == 200:
                    # Every rotating article: its renditions and data-cache entry exist before
                    # timing, as for any article a reader has seen (the first render of a new
                    # article is measured on its own, below). Twice: anything written during the
                    # first pass (a rendition made for a related card's picture, say) replaces
                    # the data-cache generation and leaves the articles warmed before it cold.
                    # One run had its generation replaced 70 % into the warm-up and measured
                    # mostly first renders (about 40 requests/s instead of 600-800).
                    for _ in range(2):
                        for other in path:
                            warm_once(other)
                if status != 200:
                    print(f"  {name}: {target} answered {status}; not measured", flush=True)
                    continue
                results.setdefault(name, {})["on" if cache else "off"] = wrk(
                    wrk_bin, target, args.duration, args.connections,
                    lua_file.name if rotating else None, proc=proc,
                )  # fmt: skip
        finally:
            stop(proc)
    reference.append(measure_reference(paths["static file"], args, wrk_bin, static_root))
    os.unlink(lua_file.name)
    static_rps = {mode: results["static file"][mode]["rps"] for mode in results["static file"]}
    # The static file at its best on the machine: whichever server answered it fastest.
    candidates = [("`gunicorn -k sync`", r) for r in reference]
    candidates += [("the Procfile's server", r) for r in results["static file"].values()]
    best_by, best = max(candidates, key=lambda c: c[1]["rps"])
    lines.append(f"\n### {size:,} articles\n")
    lines.append(
        f"Static file under a plain `gunicorn -k sync` ({args.workers} workers, no keep-alive): "
        + " and ".join(f"{r['rps']:.0f}" for r in reference)
        + " requests/s (before and after the pages); under the Procfile's server "
        + " and ".join(f"{r['rps']:.0f}" for r in results["static file"].values())
        + f" (cache off, on). Reference = the best, {best['rps']:.0f} ({best_by}). Load "
        "average " + " / ".join(f"{x:.1f}" for x in os.getloadavg()) + " at the end. Server "
        "CPU µs = the CPU the server's processes used per request (user + system, workers and "
        "master): unlike the rate, it does not depend on what else the cores run, so it "
        "compares pages and versions on a busy machine.\n"
    )
    lines.append(
        "| page | queries | rps (cache off) | p50 ms | p99 ms | ratio | own | server CPU µs "
        "| rps (cache on) | p50 ms | p99 ms | ratio | own | server CPU µs | errors |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in paths:
        modes = results.get(name)
        if not modes:
            lines.append(f"| {name} | - | not served ({queries[name][1]}) |" + " |" * 12)
            continue
        row = [name, str(queries[name][0])]
        errors = 0
        for mode in ("off", "on"):
            r = modes.get(mode)
            if r is None:
                row += ["-"] * 6
                continue
            own = r["rps"] / static_rps[mode]
            cpu = "-" if r.get("cpu_us") is None else f"{r['cpu_us']:.0f}"
            row += [f"{r['rps']:.0f}", f"{r['p50']:.1f}", f"{r['p99']:.1f}",
                    f"{r['rps'] / best['rps']:.2f}", f"{own:.2f}", cpu]  # fmt: skip
            errors += r["errors"]
        row.append(str(errors))
        lines.append("| " + " | ".join(row) + " |")
    first = first_render_ms(env_off)
    lines.append(
        f"\nNew article: publishing (renditions prepared) {first['publish']:.0f} ms; first view "
        f"{first['first view']:.0f} ms; a view that must make the renditions "
        f"{first['view making renditions']:.0f} ms"
    )
    for line in lines:
        print(line, flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page and mode")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench8"),
    )
    parser.add_argument("--no-cache-run", action="store_true", help="only measure uncached")
    parser.add_argument(
        "--pages", default="", help='only these pages (comma-separated names, e.g. "home,search")'
    )
    parser.add_argument("--keep-db", action="store_true", help="reuse the database as it is")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    wrk_bin = ensure_wrk()
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    # wrk's connections stay open (keep-alive): without a cap, one worker may accept all of them
    # and the run measures one core. Spread them evenly over the workers, plus the threads: a
    # gthread worker keeps alive at most (worker connections - threads) and closes the others.
    args.workers = workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
    threads = int(os.environ.get("GUNICORN_THREADS", "4"))
    spread = -(-args.connections // workers) + threads
    os.environ.setdefault("GUNICORN_WORKER_CONNECTIONS", str(spread))
    env = base_env(args.database_url, static_root, cache=False)
    if not args.keep_db:
        reset_database(args.database_url)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "load_demo", "--no-admin"], env, stdout=subprocess.DEVNULL)
    collect_static(env)
    # The cache server may still hold pages and data of another database (--keep-db, or an
    # earlier run on another --database-url): start from a new generation and no cached pages.
    forget = (
        "from caching import datacache, pagecache; datacache.invalidate(); pagecache.purge_all()"
    )
    run([PY, "manage.py", "shell", "-c", forget], env)
    started = datetime.datetime.now(datetime.UTC)
    header = [
        f"# Reader-page benchmark ({started:%Y-%m-%d %H:%M} UTC)",
        "",
        f"`bench/perf.py --sizes {args.sizes} --duration {args.duration} --connections "
        f"{args.connections}`; gunicorn with production settings "
        f"(WEB_CONCURRENCY={env['WEB_CONCURRENCY']}, GUNICORN_WORKER_CONNECTIONS="
        f"{env['GUNICORN_WORKER_CONNECTIONS']}), PostgreSQL, wrk on the same 2 cores.",
        "Ratio = the page's requests per second divided by the reference's (the static file at "
        "its best in the run: under a plain `gunicorn -k sync` or the Procfile's server); own = "
        "divided by the static file's under the Procfile's server in the same mode. Load "
        "average at the start " + " / ".join(f"{x:.1f}" for x in os.getloadavg()) + ".",
    ]
    for line in header:
        print(line)
    lines = list(header)
    for size in sizes:
        code = "from news.models import ArticlePage; print(ArticlePage.objects.count())"
        current = int(
            run([PY, "manage.py", "shell", "-c", code], env, capture_output=True, text=True)
            .stdout.strip().splitlines()[-1]
        )  # fmt: skip
        if size > current:
            t0 = time.monotonic()
            run([PY, "manage.py", "generate_articles", str(size - current), "--fast"], env)
            print(f"(generated {size - current} articles in {time.monotonic() - t0:.0f} s)")
        lines += measure(size, args, wrk_bin, static_root)
    out = Path(args.out or ROOT / "bench" / "results" / f"perf-{started:%Y%m%d-%H%M}.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {out}")
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
