"""Cached pages and fragments belong to one release of the code: a deploy never shows what the
previous release rendered, and content changes reach every release at once."""

import pytest

from caching.release import fingerprint, release
from news.models import ArticlePage
from tests.support.helpers import soup

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def deploy(settings):
    """Switch the serving release, as a deploy does (CACHE_RELEASE, or the code's fingerprint)."""

    def to(name: str) -> None:
        settings.CACHE_RELEASE = name
        release.cache_clear()

    yield to
    release.cache_clear()


def headline(client, url) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return soup(response).h1.get_text(strip=True), response["X-Cache"]


def test_a_new_release_renders_afresh_and_shares_later_changes(client, make_article, deploy):
    deploy("one")
    article = make_article(title="Old headline")
    assert headline(client, article.url) == ("Old headline", "MISS")
    # A change no signal reports (raw SQL): release "one" keeps serving what it rendered...
    ArticlePage.objects.filter(pk=article.pk).update(title="Rendered by the new release")
    assert headline(client, article.url) == ("Old headline", "HIT")
    # ...a new release shows neither its pages nor its fragments.
    deploy("two")
    assert headline(client, article.url) == ("Rendered by the new release", "MISS")

    # A publish through the new release reaches the old one at once (one generation, one purge).
    article.refresh_from_db()
    article.title = "Published after the deploy"
    article.save_revision().publish()
    assert headline(client, article.url) == ("Published after the deploy", "MISS")
    deploy("one")
    assert headline(client, article.url) == ("Published after the deploy", "MISS")


def test_the_fingerprint_follows_what_shapes_a_page_and_nothing_else(tmp_path):
    (tmp_path / "news" / "templates").mkdir(parents=True)
    (tmp_path / "news" / "templates" / "card.html").write_text("<p>{{ title }}</p>")
    (tmp_path / "site" / "static" / "css").mkdir(parents=True)
    (tmp_path / "site" / "static" / "css" / "site.css").write_text("body { color: #111 }")
    (tmp_path / "uv.lock").write_text('name = "wagtail"\nversion = "8.0"\n')
    for folder in ("tests", "docs", "media", ".venv"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text("one")
    first = fingerprint(tmp_path)

    for folder in ("tests", "docs", "media", ".venv"):
        (tmp_path / folder / "notes.txt").write_text("two")
    (tmp_path / "news" / "module.pyc").write_bytes(b"\x00")
    (tmp_path / "db.sqlite3").write_bytes(b"SQLite format 3")
    assert fingerprint(tmp_path) == first

    changes = [
        (tmp_path / "news" / "templates" / "card.html", "<p>{{ title|upper }}</p>"),
        (tmp_path / "site" / "static" / "css" / "site.css", "body { color: #000 }"),
        (tmp_path / "uv.lock", 'name = "wagtail"\nversion = "8.0.1"\n'),
    ]
    seen = {first}
    for path, text in changes:
        path.write_text(text)
        seen.add(fingerprint(tmp_path))
    assert len(seen) == 4
