"""Security headers on reader and admin pages, and the throttled admin login."""

import pytest
from django.core.cache import cache

from caching import guard as guarded


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    guarded.reset()
    yield
    cache.clear()


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", ["/", "/news/", "ARTICLE", "/search/?q=kosovo", "/missing/"])
def test_reader_pages_have_a_strict_policy(client, make_article, url):
    article = make_article()
    response = client.get(article.url if url == "ARTICLE" else url)
    assert response.status_code == (404 if url == "/missing/" else 200)
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert not any(v.startswith("http") or v == "*" for v in policy[directive])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_reader_pages_contain_no_inline_script_or_style_without_a_nonce(client, make_article):
    from tests.support.helpers import soup

    article = make_article()
    for url in ("/", "/news/", article.url):
        response = client.get(url)
        header = response["Content-Security-Policy"]
        page = soup(response)
        for tag in page.find_all(["script", "style"]):
            data_only = tag.get("type") in ("application/ld+json", "application/json")
            if tag.name == "script" and (tag.get("src") or data_only):
                continue
            nonce = tag.get("nonce")
            assert nonce and f"'nonce-{nonce}'" in header, f"inline <{tag.name}> on {url}"


def test_admin_gets_its_own_looser_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = csp(response)
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    login = client.get("/admin/login/")
    assert "'unsafe-inline'" in csp(login)["style-src"]


def test_production_settings_turn_on_https_protections():
    from tests.support.processes import run_with

    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_CONTENT_TYPE_NOSNIFF, "
        "s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS, "
        "'core.middleware.PathContentSecurityPolicyMiddleware' in s.MIDDLEWARE)"
    )
    result = run_with({"SECRET_KEY": "k" * 60}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True True True ('HTTP_X_FORWARDED_PROTO', 'https') True True True True "
        "strict-origin-when-cross-origin DENY True"
    )


def test_check_deploy_passes_with_production_settings():
    import os
    import subprocess
    import sys

    from tests.support import ROOT

    skip = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="p" * 20 + "roduction-secret-key-with-enough-entropy-1234567890",
        ALLOWED_HOSTS="balkanreport.example",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Admin login throttle


def login(client, username, password="wrong", **extra):  # noqa: S107
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def test_admin_login_is_throttled_per_username(client, admin_user, settings):
    settings.LOGIN_THROTTLE_MAX_PER_USER = 3
    for _ in range(3):
        assert login(client, "admin").status_code == 200  # the form again, with an error
    blocked = login(client, "admin", password="password")  # even the right password now
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) == settings.LOGIN_THROTTLE_WINDOW
    assert "Too many sign-in attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    assert login(client, "someone-else", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_admin_login_is_throttled_per_address(client, admin_user, settings):
    settings.LOGIN_THROTTLE_MAX_PER_IP = 4
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(4):
        response = login(client, f"guess-{n}", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
        assert response.status_code == 200
    assert login(client, "guess-x", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # The router appends the real client last: a spoofed first hop does not help.
    assert login(client, "guess-y", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7").status_code == (
        429
    )
    assert login(client, "admin", "password", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == (
        302
    )


def test_successful_logins_are_not_counted(client, admin_user, settings):
    settings.LOGIN_THROTTLE_MAX_PER_USER = 2
    for _ in range(4):
        assert login(client, "admin", "password").status_code == 302
        client.logout()


def test_client_ip_is_the_nth_forwarded_address_from_the_right(rf, settings):
    from core.clientip import client_ip

    def ip(**meta):
        return client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", **meta))

    chain = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7, 198.51.100.2"}
    settings.TRUSTED_PROXY_COUNT = 0
    assert ip(**chain) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert ip(**chain) == "198.51.100.2"
    assert ip() == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert ip(**chain) == "203.0.113.7"
    assert ip(HTTP_X_FORWARDED_FOR="203.0.113.7") == "10.0.0.1"  # not through both proxies


def test_one_rate_limiter_counts_per_scope_and_fails_open(monkeypatch):
    from core import ratelimit

    assert [ratelimit.hit("test", "Key", 2, 60) for _ in range(3)] == [True, True, False]
    assert ratelimit.count("test", "key") == 3  # keys are case-insensitive
    assert ratelimit.count("other", "key") == 0
    monkeypatch.setattr(guarded, "available", lambda: False)  # the cache is down
    assert ratelimit.hit("test", "key", 2, 60)
