"""Serbian pages in the reader's script: /sr/ Cyrillic, /sr-latn/ Latin, a cached copy each."""

import pytest

from caching import pagecache
from tests.languages import script_urls

pytestmark = [pytest.mark.urls("tests.languages.script_urls"), pytest.mark.django_db]

CYRILLIC = "/sr/vesti/njegos/"
LATIN = "/sr-latn/vesti/njegos/"


@pytest.fixture(autouse=True)
def _page_text():
    script_urls.PAGE["text"] = "Njegoš i konjunkcija"
    yield
    script_urls.PAGE["text"] = "Njegoš i konjunkcija"


def test_the_cyrillic_path_gets_cyrillic_and_leaves_links_emails_code(client):
    html = client.get(CYRILLIC).content.decode()
    assert "<h1>Његош и конјункција</h1>" in html
    assert "<title>Његош и конјункција | The Balkan Report</title>" in html  # the name stays
    assert '<a href="/sr/vesti/njegos/">Џем</a>' in html
    assert "urednik@balkanreport.example" in html
    assert "<code>nj</code>" in html


def test_the_latin_path_gets_latin_from_cyrillic_text(client):
    script_urls.PAGE["text"] = "Његош и конјункција"
    html = client.get(LATIN).content.decode()
    assert "<h1>Njegoš i konjunkcija</h1>" in html
    assert '<a href="/sr/vesti/njegos/">Džem</a>' in html


def test_other_languages_and_other_content_types_are_left_alone(client):
    assert "<h1>Njegoš i konjunkcija</h1>" in client.get("/news/njegos/").content.decode()
    assert client.get("/sr/data/").json() == {"text": "Njegoš i konjunkcija"}


def test_each_script_has_its_own_cached_copy(client, page_cache_on):
    first = client.get(CYRILLIC)
    assert first["X-Cache"] == "MISS"
    latin = client.get(LATIN)
    assert latin["X-Cache"] == "MISS"
    again, latin_again = client.get(CYRILLIC), client.get(LATIN)
    assert (again["X-Cache"], latin_again["X-Cache"]) == ("HIT", "HIT")
    assert "<h1>Његош и конјункција</h1>" in again.content.decode()
    assert "<h1>Njegoš i konjunkcija</h1>" in latin_again.content.decode()


@pytest.mark.parametrize(("purged", "other"), [(CYRILLIC, LATIN), (LATIN, CYRILLIC)])
def test_purging_one_script_purges_the_other(client, page_cache_on, purged, other):
    client.get(CYRILLIC), client.get(LATIN)
    script_urls.PAGE["text"] = "Nova vlada"
    pagecache.purge_path(purged)
    assert "<h1>Нова влада</h1>" in client.get(CYRILLIC).content.decode()
    assert "<h1>Nova vlada</h1>" in client.get(LATIN).content.decode()
    assert client.get(other)["X-Cache"] == "HIT"


def test_purging_a_prefix_reaches_both_scripts(client, page_cache_on):
    client.get(CYRILLIC), client.get(LATIN)
    script_urls.PAGE["text"] = "Nova vlada"
    pagecache.purge_prefix("/sr-latn/vesti/")
    assert client.get(CYRILLIC)["X-Cache"] == "MISS"
    assert client.get(LATIN)["X-Cache"] == "MISS"


def test_the_purge_of_an_english_path_names_no_alias():
    assert pagecache.with_aliases("/news/x/") == ["/news/x/"]
    assert pagecache.with_aliases("/sr/vesti/x/") == ["/sr/vesti/x/", "/sr-latn/vesti/x/"]
    assert pagecache.with_aliases("/sr-latn/") == ["/sr-latn/", "/sr/"]


def test_the_middleware_runs_right_after_the_page_cache(settings):
    middleware = settings.MIDDLEWARE
    position = middleware.index("caching.pagecache.PageCacheMiddleware")
    assert middleware[position + 1] == "languages.script.SerbianScriptMiddleware"
