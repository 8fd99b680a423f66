"""Search per language: the reader's language first, all languages on request, Serbian in
either script, each language's PostgreSQL text search configuration."""

import pytest
from django.db import connection

from tests.support.helpers import soup, text_of
from tests.support.languages import translate


@pytest.fixture
def articles(make_article):
    english = make_article(
        slug="border-talks", title="Border talks resume", standfirst="Delegations meet again."
    )
    return {
        "en": english,
        "sq": translate(
            english, "sq", title="Bisedimet për kufirin rifillojnë", standfirst="Delegacionet."
        ),
        "sr": translate(
            english, "sr", title="Разговори о граници настављени", standfirst="Делегације."
        ),
    }


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [text_of(h) for h in soup(response).select(".search-result .result-title")]


def test_results_are_in_the_reader_s_language(client, articles):
    assert titles(client, "/search/?q=border") == ["Border talks resume"]
    assert titles(client, "/sq/search/?q=kufirin") == ["Bisedimet për kufirin rifillojnë"]
    # The English words of the copied body are in every translation, but each reader gets
    # their own language's article.
    assert titles(client, "/sq/search/?q=body") == ["Bisedimet për kufirin rifillojnë"]
    assert titles(client, "/search/?q=kufirin") == []


def test_searching_all_languages_puts_the_reader_s_own_first(client, articles):
    found = titles(client, "/sq/search/?q=body&all_languages=1")
    assert len(found) == 3
    assert found[0] == "Bisedimet për kufirin rifillojnë"
    found = titles(client, "/search/?q=body&all_languages=1")
    assert found[0] == "Border talks resume" and len(found) == 3
    assert "Разговори о граници настављени" in titles(client, "/search/?q=granici&all_languages=1")


def test_the_all_languages_checkbox_and_its_pages(client, articles):
    page = soup(client.get("/sq/search/?q=body"))
    box = page.select_one("#search-all-languages")
    assert box is not None and not box.has_attr("checked")
    assert (
        text_of(page.select_one("label[for=search-all-languages]")) == "Kërko në të gjitha gjuhët"
    )
    page = soup(client.get("/sq/search/?q=body&all_languages=1"))
    assert page.select_one("#search-all-languages").has_attr("checked")


def test_a_serbian_query_in_either_script_finds_both(client, articles):
    # The Serbian article is written in Cyrillic: a Latin query finds it, on both script paths.
    for url in ("/sr-latn/search/?q=granici", "/sr/search/?q=granici", "/sr/search/?q=Разговори"):
        assert len(titles(client, url)) == 1, url
    assert titles(client, "/sr-latn/search/?q=granici") == ["Razgovori o granici nastavljeni"]
    assert titles(client, "/sr/search/?q=granici") == ["Разговори о граници настављени"]


def test_a_latin_serbian_article_is_found_by_a_cyrillic_query(client, make_article):
    english = make_article(slug="injections", title="Budget injections")
    translate(english, "sr", title="Injekcije novca za budžet", standfirst="Konjunkcija.")
    assert titles(client, "/sr/search/?q=инјекције") == ["Инјекције новца за буџет"]
    assert titles(client, "/sr-latn/search/?q=инјекције") == ["Injekcije novca za budžet"]
    assert titles(client, "/sr-latn/search/?q=konjunkcija") == ["Injekcije novca za budžet"]


def test_the_query_asks_for_both_scripts():
    from search.engine import _fts5_query, _tsquery
    from search.languages import spellings

    terms = spellings(["ljubav", "Njegoš"])
    assert terms == [("ljubav", "љубав"), ("Njegoš", "Његош")]
    assert _tsquery(terms, "and") == "('ljubav' | 'љубав') & ('Njegoš':* | 'Његош':*)"
    assert _fts5_query(terms, "or") == (
        '{title body} : (("ljubav" OR "љубав") OR ("Njegoš"* OR "Његош"*))'
    )
    assert spellings(["2026"]) == ["2026"]


def test_one_language_sites_search_as_before(client, make_article, settings):
    settings.SITE_LANGUAGES = ["en"]
    settings.WAGTAIL_I18N_ENABLED = False
    from search.languages import reader_language, spellings

    assert reader_language() is None
    assert spellings(["ljubav"]) == ["ljubav"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text configurations")
def test_each_language_is_indexed_with_its_text_configuration(client, articles):
    from search.backends import text_config_for, text_configs

    assert text_config_for(articles["en"]) == "english"
    assert text_config_for(articles["sq"]) == "simple"
    assert text_config_for(articles["sr"]) == "simple"
    assert set(text_configs()) == {"english", "simple"}
    # English stems ("resumes" finds "resume"); "the" is an English stop word but an ordinary
    # word in the Albanian index, which PostgreSQL has no configuration for.
    assert titles(client, "/search/?q=resumes") == ["Border talks resume"]
    from search.engine import _index_tables

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.title::text FROM {_index_tables()[0]} e WHERE e.object_id = %s",  # noqa: S608
            [str(articles["sq"].pk)],
        )
        (vector,) = cursor.fetchone()
    assert "'rifillojnë'" in vector  # simple: the word as written, not stemmed


def test_the_search_boxes_search_the_page_s_language(client, articles):
    page = soup(client.get("/sq/news/border-talks/"))
    assert page.select_one("header form[role=search]")["action"] == "/sq/search/"
    page = soup(client.get("/sr-latn/no-such-page/"))
    assert page.select_one("main form[role=search]")["action"] == "/sr-latn/search/"
    assert soup(client.get("/news/border-talks/")).select_one("header form[role=search]")[
        "action"
    ] == ("/search/")
