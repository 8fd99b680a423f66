"""Posting, pinning, withdrawing and editing updates in the admin."""

import pytest
from django.urls import reverse

from live.models import LiveUpdate
from tests.support.helpers import soup, text_of
from tests.support.live import draftail, post

pytestmark = pytest.mark.django_db


def post_url(page):
    return reverse("live_post_update", args=[page.pk])


def test_a_reporter_posts_an_update_and_readers_see_it_at_once(
    client, live_page, newsroom, authors
):
    client.force_login(newsroom["reporter"])
    form = client.get(post_url(live_page))
    assert form.status_code == 200
    response = client.post(
        post_url(live_page),
        {
            "text": draftail("The crossing at Bërnjak has reopened."),
            "quote": "Traffic is moving again",
            "quote_by": "Border police",
            "author": authors["arta-berisha"].pk,
        },
    )
    assert response.status_code == 302
    update = LiveUpdate.objects.get()
    assert update.posted_by == newsroom["reporter"]
    assert [block.block_type for block in update.body] == ["paragraph", "quote"]
    client.logout()
    page = soup(client.get(live_page.url))
    assert "The crossing at Bërnjak has reopened." in text_of(page.select_one(".live-timeline"))
    assert "Border police" in text_of(page.select_one(".live-quote"))


def test_an_empty_or_incomplete_form_is_an_error_not_a_500(client, live_page, newsroom):
    client.force_login(newsroom["reporter"])
    empty = client.post(post_url(live_page), {"text": draftail("")})
    assert empty.status_code == 200
    assert "Write some text, or add an image or a quote." in empty.content.decode()
    no_attribution = client.post(post_url(live_page), {"quote": "Words"})
    assert "Say who said it." in no_attribution.content.decode()
    assert not LiveUpdate.objects.exists()


def refused(response) -> bool:
    """The Wagtail admin answers PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_someone_without_the_right_cannot_post(client, live_page, newsroom):
    client.force_login(newsroom["outsider"])
    assert refused(client.get(post_url(live_page)))
    assert refused(client.post(post_url(live_page), {"text": draftail("Hi")}))
    assert not LiveUpdate.objects.exists()


def test_pin_and_withdraw(client, live_page, newsroom):
    update = post(live_page, "A wrong number of crossings.")
    client.force_login(newsroom["reporter"])
    action = lambda name, **data: client.post(  # noqa: E731
        reverse("live_update_action", args=[update.pk, name]), data
    )
    assert action("pin").status_code == 302
    update.refresh_from_db()
    assert update.pinned
    assert action("withdraw").status_code == 302  # no note: refused
    update.refresh_from_db()
    assert not update.withdrawn
    action("withdraw", note="The number was wrong.")
    update.refresh_from_db()
    assert update.withdrawn and not update.pinned
    assert update.correction_note == "The number was wrong."
    client.logout()
    html = client.get(live_page.url).content.decode()
    assert "A wrong number of crossings." not in html
    assert "The number was wrong." in html


def test_the_outsider_cannot_withdraw(client, live_page, newsroom):
    update = post(live_page, "Stays.")
    client.force_login(newsroom["outsider"])
    url = reverse("live_update_action", args=[update.pk, "withdraw"])
    assert refused(client.post(url, {"note": "x"}))
    update.refresh_from_db()
    assert not update.withdrawn


def test_the_live_page_offers_post_update_in_the_page_explorer(client, live_page, newsroom):
    client.force_login(newsroom["reporter"])
    explorer = client.get(reverse("wagtailadmin_explore", args=[live_page.get_parent().pk]))
    assert post_url(live_page).encode() in explorer.content


def test_editing_an_update_in_full_marks_it_edited(client, live_page, newsroom):
    update = post(live_page, "Typo in this updte.")
    client.force_login(newsroom["editor"])
    edit = client.get(reverse("wagtailsnippets_live_liveupdate:edit", args=[update.pk]))
    assert edit.status_code == 200
    update.body = [("paragraph", "<p>Typo fixed in this update.</p>")]
    update.correction_note = "Corrected a typo."
    update.save()
    assert update.edited_at is not None
    html = client.get(live_page.url).content.decode()
    assert "Corrected a typo." in html
