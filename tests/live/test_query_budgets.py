"""A live page with 500 updates stays within an article's query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caching import datacache
from demo.build import demo_image
from live.models import LiveUpdate, update_body
from tests.support.live import post

pytestmark = pytest.mark.django_db

# tests/caching/test_query_budgets.py: an article's budgets, warm and cold.
ARTICLE_WARM, ARTICLE_COLD = 0, 20
POLL_WARM, POLL_COLD = 4, 13


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
        assert response.status_code == 200, path
    return len(ctx.captured_queries)


def measure(client, path):
    client.get(path)  # renditions are made once
    datacache.invalidate()
    cold = count(client, path)
    return count(client, path), cold


def add_updates(page, n, authors, image):
    rows = []
    for i in range(n):
        if i % 5 == 0:
            body = update_body(text=f"<p>Update {i}.</p>", image=image, image_alt="A road")
        elif i % 5 == 1:
            body = update_body(text=f"<p>Update {i}.</p>", quote="Words", quote_by="Someone")
        else:
            body = update_body(text=f"<p>Update {i}.</p>")
        rows.append(LiveUpdate(page=page, body=body, author=authors["arta-berisha"]))
    LiveUpdate.objects.bulk_create(rows)


def test_live_page_with_500_updates_costs_what_an_article_costs(client, live_page, authors):
    image = demo_image("Budget image", 1)
    add_updates(live_page, 10, authors, image)
    post(live_page, "Pinned.", pinned=True)
    small = {p: measure(client, live_page.url + p) for p in ("", "?page=1", "feed/")}
    add_updates(live_page, 490, authors, image)
    large = {p: measure(client, live_page.url + p) for p in ("", "?page=2", "?page=25", "feed/")}
    for path, (warm, cold) in large.items():
        if path == "feed/":
            continue
        assert warm <= ARTICLE_WARM, (path, large)
        assert cold <= ARTICLE_COLD, (path, large)
    assert large[""] == small[""], (small, large)
    assert large["feed/"][0] <= small["feed/"][0] + 1, (small, large)


def test_polling_costs_the_same_with_500_updates(client, live_page, authors):
    add_updates(live_page, 10, authors, None)
    latest = post(live_page, "Latest.")
    small = measure(client, live_page.url + f"updates/?after={latest.pk}")
    add_updates(live_page, 490, authors, None)
    latest = post(live_page, "Latest again.")
    large = measure(client, live_page.url + f"updates/?after={latest.pk}")
    assert large == small, (small, large)
    assert large[0] <= POLL_WARM and large[1] <= POLL_COLD, large
