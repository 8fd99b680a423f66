"""What readers see around an article in their language: related articles, sharing cards, 404."""

import pytest

from tests.support.helpers import soup, text_of
from tests.support.languages import translate

pytestmark = pytest.mark.django_db


def related_titles(response) -> list[str]:
    section = soup(response).select_one(".related")
    return [text_of(a) for a in section.select(".card-title a")] if section else []


def test_related_articles_are_in_the_articles_language(client, make_article):
    first = make_article(slug="first", title="First story", tags=["Politics"])
    second = make_article(slug="second", title="Second story", tags=["Politics"])
    make_article(slug="third", title="Third story", tags=["Politics"])
    translate(first, "sq", title="Lajmi i parë")
    translate(second, "sq", title="Lajmi i dytë")

    assert related_titles(client.get("/news/first/")) == ["Second story", "Third story"]
    assert related_titles(client.get("/sq/news/first/")) == ["Lajmi i dytë"]


def test_an_editors_choice_in_another_language_is_not_shown(client, make_article):
    from news.models import ArticleRelatedLink

    first = make_article(slug="first", title="First story", tags=[])
    other = make_article(slug="other", title="Other story", tags=[])
    albanian = translate(first, "sq", title="Lajmi i parë")
    other_sq = translate(other, "sq", title="Lajm tjetër")
    albanian.related_links.add(ArticleRelatedLink(article=other, sort_order=0))
    albanian.related_links.add(ArticleRelatedLink(article=other_sq, sort_order=1))
    albanian.save_revision().publish()
    assert related_titles(client.get("/sq/news/first/")) == ["Lajm tjetër"]


def og(response) -> tuple[str, list[str]]:
    page = soup(response)
    locale = page.select_one('meta[property="og:locale"]')["content"]
    alternates = [m["content"] for m in page.select('meta[property="og:locale:alternate"]')]
    return locale, alternates


def test_og_locale_per_language_with_the_translations_as_alternates(client, seed, make_article):
    assert og(client.get("/news/border-talks/")) == ("en_GB", ["sq_AL", "sr_RS", "sr_Latn_RS"])
    assert og(client.get("/sq/news/border-talks/")) == ("sq_AL", ["en_GB", "sr_RS", "sr_Latn_RS"])
    assert og(client.get("/sr/news/border-talks/")) == ("sr_RS", ["en_GB", "sq_AL", "sr_Latn_RS"])
    assert og(client.get("/sr-latn/news/border-talks/")) == (
        "sr_Latn_RS",
        ["en_GB", "sq_AL", "sr_RS"],
    )
    make_article(slug="alone", title="Only in English")
    assert og(client.get("/news/alone/")) == ("en_GB", [])
    assert og(client.get("/sq/")) == ("sq_AL", ["en_GB", "sr_RS", "sr_Latn_RS"])


@pytest.mark.parametrize(
    ("prefix", "heading", "front_page"),
    [
        ("", "We couldn't find that page", "Go to the front page"),
        ("/sq", "Nuk e gjetëm këtë faqe", "Shkoni në ballinë"),
        ("/sr", "Нисмо пронашли ту страницу", "Идите на насловну страну"),
        ("/sr-latn", "Nismo pronašli tu stranicu", "Idite na naslovnu stranu"),
    ],
)
def test_the_404_page_links_within_the_language(client, seed, prefix, heading, front_page):
    response = client.get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    page = soup(response)
    assert text_of(page.find("h1")) == heading
    links = {text_of(a): a["href"] for a in page.select(".error-page p a")}
    assert links[front_page] == f"{prefix}/"
    assert [href for href in links.values() if href != f"{prefix}/"] == [f"{prefix}/news/"]
    assert page.select_one(".error-page form")["action"] == f"{prefix}/search/"
