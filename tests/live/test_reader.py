"""What readers see on a live page, its feed, JSON-LD, and the "Live" links elsewhere."""

import json

import pytest

from live.models import LivePage
from tests.support.helpers import soup, text_of
from tests.support.live import post

pytestmark = pytest.mark.django_db


def json_ld(response, kind):
    for script in soup(response).select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def test_updates_show_newest_first_with_permalink_time_and_author(client, live_page, authors):
    first = post(live_page, "Crossings closed overnight.", minutes_ago=30)
    second = post(
        live_page, "Lorries queue at Jarinje.", minutes_ago=5, author=authors["elira-hoxha"]
    )
    page = soup(client.get(live_page.url))
    updates = page.select(".live-timeline .live-update")
    assert [u["id"] for u in updates] == [f"update-{second.pk}", f"update-{first.pk}"]
    assert "Lorries queue at Jarinje." in text_of(updates[0])
    assert updates[0].select_one(f'a[href="#update-{second.pk}"] time')["datetime"]
    assert "Elira Hoxha" in text_of(updates[0].select_one(".byline"))
    assert "Two crossings are closed." in text_of(page.select_one(".live-key-points"))
    assert page.select_one("h1").get_text() == "Live: border crossings"


def test_pinned_update_is_on_top_and_withdrawn_one_is_gone(client, live_page):
    post(live_page, "An ordinary update.")
    post(live_page, "The pinned statement.", minutes_ago=20, pinned=True)
    post(live_page, "A wrong figure.", withdrawn=True, correction_note="The figure was wrong.")
    response = client.get(live_page.url)
    html = response.content.decode()
    page = soup(response)
    assert "The pinned statement." in text_of(page.select_one(".live-pinned"))
    assert "A wrong figure." not in html
    assert "This update was withdrawn: The figure was wrong." in text_of(page)
    feed = client.get(live_page.url + "feed/").content.decode()
    assert "An ordinary update." in feed and "A wrong figure." not in feed
    data = json_ld(response, "LiveBlogPosting")
    bodies = [u["articleBody"] for u in data["liveBlogUpdate"]]
    assert "A wrong figure." not in bodies and "An ordinary update." in bodies


def test_older_updates_are_on_later_pages(client, live_page):
    for n in range(45):
        post(live_page, f"Update number {n}.", minutes_ago=100 - n)
    first = soup(client.get(live_page.url))
    assert len(first.select(".live-timeline .live-update")) == 20
    older = first.select_one('a[rel="next"]')
    assert text_of(older) == "Show older updates"
    third = soup(client.get(live_page.url + "?page=3"))
    assert [text_of(u.select_one(".live-update-body")) for u in third.select(".live-update")] == [
        f"Update number {n}." for n in range(4, -1, -1)
    ]
    assert not third.select("[data-live-poll]")  # no polling on older pages
    assert client.get(live_page.url + "?page=abc").status_code == 200


def test_live_page_loads_the_script_and_says_where_to_poll(client, live_page):
    update = post(live_page, "Something happened.")
    page = soup(client.get(live_page.url))
    article = page.select_one("[data-live-poll]")
    assert article["data-live-poll"] == live_page.url + "updates/"
    assert article["data-live-latest"] == str(update.pk)
    assert page.select_one('script[src$="live/live.js"]').has_attr("defer")
    assert page.select_one('[aria-live="polite"]')


def test_json_ld_is_a_live_blog_posting(client, live_page, authors):
    update = post(live_page, "Crossings closed.", author=authors["arta-berisha"])
    data = json_ld(client.get(live_page.url), "LiveBlogPosting")
    assert data["coverageStartTime"]
    assert "coverageEndTime" not in data
    assert data["liveBlogUpdate"][0]["@type"] == "BlogPosting"
    assert data["liveBlogUpdate"][0]["author"]["name"] == "Arta Berisha"
    assert (
        data["liveBlogUpdate"][0]["url"] == f"http://testserver{live_page.url}#update-{update.pk}"
    )


def test_home_and_news_index_link_the_page_while_it_is_live(client, live_page):
    for path in ("/", "/news/"):
        link = soup(client.get(path)).select_one(".live-now a")
        assert link["href"] == live_page.url, path
    live_page.status = LivePage.ENDED
    live_page.closing_note = "Follow the story in our news section."
    live_page.save_revision().publish()
    for path in ("/", "/news/"):
        assert not soup(client.get(path)).select(".live-now"), path


def test_an_ended_page_is_an_archive_with_its_closing_note(client, live_page):
    post(live_page, "The last update.")
    live_page.status = LivePage.ENDED
    live_page.closing_note = "Both crossings have reopened."
    live_page.save_revision().publish()
    response = client.get(live_page.url)
    page = soup(response)
    assert "Both crossings have reopened." in text_of(page.select_one(".live-closing"))
    assert "The last update." in text_of(page.select_one(".live-timeline"))
    assert not page.select('script[src$="live/live.js"]')
    assert json_ld(response, "LiveBlogPosting")["coverageEndTime"]


def test_feed_is_atom_with_every_visible_update(client, live_page):
    update = post(live_page, "First <b>bold</b> news.")
    response = client.get(live_page.url + "feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<entry>" in body and "First" in body
    assert f"http://testserver{live_page.url}#update-{update.pk}" in body
    assert len([chunk for chunk in response if chunk]) == 1  # one write to the reader
    assert response["Last-Modified"]
    page = soup(client.get(live_page.url))
    assert page.select_one('link[type="application/atom+xml"][href$="feed/"]')


def test_live_page_is_in_the_sitemap(client, live_page):
    assert live_page.url.encode() in client.get("/sitemap-pages.xml").content
