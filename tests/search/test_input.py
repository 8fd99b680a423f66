"""Any input to /search/ gets a friendly 200 or 400 and escaped output, never a 500.

Runs on whichever database the suite uses (scripts/test: SQLite; with DATABASE_URL: PostgreSQL).
"""

import string
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.query import MAX_QUERY_LENGTH, clean_query, search_terms
from tests.support.helpers import soup, text_of

NASTY_QUERIES = [
    "",
    " ",
    "\t\n\r",
    "KFOR\x00troops",
    "\x00",
    "\x01\x02\x1b[31m\x7f",
    "a" * 10_000,
    "Kosova " * 100,
    "Prishtinë Mitrovicë çka ëndërr",  # Albanian
    "Србија Приштина КФОР",  # Serbian Cyrillic
    "🙂🇽🇰 🎉",
    "KFOR 🙂",
    "שלום עליכם",  # Hebrew, right-to-left
    "مرحبا بالعالم",  # Arabic, right-to-left
    "\u202eKFOR\u202c \u200f\u200d",  # bidi overrides, zero-width joiner
    "e\u0301\u0301\u0301",  # combining marks
    '& | ! ( ) : * "',
    "KFOR & troops | !Rutte",
    "(KFOR",
    "KFOR:*",
    '"security vacuum',
    "'",
    "''",
    "\\",
    "%",
    "%s %(q)s {0}",
    "_",
    "-KFOR --troops",
    "NEAR(KFOR troops)",
    "title: KFOR",
    "{title body} : KFOR",
    "' OR 1=1 --",
    "'; DROP TABLE wagtailcore_page; --",
    "1; SELECT pg_sleep(5)",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</title><script>alert(1)</script>",
    "{{ 7*7 }} {% now 'Y' %}",
    "AND OR NOT",
    "\ud7ff\uffff\U0010ffff",
]


@pytest.fixture
def one_article(make_article):
    return make_article(
        title="KFOR troops remain in Mitrovicë",
        standfirst="Rutte: no security vacuum.",
        tags=["Security"],
    )


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_nasty_queries_get_a_friendly_page(one_article, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("h1").text == "Search"
    value = html.select_one("#search-page-q")["value"]
    assert len(value) <= MAX_QUERY_LENGTH
    assert "\x00" not in value
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body


def test_operators_do_not_break_matching(one_article, client):
    for query in ["KFOR & troops", '"KFOR troops"', "KFOR:* | !troops", "(KFOR) -troops"]:
        html = soup(client.get("/search/", {"q": query}))
        titles = [text_of(h) for h in html.select(".result-title")]
        assert titles == ["KFOR troops remain in Mitrovicë"], query


def test_unicode_words_are_found(make_article, client):
    make_article(title="Приштина и Београд", standfirst="Разговори се настављају.")
    make_article(title="Prishtinë takes part", standfirst="Ëndërr e madhe.")
    for query, expected in [
        ("Приштина", "Приштина и Београд"),
        ("Prishtinë", "Prishtinë takes part"),
    ]:
        html = soup(client.get("/search/", {"q": query}))
        assert [text_of(h) for h in html.select(".result-title")] == [expected], query


@pytest.mark.parametrize(
    "params",
    [
        {"q": "KFOR", "page": "abc"},
        {"q": "KFOR", "page": "-5"},
        {"q": "KFOR", "page": "10000000000000000000000"},
        {"q": "KFOR", "page": "\x00"},
        {"q": "KFOR", "order": "newest"},
        {"q": "KFOR", "order": "relevance"},
    ],
)
def test_odd_but_harmless_parameters_give_200(one_article, client, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert soup(response).select(".search-result")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "KFOR", "tag": "no-such-tag"},
        {"q": "KFOR", "tag": "<script>alert(1)</script>"},
        {"q": "KFOR", "tag": "'; DROP TABLE taggit_tag; --"},
        {"q": "KFOR", "order": "random"},
        {"q": "KFOR", "order": "-display_date"},
        {"q": "KFOR", "date_from": "yesterday"},
        {"q": "KFOR", "date_from": "2024-02-30"},
        {"q": "KFOR", "date_to": "0001-01-01"},
        {"q": "KFOR", "date_to": "9999-12-31"},
        {"q": "KFOR", "date_from": "2025-05-01", "date_to": "2025-01-01"},
        {"q": "KFOR", "date_from": "\x00"},
    ],
)
def test_invalid_filters_get_a_friendly_400(one_article, client, params):
    response = client.get("/search/", params)
    assert response.status_code == 400
    html = soup(response)
    assert html.select("[role=alert]")
    assert "correct the filter" in text_of(html.select_one(".empty-state"))
    assert not html.select(".search-result")
    assert "<script>alert" not in response.content.decode()


def test_repeated_parameters_use_the_last_value(one_article, client):
    response = client.get("/search/?q=zzz&q=KFOR&tag=nope&tag=security&order=x&order=newest")
    assert response.status_code == 200
    html = soup(response)
    assert html.select_one("#search-page-q")["value"] == "KFOR"
    assert [text_of(h) for h in html.select(".result-title")] == ["KFOR troops remain in Mitrovicë"]


def test_query_cleaning_rules():
    assert clean_query("  KFOR\x00 \t troops\n") == "KFOR troops"
    assert clean_query("\u202eKFOR\u200d") == "KFOR"
    assert len(clean_query("x" * 5000)) == MAX_QUERY_LENGTH
    assert search_terms('"KFOR" & (troops) | !Rutte:* 4,767') == [
        "KFOR",
        "troops",
        "Rutte",
        "4",
        "767",
    ]
    assert search_terms("' OR 1=1 --") == ["OR", "1"]
    assert search_terms("🙂 _ -- ()") == []
    assert search_terms("Србија Prishtinë") == ["Србија", "Prishtinë"]


# --- property-based: arbitrary text in every parameter ---------------------------------------

ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)),  # lone surrogates cannot be sent
    max_size=300,
)
QUERYISH = st.text(alphabet=string.printable + "ëçЀЖж🙂שׁ&|!():*\"'\\%_-", max_size=120)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.one_of(ANY_TEXT, QUERYISH))
def test_any_query_text_gives_200_and_escaped_output(one_article, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = soup(response)
    shown = html.select_one("#search-page-q")["value"]
    assert shown == clean_query(query)
    assert len(shown) <= MAX_QUERY_LENGTH


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "tag", "date_from", "date_to", "order", "page", "other"]),
        ANY_TEXT,
        max_size=6,
    )
)
def test_any_parameters_give_200_or_400(one_article, client, params):
    response = client.get("/search/?" + urlencode(params))
    assert response.status_code in (200, 400)
    assert soup(response).select_one("h1").text == "Search"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=200),
    terms=st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), max_size=3),
)
def test_fast_highlighting_marks_the_same_words_as_word_by_word(text, terms):
    """The one-regex highlighter agrees with the plain word-by-word test on any text."""
    from search.highlight import _flags, _matches, stems_for

    stems = stems_for(terms)
    words = text.split()
    assert _flags(words, stems) == [bool(stems) and _matches(word, stems) for word in words]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(alphabet=st.characters(max_codepoint=127)), st.text(max_size=50)))
def test_folding_gives_the_full_decomposition_s_result(text):
    """ASCII text skips the decomposition (most of a search page's highlighting time on English
    bodies); the folded text is the same as the full NFKD-and-strip-marks form for any text."""
    import unicodedata

    from search.query import _combining_marks, fold

    full = unicodedata.normalize("NFKD", text.casefold()).translate(_combining_marks())
    assert fold(text) == full
