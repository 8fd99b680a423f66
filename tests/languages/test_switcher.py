"""The language switcher, hreflang alternates, <html lang> and JSON-LD inLanguage."""

import json

import pytest

from tests.support.helpers import soup, text_of

pytestmark = pytest.mark.django_db


def switcher(response) -> dict[str, dict]:
    nav = soup(response).find("nav", class_="language-switcher")
    assert nav is not None, "no language switcher"
    return {
        a["hreflang"]: {"href": a["href"], "current": a.has_attr("aria-current"), "text": a.text}
        for a in nav.find_all("a")
    }


def alternates(response) -> dict[str, str]:
    links = soup(response).find_all("link", rel="alternate", hreflang=True)
    return {link["hreflang"]: link["href"] for link in links}


def test_the_switcher_links_to_each_translation(client, seed):
    links = switcher(client.get("/news/border-talks/"))
    assert links == {
        "en": {"href": "/news/border-talks/", "current": True, "text": "English"},
        "sq": {"href": "/sq/news/border-talks/", "current": False, "text": "Shqip"},
        "sr-Cyrl": {"href": "/sr/news/border-talks/", "current": False, "text": "Српски"},
        "sr-Latn": {"href": "/sr-latn/news/border-talks/", "current": False, "text": "Srpski"},
    }
    latin = switcher(client.get("/sr-latn/news/border-talks/"))
    assert latin["sr-Latn"]["current"] and not latin["sr-Cyrl"]["current"]
    assert latin["sr-Cyrl"]["href"] == "/sr/news/border-talks/"
    assert latin["en"]["href"] == "/news/border-talks/"


def test_without_a_translation_the_switcher_goes_to_that_languages_home(client, seed, make_article):
    make_article(slug="english-only", title="Only in English")
    response = client.get("/news/english-only/")
    links = switcher(response)
    assert links["sq"]["href"] == "/sq/"
    assert links["sr-Latn"]["href"] == "/sr-latn/"
    assert set(alternates(response)) == {"en", "x-default"}


def test_html_lang_per_language(client, seed):
    for path, lang in [
        ("/news/border-talks/", "en"),
        ("/sq/news/border-talks/", "sq"),
        ("/sr/news/border-talks/", "sr-Cyrl"),
        ("/sr-latn/news/border-talks/", "sr-Latn"),
        ("/sq/", "sq"),
        ("/sq/search/?q=kufiri", "sq"),
    ]:
        assert soup(client.get(path)).html["lang"] == lang, path


def test_hreflang_alternates_and_x_default(client, seed):
    for path in ("/news/border-talks/", "/sq/news/border-talks/", "/sr-latn/news/border-talks/"):
        assert alternates(client.get(path)) == {
            "en": "http://testserver/news/border-talks/",
            "sq": "http://testserver/sq/news/border-talks/",
            "sr-Cyrl": "http://testserver/sr/news/border-talks/",
            "sr-Latn": "http://testserver/sr-latn/news/border-talks/",
            "x-default": "http://testserver/news/border-talks/",
        }, path


def test_tag_pages_switch_to_the_same_tag(client, seed):
    links = switcher(client.get("/sq/news/tag/politics/"))
    assert links["en"]["href"] == "/news/tag/politics/"
    assert links["sr-Latn"]["href"] == "/sr-latn/news/tag/politics/"
    assert links["sq"]["current"]


def test_search_switches_with_its_query(client, seed):
    links = switcher(client.get("/sq/search/", {"q": "kufiri"}))
    assert links["en"]["href"] == "/search/?q=kufiri"
    assert links["sr-Cyrl"]["href"] == "/sr/search/?q=kufiri"


def test_the_header_stays_in_the_language(client, seed):
    page = soup(client.get("/sq/news/border-talks/"))
    assert page.find("a", class_="brand-name")["href"] == "/sq/"
    assert page.find("form", role="search")["action"] == "/sq/search/"
    assert page.find("link", type="application/rss+xml")["href"] == "/sq/feeds/rss/"


def test_json_ld_says_the_language(client, seed):
    for path, lang in [("/news/border-talks/", "en"), ("/sq/news/border-talks/", "sq")]:
        scripts = soup(client.get(path)).find_all("script", type="application/ld+json")
        article = next(
            d for d in (json.loads(s.string) for s in scripts) if d["@type"] == "NewsArticle"
        )
        assert article["inLanguage"] == lang
        crumbs = next(
            d for d in (json.loads(s.string) for s in scripts) if d["@type"] == "BreadcrumbList"
        )
        assert crumbs["itemListElement"][0]["item"] == "http://testserver" + (
            "/sq/" if lang == "sq" else "/"
        )


def test_no_cookie_and_cacheable(client, seed, page_cache_on):
    for path in ("/sq/news/border-talks/", "/sr-latn/news/border-talks/"):
        first = client.get(path)
        assert not first.cookies
        assert first["X-Cache"] == "MISS"
        assert client.get(path)["X-Cache"] == "HIT", path


def test_language_names_keep_their_script_on_serbian_pages(client, seed):
    for path in ("/sr/news/border-talks/", "/sr-latn/news/border-talks/"):
        names = {code: link["text"] for code, link in switcher(client.get(path)).items()}
        assert names == {"en": "English", "sq": "Shqip", "sr-Cyrl": "Српски", "sr-Latn": "Srpski"}


def test_an_untranslated_page_under_sr_stays_english_and_says_so(client, make_article):
    article = make_article(slug="only-english", title="Only in English")
    response = client.get("/sr" + article.url)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("main")["lang"] == "en"
    assert "Only in English" in text_of(page.select_one("main h1"))
    english = soup(client.get(article.url))
    assert not english.select_one("main").has_attr("lang")
