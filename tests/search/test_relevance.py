"""Expected top results over the demo content (run on SQLite and on PostgreSQL)."""

from demo.articles import SEED_SLUG
from tests.support.helpers import soup, text_of

SEED_TITLE = "NATO will not allow a security vacuum in the Balkans, KFOR remains strong"


def result_titles(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    # Articles only: live pages are listed on their own, above them (test_live_pages.py).
    articles = ".search-result:not(.live-result) .result-title"
    return [text_of(h) for h in soup(response).select(articles)]


def test_expected_top_results_over_the_demo_content(demo, client):
    from django.conf import settings

    from news.models import ArticlePage

    # /search/ searches the English articles (the demo's translations are searched under their
    # own language's prefix: tests/search/test_search_languages.py).
    english = ArticlePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)

    def tagged(name):
        return {page.title for page in english.filter(tags__name=name).distinct()}

    def by(author):
        return {page.title for page in english.filter(article_authors__author__name=author)}

    failures = []

    def expect(query, check, description):
        titles = result_titles(client, q=query)
        if not check(titles):
            failures.append(f"{query!r}: expected {description}, got {titles}")

    # Words of the real article: it is the first (and for these, the only) result.
    for query in ["KFOR troops", "Rutte", "security vacuum", "4,767"]:
        expect(query, lambda t: t[:1] == [SEED_TITLE], "the KFOR article first")
    # Its place name: every article about Kosova, the one most about it first.
    kosova = tagged("Kosova")
    expect(
        "Kosova",
        lambda t: t[:1] == [SEED_TITLE] and kosova <= set(t),
        f"the KFOR article first and all of {sorted(kosova)}",
    )
    # An author's name: exactly that author's articles.
    arta = by("Arta Berisha")
    expect("Arta Berisha", lambda t: set(t) == arta, f"exactly {sorted(arta)}")
    # A tag: exactly the articles with that tag.
    transport = tagged("Transport")
    expect("Transport", lambda t: set(t) == transport, f"exactly {sorted(transport)}")
    assert not failures, "\n".join(failures)
    # The demo live page is about Kosova's border crossings: listed above the articles.
    live = soup(client.get("/search/", {"q": "Kosova crossings"})).select(".live-result a")
    assert [a["href"] for a in live] == ["/news/northern-border-crossings-live/"]


def test_seed_article_result_links_to_it(demo, client):
    html = soup(client.get("/search/", {"q": "Rutte"}))
    link = html.select_one(".search-result .result-title a")
    assert link["href"].endswith(f"/{SEED_SLUG}/")
    marks = {text_of(m) for m in html.select(".result-snippet mark")}
    assert marks and all(m.startswith("Rutte") for m in marks)
