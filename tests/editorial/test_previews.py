"""Preview modes of an article: the page, its card in listings and its social card."""

import pytest
from django.urls import reverse

from demo.build import demo_image
from news.models import ArticlePage
from tests.support.editorial import add_url, article_form_data, fact
from tests.support.helpers import soup, text_of

MODES = ["", "card", "social"]


@pytest.fixture
def image(db):
    return demo_image("Preview test image", 3)


def preview_on_add(client, index, data, mode):
    url = reverse("wagtailadmin_pages:preview_on_add", args=["news", "articlepage", index.pk])
    posted = client.post(url, data)
    assert posted.status_code == 200
    assert posted.json()["is_valid"] is True, posted.json()
    return client.get(url, {"mode": mode})


@pytest.mark.django_db
def test_article_offers_its_preview_modes_and_three_sizes():
    page = ArticlePage()
    # The newsletter app adds the email as a fourth mode (tested in test_newsletter_admin.py).
    assert [name for name, _ in page.preview_modes] == [*MODES, "newsletter"]
    assert page.default_preview_mode == ""
    assert [size["name"] for size in page.preview_sizes] == ["mobile", "tablet", "desktop"]


@pytest.mark.parametrize("mode", MODES)
def test_each_preview_mode_shows_the_fact_box_and_pull_quote(client, newsroom, image, mode):
    client.force_login(newsroom["reporter"])
    data = article_form_data(
        newsroom["author"],
        image=image,
        facts=[fact(), fact(figure="33", qualifier="", label="contributing countries")],
    )
    response = preview_on_add(client, newsroom["index"], data, mode)
    assert response.status_code == 200
    html = soup(response)
    box = html.select_one(".block-fact-box")
    assert box is not None
    figures = [text_of(node) for node in box.select(".figure")]
    assert figures == ["4,767", "33"]
    quote = html.select_one(".block-pull-quote blockquote")
    assert quote is not None and text_of(quote) == "Security is not negotiable"
    assert "Reporter paragraph text." in text_of(html)


def test_card_mode_shows_the_listing_card(client, newsroom, image):
    client.force_login(newsroom["reporter"])
    data = article_form_data(newsroom["author"], image=image)
    html = soup(preview_on_add(client, newsroom["index"], data, "card"))
    cards = html.select("article.card")
    assert len(cards) == 2  # as the lead story and as a regular card
    assert "card-lead" in cards[0]["class"]
    for card in cards:
        assert text_of(card.select_one(".card-title")) == "Newsroom test article"
        assert "pull quote and a fact box" in text_of(card.select_one(".card-standfirst"))
        assert card.select_one("img") is not None


def test_social_mode_uses_seo_title_description_and_a_1200x630_image(client, newsroom, image):
    client.force_login(newsroom["editor"])
    data = article_form_data(
        newsroom["author"],
        image=image,
        seo_title="Shared title",
        search_description="Shared description for sharing sites.",
    )
    html = soup(preview_on_add(client, newsroom["index"], data, "social"))
    card = html.select_one(".social-card")
    assert text_of(card.select_one(".social-title")) == "Shared title"
    assert text_of(card.select_one(".social-description")) == (
        "Shared description for sharing sites."
    )
    assert text_of(card.select_one(".social-domain")) == "LOCALHOST"
    img = card.select_one("img")
    assert img["width"] == "1200" and img["height"] == "630"
    # An absolute address, as og:image must be (the preview request is on the site's host).
    assert img["src"].startswith("http://localhost/media/") and "fill-1200x630" in img["src"]
    assert img["alt"] == "A hillside at dusk"
    assert text_of(html.select_one(".og-title")) == "Shared title"


def test_social_mode_falls_back_to_headline_and_standfirst(client, newsroom):
    client.force_login(newsroom["editor"])
    data = article_form_data(newsroom["author"])
    html = soup(preview_on_add(client, newsroom["index"], data, "social"))
    card = html.select_one(".social-card")
    assert text_of(card.select_one(".social-title")) == "Newsroom test article"
    assert text_of(card.select_one(".social-description")).startswith("A reporter files a story")
    assert card.select_one("img") is None
    assert "No lead image" in text_of(card)


def test_preview_of_an_existing_article_in_every_mode(client, newsroom, image):
    client.force_login(newsroom["editor"])
    data = article_form_data(newsroom["author"], image=image, action="publish")
    client.post(add_url(newsroom["index"]), data)
    page = ArticlePage.objects.get(slug="newsroom-test-article")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(url, article_form_data(newsroom["author"], image=image)).json()["is_valid"]
    for mode in MODES:
        response = client.get(url, {"mode": mode})
        assert response.status_code == 200, mode
        assert "4,767" in text_of(soup(response).select_one(".block-fact-box"))


def test_unknown_mode_falls_back_to_the_article_page(client, newsroom):
    client.force_login(newsroom["editor"])
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["news", "articlepage", newsroom["index"].pk]
    )
    client.post(url, article_form_data(newsroom["author"]))
    response = client.get(url, {"mode": "nonsense"})
    assert response.status_code == 200
    html = soup(response)
    assert text_of(html.select_one("h1.headline")) == "Newsroom test article"
    assert html.select_one(".social-card") is None
