"""The polling endpoint, the page cache, and what posting an update purges."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caching import datacache
from tests.support.live import post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def test_polling_returns_only_newer_updates_as_html(client, live_page):
    old = post(live_page, "Old news.", minutes_ago=10)
    new = post(live_page, "Fresh news.")
    data = client.get(live_page.url + f"updates/?after={old.pk}").json()
    assert data["latest"] == new.pk
    assert data["status"] == "live"
    assert [u["id"] for u in data["updates"]] == [new.pk]
    assert "Fresh news." in data["updates"][0]["html"]
    assert f'id="update-{new.pk}"' in data["updates"][0]["html"]
    assert len(client.get(live_page.url + "updates/?after=0").json()["updates"]) == 2


def test_polling_refuses_made_up_values_without_caching_them(client, live_page):
    post(live_page, "News.")
    assert client.get(live_page.url + "updates/?after=abc").status_code == 400
    assert client.get(live_page.url + "updates/?after=-1").status_code == 400
    assert client.get(live_page.url + "updates/?after=987654").status_code == 404
    assert client.get(live_page.url + "updates/?after=987654").status_code == 404


def test_polling_tells_readers_which_updates_were_withdrawn(client, live_page):
    gone = post(live_page, "Wrong.", minutes_ago=5)
    latest = post(live_page, "Right.")
    gone.withdrawn = True
    gone.save()
    data = client.get(live_page.url + f"updates/?after={latest.pk}").json()
    assert data["withdrawn"] == [gone.pk]
    assert data["updates"] == []


def test_polling_is_answered_from_the_page_cache_until_an_update_is_posted(client, live_page):
    first = post(live_page, "First.")
    url = live_page.url + f"updates/?after={first.pk}"
    assert client.get(url)["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as ctx:
        hit = client.get(url)
    assert hit["X-Cache"] == "HIT" and len(ctx.captured_queries) == 0
    assert "public" in hit["Cache-Control"]
    second = post(live_page, "Second.")
    fresh = client.get(url)
    assert fresh["X-Cache"] == "MISS"
    assert [u["id"] for u in fresh.json()["updates"]] == [second.pk]


def test_posting_purges_exactly_the_live_page_its_endpoint_feed_index_and_home(
    client, live_page, make_article
):
    article = make_article()
    first = post(live_page, "First.")
    purged = [
        live_page.url,
        live_page.url + "?page=2",
        live_page.url + f"updates/?after={first.pk}",
        live_page.url + "feed/",
        "/",
        "/news/",
    ]
    kept = [article.url, "/feeds/rss/", "/sitemap-pages.xml", "/news/tag/politics/"]
    for url in purged + kept:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url
    post(live_page, "Second.")
    for url in purged:
        assert client.get(url)["X-Cache"] == "MISS", url
    for url in kept:
        assert client.get(url)["X-Cache"] == "HIT", url


def test_withdrawing_and_pinning_purge_the_page_too(client, live_page):
    update = post(live_page, "Soon withdrawn.")
    client.get(live_page.url)
    update.pinned = True
    update.save(update_fields=["pinned"])
    assert client.get(live_page.url)["X-Cache"] == "MISS"
    update.withdrawn = True
    update.save(update_fields=["withdrawn"])
    response = client.get(live_page.url)
    assert response["X-Cache"] == "MISS"
    assert b"Soon withdrawn." not in response.content


def test_posting_an_update_costs_a_bounded_number_of_queries(live_page):
    post(live_page, "Warm-up.")
    counts = []
    for n in range(3):
        with CaptureQueriesContext(connection) as ctx:
            post(live_page, f"Update {n}.")
        counts.append(len(ctx.captured_queries))
    # The row, the page's ancestors for the purge plan, Wagtail's reference index, and the
    # live page's search entry (the page, its updates' text, the index rows): the same for the
    # first update and the hundredth.
    assert counts[0] == counts[-1] <= POST_BUDGET, counts


POST_BUDGET = 17


def test_a_draft_live_page_purges_nothing_but_data(client, news_index):
    from tests.support.live import make_live_page

    page = make_live_page(news_index, slug="draft-live")
    page.unpublish()
    client.get("/")
    datacache.invalidate()
    post(page, "Not public yet.")
    assert client.get("/")["X-Cache"] == "HIT"
