"""A live page in Albanian and Serbian: its interface strings, dates and feed in the language."""

import pytest
from defusedxml import ElementTree

from live.models import LivePage
from tests.support.helpers import soup, text_of
from tests.support.languages import translate
from tests.support.live import make_live_page, post

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def live_in(news_index):
    def make(language):
        page = make_live_page(translate(news_index, language), slug="kufiri-live")
        post(page, "Pika e parë.", minutes_ago=5)
        post(page, "Pika e dytë.", correction_note="Ora u korrigjua.")
        return page

    return make


def test_an_albanian_live_page_speaks_albanian(client, live_in):
    page = live_in("sq")
    html = soup(client.get("/sq/news/kufiri-live/"))
    assert text_of(html.select_one(".live-badge")) == "Drejtpërdrejt"
    assert text_of(html.select_one("#updates-heading")) == "Përditësimet e fundit"
    assert text_of(html.select_one("#key-points-heading")) == "Pikat kryesore"
    assert "Korrigjim:" in text_of(html.select_one(".live-correction"))
    meta = text_of(html.select_one(".article-meta"))
    assert meta.startswith("Mbulim nga ") and "Burimi i përditësimeve" in meta
    assert html.select_one('link[href$="kufiri-live/feed/"]')["title"].endswith(
        ": përditësimet (Atom)"
    )

    page.status = LivePage.ENDED
    page.save_revision().publish()
    html = soup(client.get("/sq/news/kufiri-live/"))
    assert (
        text_of(html.select_one("#closing-heading")) == "Ky mbulim i drejtpërdrejtë ka përfunduar"
    )
    assert "Të gjitha 2 përditësimet mbeten më poshtë." in text_of(html.select_one(".live-closing"))


def test_a_serbian_live_page_in_both_scripts(client, live_in):
    live_in("sr")
    cyrillic = soup(client.get("/sr/news/kufiri-live/"))
    assert text_of(cyrillic.select_one("#updates-heading")) == "Најновија ажурирања"
    latin = soup(client.get("/sr-latn/news/kufiri-live/"))
    assert text_of(latin.select_one("#updates-heading")) == "Najnovija ažuriranja"
    assert text_of(latin.select_one(".live-badge")) == "Uživo"


def test_the_live_feed_is_in_the_language(client, live_in):
    live_in("sq")
    feed = ElementTree.fromstring(client.get("/sq/news/kufiri-live/feed/").content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "sq"
    assert feed.findtext(f"{ATOM}subtitle").startswith("Mbulim i drejtpërdrejtë: çdo")


def test_home_and_news_index_link_only_their_languages_live_pages(client, live_in, news_index):
    live_in("sq")
    make_live_page(news_index, slug="english-live", title="Live: English coverage")
    english = soup(client.get("/")).select_one(".live-now")
    assert [text_of(a) for a in english.select("a")] == ["Live: English coverage"]
    for path in ("/sq/", "/sq/news/"):
        links = soup(client.get(path)).select(".live-now a")
        assert [a["href"] for a in links] == ["/sq/news/kufiri-live/"], path


def test_the_polling_scripts_words_come_in_the_pages_language(client, live_in, news_index):
    live_in("sq")
    make_live_page(news_index, slug="english-live", title="Live: English coverage")
    english = soup(client.get("/news/english-live/")).select_one("[data-live-poll]")
    assert english["data-live-text-one"] == "Show {n} new update"
    assert english["data-live-text-other"] == "Show {n} new updates"
    assert english["data-live-text-withdrawn"] == "This update was withdrawn."
    albanian = soup(client.get("/sq/news/kufiri-live/")).select_one("[data-live-poll]")
    assert albanian["data-live-text-one"] == "Shfaq {n} përditësim të ri"
    assert albanian["data-live-text-other"] == "Shfaq {n} përditësime të reja"
    assert albanian["data-live-text-ended"].startswith("Ky mbulim i drejtpërdrejtë ka përfunduar.")


def test_serbian_polling_words_have_each_plural_form_in_each_script(client, live_in):
    live_in("sr")
    cyrillic = soup(client.get("/sr/news/kufiri-live/")).select_one("[data-live-poll]")
    assert [cyrillic[f"data-live-text-{form}"] for form in ("one", "few", "other")] == [
        "Прикажи {n} ново ажурирање",
        "Прикажи {n} нова ажурирања",
        "Прикажи {n} нових ажурирања",
    ]
    latin = soup(client.get("/sr-latn/news/kufiri-live/")).select_one("[data-live-poll]")
    assert latin["data-live-text-few"] == "Prikaži {n} nova ažuriranja"
