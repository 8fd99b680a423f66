"""The demo in three languages: the seed article with its Albanian and Serbian demo translations
(made with wagtail-localize, marked as demo translations), an Albanian-only article, each
language's home and news index; running it again changes nothing."""

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation

from demo.articles import SEED_SLUG
from news.models import ArticlePage, NewsIndexPage
from tests.support.helpers import soup, text_of

SEED_URLS = {
    "en": f"/news/{SEED_SLUG}/",
    "sq": "/sq/news/nato-nuk-do-te-lejoje-vakum-sigurie-ne-ballkan/",
    "sr": "/sr/news/nato-nece-dozvoliti-bezbednosni-vakuum-na-balkanu/",
    "sr-latn": "/sr-latn/news/nato-nece-dozvoliti-bezbednosni-vakuum-na-balkanu/",
}
HEADLINES = {
    "en": "NATO will not allow a security vacuum in the Balkans, KFOR remains strong",
    "sq": "NATO nuk do të lejojë vakum sigurie në Ballkan, KFOR mbetet i fortë",
    "sr": "НАТО неће дозволити безбедносни вакуум на Балкану, КФОР остаје снажан",
    "sr-latn": "NATO neće dozvoliti bezbednosni vakuum na Balkanu, KFOR ostaje snažan",
}
DEMO_NOTES = {
    "sq": "(Përkthim demonstrues nga anglishtja.)",
    "sr": "(Демо превод са енглеског.)",
    "sr-latn": "(Demo prevod sa engleskog.)",
}
ALBANIAN_ONLY = "/sq/news/panairi-i-librit-ne-prishtine/"


@pytest.fixture
def demo_site(db):
    call_command("load_demo", verbosity=0)


def test_readers_get_the_seed_article_in_each_language(client, demo_site):
    for language, url in SEED_URLS.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = soup(response)
        assert text_of(html.find("h1")) == HEADLINES[language]
        standfirst = text_of(html.find(class_="standfirst"))
        if language == "en":
            assert "demo" not in standfirst.lower()
        else:
            # Readers are told it is a demo translation, under the headline.
            assert standfirst.endswith(DEMO_NOTES[language]), standfirst
        # The switcher links every language's version of this article.
        links = {a["hreflang"]: a["href"] for a in html.select("a[hreflang]")}
        assert links["sq"] == SEED_URLS["sq"]
        assert links["sr-Cyrl"] == SEED_URLS["sr"]
        assert links["sr-Latn"] == SEED_URLS["sr-latn"]
    # The Serbian text is in Cyrillic and every paragraph is translated (no English left).
    serbian = text_of(soup(client.get(SEED_URLS["sr"])).find("article"))
    assert "Генерални секретар" in serbian and "КФОР у бројкама" in serbian
    assert "The Secretary General" not in serbian
    albanian = text_of(soup(client.get(SEED_URLS["sq"])).find("article"))
    assert "Sekretari i Përgjithshëm" in albanian and "KFOR në shifra" in albanian
    assert "Security in Kosova" not in albanian


def test_the_translations_are_wagtail_localize_translations_up_to_date(demo_site):
    seed = ArticlePage.objects.get(slug=SEED_SLUG, locale__language_code="en-gb")
    translations = Translation.objects.filter(source__object_id=seed.translation_key)
    assert sorted(t.target_locale.language_code for t in translations) == ["sq", "sr"]
    for translation in translations:
        # Every string has its translation: the admin shows them up to date.
        assert translation.get_status_display() == "Up to date"
        page = translation.get_target_instance()
        assert page.live and not page.has_unpublished_changes
        # In the admin's page listing the editor sees the note in the standfirst too.
        assert "demo" in page.standfirst.lower() or "Демо" in page.standfirst


def test_an_albanian_only_article(client, demo_site):
    response = client.get(ALBANIAN_ONLY)
    assert response.status_code == 200
    html = soup(response)
    assert text_of(html.find("h1")).startswith("Panairi i librit në Prishtinë")
    page = ArticlePage.objects.get(slug="panairi-i-librit-ne-prishtine")
    assert page.locale.language_code == "sq"
    assert not page.get_translations().exists()
    # Its switcher sends the other languages to their home pages.
    links = {a["hreflang"]: a["href"] for a in html.select("a[hreflang]")}
    assert links["en"] == "/"
    assert links["sr-Cyrl"] == "/sr/"


def test_each_language_has_its_home_and_news_index(client, demo_site):
    for code, title in [("sq", "Lajme"), ("sr", "Вести")]:
        index = NewsIndexPage.objects.get(locale__language_code=code)
        assert index.live and index.title == title
        assert index.get_parent().specific.locale.language_code == code
        assert index.get_workflow().name == "Editorial review"
    assert text_of(soup(client.get("/sr-latn/news/")).find("h1")) == "Vesti"


def snapshot():
    return (
        [(p.path, p.slug, p.title, p.live, p.locale_id) for p in Page.objects.order_by("path")],
        Translation.objects.count(),
        StringTranslation.objects.count(),
    )


def test_running_the_demo_again_changes_nothing(demo_site):
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_a_one_language_demo_has_no_translations(db, settings):
    settings.WAGTAIL_I18N_ENABLED = False
    call_command("load_demo", verbosity=0)
    assert not ArticlePage.objects.exclude(locale__language_code="en-gb").exists()
    assert not Translation.objects.exists()
