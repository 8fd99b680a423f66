"""The gunicorn master compiles the project's templates before forking (core.warmup)."""

import socket

from django.template import engines

from caching import guard as guarded
from core.warmup import project_template_names, warm_up


def cached_template_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    assert type(loader).__name__ == "Loader" and hasattr(loader, "get_template_cache")
    return set(loader.get_template_cache)


def test_warm_up_compiles_every_project_template_without_the_database(monkeypatch):
    # No django_db mark: any query would fail this test. No connection of any kind is opened
    # (it would be shared by every forked worker).
    def no_connection(*args, **kwargs):
        raise AssertionError("warm_up opened a connection")

    monkeypatch.setattr(guarded, "_cache", no_connection)
    monkeypatch.setattr(socket.socket, "connect", no_connection)
    monkeypatch.setattr(socket, "create_connection", no_connection)
    engines["django"].engine.template_loaders[0].reset()
    names = project_template_names()
    assert {"base.html", "news/article_page.html", "home/home_page.html"} <= set(names)
    assert "news/sitemaps/sitemap.xml" in names
    assert not any(name.startswith(("wagtailadmin/", "admin/")) for name in names)
    assert not set(names) & cached_template_names()
    assert warm_up() == len(names)
    assert set(names) <= cached_template_names()
