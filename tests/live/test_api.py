"""Posting through Wagtail's v3 API with a bearer token."""

import json

import pytest
from wagtail.models import APIToken

from live.models import LiveUpdate
from tests.support.live import api_post, post

pytestmark = pytest.mark.django_db


def test_a_reporter_token_posts_and_readers_see_it(client, live_page, tokens, authors):
    response = api_post(
        client,
        live_page,
        {"text": "<p>Police reopen <b>Bërnjak</b>.</p>", "author": "arta-berisha"},
        tokens["reporter"],
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["author"] == "Arta Berisha"
    assert data["url"].endswith(f"{live_page.url}#update-{data['id']}")
    update = LiveUpdate.objects.get()
    assert update.posted_by.username == "reporter"
    html = client.get(live_page.url).content.decode()
    assert "Police reopen <b>Bërnjak</b>." in html


def test_markdown_text_is_accepted(client, live_page, tokens):
    text = {"format": "db_markdown", "content": "Crossings **reopen** at noon."}
    assert api_post(client, live_page, {"text": text}, tokens["reporter"]).status_code == 201
    assert "<b>reopen</b>" in client.get(live_page.url).content.decode()


def test_hostile_markup_is_cleaned(client, live_page, tokens):
    hostile = (
        '<p>Hi<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">link</a><span style="color:red" onclick="x()">red</span>'
        "</p><iframe src=https://evil.example></iframe><h1>Big</h1>"
    )
    response = api_post(client, live_page, {"text": hostile}, tokens["reporter"])
    assert response.status_code == 201, response.content
    stored = LiveUpdate.objects.get().body.get_prep_value()[0]["value"]
    page = client.get(live_page.url).content.decode()
    # What the script said stays as harmless text; no element or attribute survives.
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<h1>Big"):
        assert bad not in stored, bad
        assert bad not in page.split('<main id="main"')[1], bad
    assert "Hi" in stored and "red" in stored


def test_missing_or_wrong_token_is_401(client, live_page, tokens):
    assert api_post(client, live_page, {"text": "<p>x</p>"}).status_code == 401
    assert api_post(client, live_page, {"text": "<p>x</p>"}, "wagtail_nope").status_code == 401
    revoked = APIToken.objects.get(name="reporter's phone")
    revoked.revoke()
    assert api_post(client, live_page, {"text": "<p>x</p>"}, tokens["reporter"]).status_code == 401
    assert not LiveUpdate.objects.exists()


def test_a_session_is_not_a_token(client, live_page, newsroom):
    client.force_login(newsroom["reporter"])
    assert api_post(client, live_page, {"text": "<p>x</p>"}).status_code == 401


def test_a_user_without_the_right_gets_403(client, live_page, tokens):
    response = api_post(client, live_page, {"text": "<p>x</p>"}, tokens["outsider"])
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not LiveUpdate.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "<p><br></p>"},
        {"quote": "Words without a speaker"},
        {"text": "<p>x</p>", "author": "nobody-at-all"},
        {"text": "<p>x</p>", "pinned": "maybe"},
        {"text": 5},
        {"quote": "x" * 501, "quote_by": "Someone"},
    ],
)
def test_bad_bodies_are_422(client, live_page, tokens, body):
    response = api_post(client, live_page, body, tokens["reporter"])
    assert response.status_code == 422, (body, response.content)
    assert not LiveUpdate.objects.exists()


def test_malformed_json_and_unknown_formats_are_4xx(client, live_page, tokens):
    assert api_post(client, live_page, "{not json", tokens["reporter"]).status_code in (400, 422)
    odd = {"text": {"format": "html", "content": "<p>x</p>"}}
    assert api_post(client, live_page, odd, tokens["reporter"]).status_code == 400
    assert api_post(client, live_page, {"text": "<p>x</p>"}, tokens["reporter"]).status_code == 201


def test_unknown_page_is_404(client, live_page, tokens):
    response = client.post(
        "/api/v3/live/999999/updates/",
        json.dumps({"text": "<p>x</p>"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['reporter']}",
    )
    assert response.status_code == 404


def test_withdrawn_updates_are_gone_from_the_api(client, live_page, tokens):
    keep = post(live_page, "Stays.")
    gone = post(live_page, "Goes.")
    response = client.patch(
        f"/api/v3/live/updates/{gone.pk}/",
        json.dumps({"withdrawn": True, "correction_note": "Wrong place name."}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['reporter']}",
    )
    assert response.status_code == 200 and response.json()["withdrawn"]
    listed = client.get(f"/api/v3/live/{live_page.pk}/updates/").json()
    assert [u["id"] for u in listed] == [keep.pk]
    assert "Goes." not in client.get(live_page.url).content.decode()


def test_withdrawing_needs_a_note_and_the_right(client, live_page, tokens):
    update = post(live_page, "Stays.")
    url = f"/api/v3/live/updates/{update.pk}/"
    for token, data, status in (
        (tokens["reporter"], {"withdrawn": True}, 422),
        (tokens["outsider"], {"withdrawn": True, "correction_note": "x"}, 403),
        (None, {"pinned": True}, 401),
    ):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        response = client.patch(url, json.dumps(data), content_type="application/json", **headers)
        assert response.status_code == status, (data, response.content)
    update.refresh_from_db()
    assert not update.withdrawn and not update.pinned


def test_api_responses_are_never_page_cached(client, live_page, page_cache_on):
    post(live_page, "One.")
    client.get(f"/api/v3/live/{live_page.pk}/updates/")
    response = client.get(f"/api/v3/live/{live_page.pk}/updates/")
    assert "X-Cache" not in response
    post(live_page, "Two.")
    assert len(client.get(f"/api/v3/live/{live_page.pk}/updates/").json()) == 2
