"""Live pages in the reader search: found by their headline, key points and updates' text,
listed above the articles with a "Live" label, in the reader's language, at a counted cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caching import datacache
from tests.support.helpers import soup, text_of
from tests.support.languages import translate
from tests.support.live import make_live_page, post


def live_titles(response) -> list[str]:
    return [text_of(a) for a in soup(response).select(".live-result .result-title a")]


def article_titles(response) -> list[str]:
    return [
        text_of(h)
        for h in soup(response).select(".search-result:not(.pick):not(.live-result) .result-title")
    ]


def search(client, path="/search/", **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    return response


@pytest.fixture
def live_page(news_index):
    page = make_live_page(
        news_index,
        title="Live: flooding in the Drina valley",
        summary="<ul><li>Bridges at Višegrad are closed.</li></ul>",
    )
    post(page, "Rescuers reach the village of Međeđa by boat.")
    return page


def test_a_live_page_is_found_by_headline_key_points_and_updates(client, live_page):
    for query in ("drina", "višegrad", "rescuers boat"):
        response = search(client, q=query)
        assert live_titles(response) == ["Live: flooding in the Drina valley"], query
    html = soup(search(client, q="rescuers"))
    result = html.select_one(".live-result")
    assert text_of(result.select_one(".live-badge")) == "Live"
    assert result.select_one("a")["href"] == live_page.url
    assert text_of(result.select_one(".result-snippet mark")) == "Rescuers"
    assert text_of(html.select_one("#live-results-heading")) == "Live coverage"
    assert text_of(html.select_one(".result-count")).startswith("1 result")


def test_live_pages_come_before_the_articles(client, live_page, make_article):
    make_article(title="Drina dam inspected")
    response = search(client, q="drina")
    assert live_titles(response) == ["Live: flooding in the Drina valley"]
    assert article_titles(response) == ["Drina dam inspected"]
    assert text_of(soup(response).select_one(".result-count")).startswith("2 results")
    assert text_of(soup(response).select_one(".results-heading")) == "More results"


def test_a_new_update_is_found_at_once_and_a_withdrawn_one_is_not(client, live_page):
    assert live_titles(search(client, q="sandbags")) == []
    update = post(live_page, "Volunteers fill sandbags in Foča.")
    assert live_titles(search(client, q="sandbags")) == ["Live: flooding in the Drina valley"]
    update.withdrawn = True
    update.correction_note = "Wrong town."
    update.save(update_fields=["withdrawn", "correction_note"])
    assert live_titles(search(client, q="sandbags")) == []
    update.delete()
    assert live_titles(search(client, q="rescuers")) == ["Live: flooding in the Drina valley"]


def test_drafts_unpublished_and_expired_live_pages_are_not_listed(client, live_page, news_index):
    live_page.unpublish()
    assert live_titles(search(client, q="drina")) == []
    other = make_live_page(news_index, slug="expired-live", title="Live: Drina regatta")
    other.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    other.save_revision().publish()
    assert live_titles(search(client, q="drina")) == []


def test_an_ended_live_page_is_listed_without_the_live_label(client, live_page):
    live_page.status = live_page.ENDED
    live_page.save_revision().publish()
    html = soup(search(client, q="drina"))
    result = html.select_one(".live-result")
    assert text_of(result.select_one(".result-title")) == "Live: flooding in the Drina valley"
    assert result.select_one(".live-badge") is None
    assert len(result.select(".result-meta time")) == 2  # started and ended


def test_filters_apply_to_live_pages(client, live_page):
    # Live pages have no tags; the date range bounds when the coverage started.
    assert live_titles(search(client, q="drina", tag="")) == ["Live: flooding in the Drina valley"]
    today = timezone.localdate()
    assert live_titles(search(client, q="drina", date_from=today.isoformat())) != []
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert live_titles(search(client, q="drina", date_from=tomorrow)) == []
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert live_titles(search(client, q="drina", date_to=yesterday)) == []


def test_a_tag_filter_lists_articles_only(client, live_page, make_article):
    make_article(title="Drina fishing season", tags=["Nature"])
    response = search(client, q="drina", tag="nature")
    assert live_titles(response) == []
    assert article_titles(response) == ["Drina fishing season"]


def test_words_in_a_live_page_and_none_in_articles_do_not_broaden(client, live_page):
    response = search(client, q="rescuers village")
    assert live_titles(response) == ["Live: flooding in the Drina valley"]
    assert soup(response).select_one(".search-note") is None


def test_hostile_markup_in_a_live_page_is_escaped(client, news_index):
    page = make_live_page(
        news_index, slug="hostile-live", title='Live: <img src=x onerror="alert(1)"> vote count'
    )
    post(page, "<script>alert(2)</script>Counting continues.")
    html = search(client, q="counting").content.decode()
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert live_titles(search(client, q="vote")) == [page.title]


def test_live_pages_in_the_reader_s_language(client, live_page):
    albanian = translate(live_page, "sq", title="Drejtpërdrejt: përmbytje në Drinë")
    assert live_titles(search(client, "/sq/search/", q="përmbytje")) == [albanian.title]
    assert live_titles(search(client, "/search/", q="përmbytje")) == []
    # The key points were copied into the translation: both pages have "Višegrad".
    both = live_titles(search(client, "/sq/search/", q="višegrad", all_languages="1"))
    assert both == [albanian.title, live_page.title]  # the reader's own language first


def test_open_live_pages_come_first(client, live_page, news_index):
    ended = make_live_page(news_index, slug="old-flood", title="Live: Drina flood of 2014")
    ended.status = ended.ENDED
    ended.save_revision().publish()
    post(ended, "Drina Drina Drina floods.")  # more relevant, but over
    assert live_titles(search(client, q="drina")) == [live_page.title, ended.title]


def query_count(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        search(client, **params)
    return len(queries.captured_queries)


# tests/search/test_search.py: a search of one page of ten results runs at most 14 queries.
SEARCH_BUDGET = 14


def test_live_results_cost_a_counted_query_and_none_when_repeated(client, news_index, make_article):
    """Ten articles match "osprey" and ten "heron"; a live page has "osprey" in an update."""
    for n in range(10):
        make_article(title=f"Osprey nest {n}")
        make_article(title=f"Heron nest {n}")
    page = make_live_page(news_index, slug="birds-live", title="Live: the spring count")
    post(page, "An osprey is back on the Ohrid shore.")
    search(client, q="heron")  # the site's routes, the tag list
    search(client, q="osprey")

    # Repeated searches: the live pages found are memoised with the rest, nothing is read.
    articles_only = query_count(client, q="heron")
    with_live = query_count(client, q="osprey")
    assert live_titles(search(client, q="osprey")) == ["Live: the spring count"]
    assert with_live == articles_only

    # First searches after a change: the live match (one query with the pages' rows, as a
    # search without live pages runs too) and, for its snippet, the found page's updates.
    datacache.invalidate()
    search(client, q="nest")
    articles_only = query_count(client, q="heron")
    with_live = query_count(client, q="osprey")
    assert with_live == articles_only + LIVE_SNIPPET_QUERIES
    assert with_live <= SEARCH_BUDGET


LIVE_SNIPPET_QUERIES = 1  # per live page found (at most LIVE_RESULTS)
