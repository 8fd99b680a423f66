"""What an anonymous reader sees on the home page, the news index and an article."""

import pytest

from demo.articles import SEED_SLUG
from news.models import ARTICLES_PER_PAGE, ArticlePage
from tests.support.helpers import soup, text_of


@pytest.fixture
def seed_response(demo, client):
    return client.get(f"/news/{SEED_SLUG}/")


def test_seed_article_fact_box_and_pull_quote(seed_response):
    assert seed_response.status_code == 200
    html = soup(seed_response)
    fact_box = html.select_one(".block-fact-box")
    assert fact_box is not None
    figures = [text_of(fig) for fig in fact_box.select(".figure")]
    assert "4,767" in figures
    assert "50,000" in figures
    assert "33" in figures
    assert "around 4,767 soldiers serve today" in text_of(fact_box)
    pull_quote = html.select_one(".block-pull-quote")
    assert (
        "We will continue to ensure that KFOR remains strong and capable of fulfilling its mission"
        in text_of(pull_quote)
    )
    assert "Mark Rutte" in text_of(pull_quote.select_one("figcaption"))


def test_seed_article_page_structure(seed_response):
    html = soup(seed_response)
    assert [text_of(h) for h in html.select("h1")] == [
        "NATO will not allow a security vacuum in the Balkans, KFOR remains strong"
    ]
    assert text_of(html.select_one(".standfirst")).startswith("The Pentagon has announced")
    assert text_of(html.select_one(".sign-off")) == "/The Balkan Report/"
    cta = text_of(html.select_one(".subscribe-cta"))
    assert "Discover more from The Balkan Report" in cta
    assert "Subscribe to get the latest posts sent to your email." in cta
    assert "The Balkan Report Newsroom" in text_of(html.select_one(".byline"))
    assert html.select_one(".lead-image img")["alt"]
    assert html.select_one("title").text.startswith("NATO will not allow")
    assert html.select_one('meta[name="description"]')["content"].startswith("The Pentagon")
    assert "min read" in text_of(html.select_one(".reading-time"))


def test_article_sign_off_can_be_overridden(make_article, client):
    page = make_article(sign_off="/Special correspondent/")
    html = soup(client.get(page.url))
    assert text_of(html.select_one(".sign-off")) == "/Special correspondent/"


def test_home_lists_latest_articles(demo, client):
    response = client.get("/")
    assert response.status_code == 200
    html = soup(response)
    titles = [
        text_of(a) for a in html.select(".home-lead .card-title a, .home-latest .card-title a")
    ]
    assert titles[0] == "NATO will not allow a security vacuum in the Balkans, KFOR remains strong"
    assert len(titles) == 9
    # The demo's tag sections show the remaining stories.
    sections = [text_of(h) for h in html.select(".home-section h2")]
    assert sections and set(sections) <= {"Economy", "Politics"}


def test_drafts_and_unpublished_articles_are_404(make_article, news_index, client):
    draft = ArticlePage(
        title="Secret draft", slug="secret-draft", standfirst="Not yet.", live=False
    )
    news_index.add_child(instance=draft)
    draft.save_revision()
    assert client.get("/news/secret-draft/").status_code == 404

    page = make_article(title="Soon withdrawn", slug="soon-withdrawn")
    assert client.get("/news/soon-withdrawn/").status_code == 200
    page.unpublish()
    assert client.get("/news/soon-withdrawn/").status_code == 404
    listing = client.get("/news/").content.decode()
    assert "Soon withdrawn" not in listing and "Secret draft" not in listing


def test_unknown_page_gets_the_branded_404(site_tree, client):
    response = client.get("/news/no-such-article/")
    assert response.status_code == 404
    assert text_of(soup(response).select_one("h1")) == "We couldn't find that page"


@pytest.fixture
def many_articles(make_article):
    return [make_article() for _ in range(ARTICLES_PER_PAGE + 3)]


@pytest.mark.parametrize(
    ("query", "expected_page"),
    [
        ("", 1),
        ("?page=1", 1),
        ("?page=2", 2),
        ("?page=abc", 1),
        ("?page=99999", 2),
        ("?page=-1", 2),
        ("?page=0", 2),
        ("?page=1.5", 1),
        ("?page=%00", 1),
        ("?page=2&page=x", 1),
    ],
)
def test_news_index_pagination_edge_cases(many_articles, client, query, expected_page):
    response = client.get(f"/news/{query}")
    assert response.status_code == 200
    html = soup(response)
    cards = html.select(".card")
    assert len(cards) == (ARTICLES_PER_PAGE if expected_page == 1 else 3)
    assert f"Page {expected_page} of 2" in text_of(html.select_one(".pagination"))


def test_news_index_lists_newest_first(many_articles, client):
    html = soup(client.get("/news/"))
    titles = [text_of(a) for a in html.select(".card-title a")]
    assert titles[0] == "Article number 1"
    assert titles[1] == "Article number 2"


def test_empty_news_index_has_an_empty_state(news_index, client):
    response = client.get("/news/")
    assert response.status_code == 200
    assert "No articles have been published yet" in response.content.decode()
