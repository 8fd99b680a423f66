#!/usr/bin/env python
"""Lighthouse scores of the home page and an article, with readers' numbers on.

Builds the demo site (``migrate`` + ``load_demo``: articles, images, analytics numbers) in a
throw-away SQLite database with its media folder, serves it with the Procfile's web process
(gunicorn, ``gunicorn.conf.py``, production settings; media from ``MEDIA_ROOT`` by
``core.media``) once per counting mode, and runs Lighthouse 12.2.3 against each page with
Debian's Chromium. Lighthouse comes from the npm registry into ``bench/.lighthouse/``
(git-ignored) the first time. Prints one line per mode and page with the four scores, and what
kept performance or best practices under 100.

    .venv/bin/python bench/lighthouse.py                    # beacon and server mode
    .venv/bin/python bench/lighthouse.py --modes beacon --runs 3
    .venv/bin/python bench/lighthouse.py --languages en,sq,sr   # each language's home and article

Loopback only; everything it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PY = str(ROOT / ".venv" / "bin" / "python")
VERSION = "12.2.3"
TOOLS = ROOT / "bench" / ".lighthouse"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_binary() -> str:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        npm = shutil.which("npm") or sys.exit("npm is needed (Node.js) to install Lighthouse")
        TOOLS.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{VERSION} into {TOOLS.relative_to(ROOT)}/ ...", flush=True)
        subprocess.run(  # noqa: S603
            [npm, "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--silent",
             f"lighthouse@{VERSION}"],
            check=True,
        )  # fmt: skip
    return str(binary)


def build_site(env: dict) -> None:
    for command in (["migrate", "--noinput", "--verbosity", "0"], ["load_demo"]):
        subprocess.run(  # noqa: S603
            [PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    subprocess.run(  # noqa: S603
        [PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_server(env: dict, port: int) -> subprocess.Popen:
    log = tempfile.NamedTemporaryFile("w+", prefix="lighthouse-gunicorn-", delete=False)  # noqa: SIM115
    cmd = [PY, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"]
    cmd += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]
    proc = subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2)  # noqa: S310
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start: " + Path(log.name).read_text()[-2000:])


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def warm(url: str) -> None:
    for _ in range(3):  # rendered, then the page cache
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            response.read()


def audit(binary: str, url: str, workdir: str) -> dict:
    """One Lighthouse run: scores per category and the audits that cost points, or the error
    (on a loaded machine Chromium sometimes misses Lighthouse's time limits)."""
    report = Path(workdir) / "report.json"
    report.unlink(missing_ok=True)
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    command = [binary, url, f"--chrome-flags={CHROME_FLAGS}", "--output=json", "--quiet"]
    command += [f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}"]
    done = subprocess.run(  # noqa: S603
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if done.returncode != 0 or not report.exists():
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return {"error": lines[-1][:300] if lines else f"exit status {done.returncode}"}
    data = json.loads(report.read_text())
    scores = {}
    for name in CATEGORIES:
        score = data["categories"][name]["score"]
        scores[name] = None if score is None else round(score * 100)
    if data.get("runtimeError"):
        return {"error": data["runtimeError"].get("message", "runtime error")}
    missed = []
    for name in ("performance", "best-practices"):
        for ref in data["categories"][name]["auditRefs"]:
            result = data["audits"][ref["id"]]
            if ref["weight"] and result.get("score") is not None and result["score"] < 1:
                missed.append(f"{ref['id']} ({result.get('displayValue', result['score'])})")
    return {"scores": scores, "missed": missed}


def translated_pages(base: str, pages: dict[str, str]) -> dict[str, str]:
    """The pages and their translations, from each page's ``<link rel=alternate hreflang>``."""
    from bs4 import BeautifulSoup

    found = {}
    for name, path in pages.items():
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
            html = BeautifulSoup(response.read(), "html.parser")
        found[name] = path
        for link in html.select('link[rel="alternate"][hreflang]'):
            language = link["hreflang"]
            if language not in ("x-default", "en"):
                found[f"{name} {language}"] = urllib.parse.urlsplit(link["href"]).path
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", default="beacon,server", help="ANALYTICS_MODE values")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (best)")
    parser.add_argument(
        "--languages", default="en",
        help="SITE_LANGUAGES of the demo; with more than one, each language's home and the seed "
        "article's translation (found from the English pages' hreflang links) are audited too",
    )  # fmt: skip
    args = parser.parse_args()

    from demo.articles import SEED_SLUG
    from tests.support.servers import RedisServer, free_port

    binary = lighthouse_binary()
    workdir = tempfile.mkdtemp(prefix="lighthouse-")
    redis = RedisServer().start()
    try:
        measure(args, binary, workdir, redis.url, f"/news/{SEED_SLUG}/", free_port)
    finally:
        redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def measure(args, binary: str, workdir: str, redis_url: str, article: str, free_port) -> None:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": f"sqlite:///{workdir}/site.sqlite3",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "MEDIA_ROOT": f"{workdir}/media",
            "STATIC_ROOT": f"{workdir}/static",
            "REDIS_URL": redis_url,
            "SITE_LANGUAGES": args.languages,
        }
    )
    print("building the demo site ...", flush=True)
    build_site(env)
    pages = {"home": "/", "article": article}
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"Lighthouse {VERSION}, Chromium headless, mobile preset (load average {load})")
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        port = free_port()
        server = start_server(dict(env, ANALYTICS_MODE=mode), port)
        try:
            if len(args.languages.split(",")) > 1 and len(pages) == 2:
                base = f"http://127.0.0.1:{port}"
                pages = translated_pages(base, pages)
            for name, path in pages.items():
                url = f"http://127.0.0.1:{port}{path}"
                warm(url)
                runs = [audit(binary, url, workdir) for _ in range(args.runs)]
                for failed in (r for r in runs if "error" in r):
                    print(f"  {mode:7} {name:14} a run failed: {failed['error']}", flush=True)
                runs = [r for r in runs if "error" not in r]
                if not runs:
                    continue
                best = max(runs, key=lambda r: sum(v or 0 for v in r["scores"].values()))
                scores = ", ".join(f"{k} {v}" for k, v in best["scores"].items())
                print(f"  {mode:7} {name:14} {scores}", flush=True)
                if best["missed"]:
                    print(f"          missed: {'; '.join(best['missed'])}")
        finally:
            stop(server)
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"load average {load}")


if __name__ == "__main__":
    main()
