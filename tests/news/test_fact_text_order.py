"""A fact reads the same in plain text as in the fact box: "more than 50,000 troops at the
outset", never "50,000 more than troops at the outset" (issue 22, item 2)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from demo.articles import SEED_SLUG
from demo.build import seed_fact_box
from news.blocks import ArticleBodyBlock
from news.models import ArticlePage
from tests.support.helpers import soup, text_of

AS_READ = ["more than 50,000 troops at the outset", "around 4,767 soldiers serve today"]
BACKWARDS = re.compile(r"50,000\W+more than|4,767\W+around")


def plain(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


@pytest.fixture
def seed(demo):
    return ArticlePage.objects.get(slug=SEED_SLUG)


def test_the_fact_blocks_plain_text_puts_the_qualifier_before_the_figure():
    stream = ArticleBodyBlock()
    value = stream.to_python([{"type": "fact_box", "value": seed_fact_box()}])
    box = value[0]
    assert box.block.plain_text(box.value).splitlines() == [
        "KFOR in numbers",
        "June 1999 mission established",
        *AS_READ,
        "33 countries contribute troops",
    ]
    assert stream.get_searchable_content(value)[2:4] == AS_READ


def test_the_search_index_holds_the_facts_as_read(seed):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite FTS table keeps the indexed text readable")
    from wagtail.search.models import SQLiteFTSIndexEntry

    bodies = [
        entry.body
        for entry in SQLiteFTSIndexEntry.objects.filter(index_entry__object_id=str(seed.pk))
    ]
    assert any(all(fact in body for fact in AS_READ) for body in bodies)
    assert not any(BACKWARDS.search(body) for body in bodies)


def test_search_snippets_read_the_facts_forwards(seed, client):
    # The search from the issue: its snippet is the fact box.
    html = soup(client.get("/search/", {"q": "KFOR troops"}))
    result = next(
        node
        for node in html.select(".search-result")
        if node.select_one(".result-title a")["href"] == seed.url
    )
    snippet = text_of(result.select_one(".result-snippet"))
    assert "KFOR in numbers" in snippet
    for fact in AS_READ:
        assert fact in snippet
    assert not BACKWARDS.search(snippet)


@pytest.mark.parametrize("path", ["/feeds/rss/", "/feeds/atom/"])
def test_feeds_read_the_facts_forwards(seed, client, path):
    feed = client.get(path).content.decode()
    items = re.split(r"<item>|<entry>", feed)[1:]
    seed_item = next(item for item in items if SEED_SLUG in item)
    text = plain(BeautifulSoup(seed_item, "html.parser").get_text(" "))
    for fact in AS_READ:
        assert fact in text
    assert not BACKWARDS.search(text)


def test_the_newsletter_reads_the_facts_forwards(seed):
    from newsletter.emails import render_article

    rendered = render_article(seed)
    for text in (rendered.text, plain(rendered.html)):
        assert not BACKWARDS.search(text)
    assert seed.title in rendered.text


def test_meta_descriptions_read_the_facts_forwards(seed, client):
    html = soup(client.get(seed.url))
    descriptions = [html.find("meta", attrs={"name": "description"})["content"]]
    descriptions += [tag["content"] for tag in html.select('meta[property="og:description"]')]
    descriptions += [tag["content"] for tag in html.select('meta[name="twitter:description"]')]
    for description in descriptions:
        assert not BACKWARDS.search(description)
