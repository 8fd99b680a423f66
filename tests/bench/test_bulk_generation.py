"""The fast benchmark generator writes a consistent tree that Wagtail serves like any other."""

from django.core.management import call_command
from wagtail.models import Page

from news.models import ArticlePage
from tests.support.helpers import soup, text_of


def test_fast_generation_builds_a_consistent_tree(site_tree, client):
    call_command("generate_articles", "30", "--fast", verbosity=0)
    call_command("generate_articles", "2", verbosity=0)  # the slow path still fits in after it
    call_command("generate_articles", "5", "--fast", verbosity=0)
    problems = Page.find_problems()
    assert all(not group for group in problems), problems
    index = site_tree[1]
    index.refresh_from_db()
    assert index.numchild == ArticlePage.objects.child_of(index).count() == 37
    slugs = set(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == {f"bulk-{n}" for n in range(1, 36)} | {"bench-1", "bench-2"}

    page = ArticlePage.objects.get(slug="bulk-7")
    response = client.get(page.url)
    assert response.status_code == 200
    html = soup(response)
    assert text_of(html.select_one("h1")) == page.title
    assert len(html.select(".article-body .block-paragraph")) >= 3
    assert html.select_one(".lead-image img")["alt"].startswith("Illustration: ")
    assert page.tags.count() == 3
    assert 1 <= len(page.authors) <= 2


def test_fast_generation_indexes_for_search(site_tree, client):
    call_command("generate_articles", "3", "--fast", verbosity=0)
    page = ArticlePage.objects.get(slug="bulk-2")
    response = client.get("/search/", {"q": page.title.split(" (")[0]})
    assert response.status_code == 200
    assert page.title in text_of(soup(response).select_one("main"))
