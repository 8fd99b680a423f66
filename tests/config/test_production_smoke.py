"""Smoke test: collectstatic + gunicorn with production settings against PostgreSQL.

Fetches the reader pages, search, a feed, an admin page and a hashed static file the way the
platform's router would (HTTPS terminated in front, X-Forwarded-Proto), then takes the database
away (a TCP proxy in front of PostgreSQL is stopped) and brings it back.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest

from tests.support import ROOT
from tests.support.tcp_proxy import TcpProxy

PORT = 8170  # issue 7's port
HOST = "balkanreport.example"

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the production smoke test needs DATABASE_URL pointing at PostgreSQL",
)


def fetch(path, *, https=True, method="GET", headers=None, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    all_headers = {"Host": HOST, "Accept-Encoding": "gzip, br"}
    if https:
        all_headers["X-Forwarded-Proto"] = "https"
    all_headers.update(headers or {})
    started = time.monotonic()
    connection.request(method, path, headers=all_headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.monotonic() - started
    connection.close()
    response.body = body
    response.elapsed = elapsed
    return response


def text(response) -> str:
    if response.getheader("Content-Encoding"):
        raise AssertionError("expected an uncompressed body")
    return response.body.decode()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, django_db_blocker):
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    db_name = f"{url.path.lstrip('/') or 'postgres'}_smoke"
    admin_dsn = f"host={url.hostname} port={url.port or 5432} user={url.username} dbname=postgres"
    if url.password:
        admin_dsn += f" password={url.password}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')

    proxy = TcpProxy(url.hostname, url.port or 5432)
    proxy_port = proxy.start()
    auth = url.username + (f":{url.password}" if url.password else "")
    static_root = tmp_path_factory.mktemp("staticfiles")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        DATABASE_URL=f"postgres://{auth}@127.0.0.1:{proxy_port}/{db_name}",
        REDIS_URL="redis://127.0.0.1:6379/7",
        CACHE_KEY_PREFIX=f"smoke-{uuid.uuid4().hex[:8]}",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        PORT=str(PORT),
        GUNICORN_HOST="127.0.0.1",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
        DATABASE_CONNECT_TIMEOUT="2",
        DEMO_ADMIN_PASSWORD="smoke-test-password",
    )
    manage = [sys.executable, "manage.py"]
    for command in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["createcachetable"],
        ["load_demo"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if fetch("/healthz/", https=False).status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError("gunicorn did not start: " + server.stderr.read().decode()[-3000:])
        time.sleep(0.3)
    try:
        yield {"proxy": proxy, "env": env}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        proxy.stop()
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def first_article_path(home_html: str) -> str:
    match = re.search(r'href="(/news/[a-z0-9-]+/)"', home_html)
    assert match, "no article link on the home page"
    return match.group(1)


def test_reader_pages_admin_and_static_files(production_server):
    home = fetch("/", headers={"Accept-Encoding": "identity"})
    assert home.status == 200
    html = text(home)
    assert "The Balkan Report" in html
    article = first_article_path(html)
    for path in ("/news/", article, "/search/?q=KFOR", "/admin/login/"):
        response = fetch(path, headers={"Accept-Encoding": "identity"})
        assert response.status == 200, path
        assert "max-age=31536000" in response.getheader("Strict-Transport-Security"), path
        assert response.getheader("Content-Security-Policy"), path
        assert response.getheader("X-Content-Type-Options") == "nosniff"
    search = text(fetch("/search/?q=KFOR", headers={"Accept-Encoding": "identity"}))
    assert "KFOR" in search

    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the stylesheet is not served under a hashed name"
    static = fetch(stylesheet.group(1))
    assert static.status == 200
    assert static.getheader("Content-Encoding") in ("gzip", "br")
    assert static.getheader("Cache-Control") == "max-age=315360000, public, immutable"

    feed = fetch("/feeds/rss/", headers={"Accept-Encoding": "identity"})
    assert feed.status == 200
    assert "KFOR" in text(feed)


def test_https_redirect_cookies_and_cache_headers(production_server):
    plain = fetch("/news/", https=False)
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://{HOST}/news/"
    assert fetch("/healthz/", https=False).status == 200  # platform probes stay on HTTP

    login = fetch("/admin/login/")
    cookie = login.getheader("Set-Cookie") or ""
    assert "csrftoken=" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie

    home = text(fetch("/", headers={"Accept-Encoding": "identity"}))
    article = first_article_path(home)
    fetch(article)
    cached = fetch(article)
    assert cached.getheader("X-Cache") == "HIT"
    assert "s-maxage=" in cached.getheader("Cache-Control")
    assert cached.getheader("Set-Cookie") is None


def test_database_outage_and_recovery(production_server):
    proxy = production_server["proxy"]
    home = text(fetch("/", headers={"Accept-Encoding": "identity"}))
    article = first_article_path(home)
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home).group(1)
    fetch(article)  # now in the page cache

    proxy.stop()
    try:
        down = fetch("/search/?q=outage", headers={"Accept-Encoding": "identity"})
        assert down.status == 503
        assert down.elapsed < 1.0, down.elapsed
        assert down.getheader("Retry-After")
        assert "We will be back in a moment" in text(down)
        assert "Traceback" not in text(down)
        assert fetch(stylesheet).status == 200
        assert fetch(article).status == 200  # served from the page cache
        health = fetch("/healthz/", https=False)
        assert health.status == 503
    finally:
        proxy.start()

    deadline = time.monotonic() + 10
    while (back := fetch("/search/?q=recovered")).status != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert back.status == 200
    assert fetch("/healthz/", https=False).status == 200
