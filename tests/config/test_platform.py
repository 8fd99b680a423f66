"""The plainest PaaS, played end to end: an empty PostgreSQL database, the Procfile's release
line as written (twice: a second release must be harmless), its web line as written, then a
reader's journey. Without Redis, with Redis, and with Redis stalled in the middle of it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest

from tests.support import ROOT
from tests.support.servers import RedisServer, free_port

HOST = "balkanreport.example"

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the platform test needs DATABASE_URL pointing at PostgreSQL",
)


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


class Site:
    def __init__(self, port):
        self.port = port

    def get(self, path, timeout=10):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.body = response.read()
        response.elapsed = time.monotonic() - started
        connection.close()
        return response


@pytest.fixture
def platform(request, tmp_path):
    """Start everything the platform would; ``request.param`` is the Redis mode."""
    import psycopg

    if request.param != "no redis" and not shutil.which("redis-server"):
        pytest.skip("needs redis-server to start a Redis of its own")
    url = urlsplit(os.environ["DATABASE_URL"])
    db_name = f"platform_{uuid.uuid4().hex[:8]}"
    admin_dsn = f"host={url.hostname} port={url.port or 5432} user={url.username} dbname=postgres"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    processes = []
    redis = None
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.pop("REDIS_URL", None)
    if request.param != "no redis":
        redis = RedisServer().start()
        processes.append(redis.process)
        env["REDIS_URL"] = redis.url
    web_port = free_port()
    auth = url.username + (f":{url.password}" if url.password else "")
    env.update(
        PATH=f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"postgres://{auth}@{url.hostname}:{url.port or 5432}/{db_name}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PORT=str(web_port),
        WEB_CONCURRENCY="2",
        REDIS_TIMEOUT="0.5",
    )
    lines = procfile()
    try:
        for _ in range(2):  # the first release, then a second one on the same database
            release = subprocess.run(  # noqa: S603
                [shutil.which("bash"), "-c", lines["release"]],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert release.returncode == 0, release.stderr[-3000:]
        for command in (["collectstatic", "--noinput"], ["load_demo"]):
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        web = subprocess.Popen(  # noqa: S603
            [shutil.which("bash"), "-c", f"exec {lines['web']}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        processes.insert(0, web)
        site = Site(web_port)
        deadline = time.monotonic() + 60
        while True:
            try:
                if site.get("/healthz/").status in (200, 503):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or web.poll() is not None:
                raise RuntimeError("web did not start: " + web.stderr.read().decode()[-3000:])
            time.sleep(0.3)

        def stall_redis():
            redis.stall()

        site.stall_redis = stall_redis
        site.mode = request.param
        yield site
    finally:
        for process in processes:
            process.send_signal(signal.SIGCONT)
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def reader_journey(site) -> list[float]:
    """Home, an article with its lead image (and the image file), the news index, a tag page,
    search, the feed; returns how long each request took."""
    durations = []

    def get(path):
        response = site.get(path)
        assert response.status == 200, (site.mode, path, response.status)
        durations.append(response.elapsed)
        return response

    home = get("/").body.decode()
    # The first article on the home page with a lead image (a live page may come first).
    for article in dict.fromkeys(re.findall(r'href="(/news/[a-z0-9-]+/)"', home)):
        page = get(article).body.decode()
        image = re.search(r'<img[^>]+src="(/media/images/[^"]+)"', page)
        if image:
            break
    assert image, "no article on the home page shows a lead image"
    picture = get(image.group(1))
    assert picture.getheader("Content-Type").startswith("image/")
    assert "immutable" in picture.getheader("Cache-Control")
    assert len(picture.body) > 1000
    tag = re.search(r'href="(/news/tag/[a-z0-9-]+/)"', page).group(1)
    for path in ("/news/", tag, "/search/?q=KFOR", "/feeds/rss/"):
        get(path)
    return durations


@pytest.mark.parametrize("platform", ["no redis", "redis", "stalled redis"], indirect=True)
def test_release_web_and_a_reader_journey(platform):
    durations = reader_journey(platform)
    health = json.loads(platform.get("/healthz/").body)
    assert health["checks"]["database"] == "ok"
    assert health["checks"]["media"].startswith("disk")
    if platform.mode == "stalled redis":
        platform.stall_redis()
        durations = []
        for _ in range(3):
            durations += reader_journey(platform)
        durations.sort()
        p99 = durations[int(len(durations) * 0.99) - 1]
        assert p99 < 1.5, durations
        stalled = platform.get("/healthz/")
        assert stalled.status == 503
        assert json.loads(stalled.body)["checks"]["cache"] == "unavailable"
    else:
        assert health["status"] == "ok", health
