"""Translating an article in the admin, as an editor does it with wagtail-localize.

An editor translates a live English article into Albanian (the translation starts as a draft),
fills in strings in the translation editor and with the machine translator (the dummy backend:
no network), publishes it, edits the English source, syncs, and sees the Albanian translation
marked as waiting for translations while readers keep the last published Albanian text.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from editorial.roles import EDITORS, REPORTERS, ensure_editorial_setup
from news.models import ArticlePage, NewsIndexPage
from tests.support.editorial import PASSWORD
from tests.support.helpers import soup, text_of

ALBANIAN_TITLE = "Bisedimet për kufirin rifillojnë"


@pytest.fixture
def editor(site_tree, django_user_model):
    ensure_editorial_setup()
    user = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def article(make_article):
    return make_article(
        slug="border-talks",
        title="Border talks resume",
        standfirst="Negotiators meet again after a month.",
        body=[("paragraph", "<p>The talks resumed on Monday.</p>")],
    )


def editor_props(response) -> dict:
    """The props wagtail-localize's translation editor (a React component) starts from."""
    node = soup(response).find(class_="js-translation-editor")
    assert node is not None, "not the translation editor"
    return json.loads(node["data-props"])


def string_segments(props) -> dict[str, dict]:
    return {s["contentPath"]: s for s in props["segments"] if s["type"] == "string"}


def translate_into_albanian(client, article) -> ArticlePage:
    sq = Locale.objects.get(language_code="sq")
    url = reverse("wagtail_localize:submit_page_translation", args=[article.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Shqip" in text_of(soup(form)) or "Albanian" in text_of(soup(form))
    response = client.post(url, {"locales": [sq.pk]})
    albanian = ArticlePage.objects.get(translation_key=article.translation_key, locale=sq)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[albanian.pk])
    return albanian


def standfirst_on_page(client) -> str:
    """The standfirst a reader sees on the Albanian article."""
    page = client.get("/sq/news/border-talks/")
    assert page.status_code == 200
    return text_of(soup(page).find(class_="standfirst"))


def report_rows(client, query="") -> list[list[str]]:
    """The rows of wagtail-localize's Translations report: type, source, target, status."""
    response = client.get(reverse("wagtail_localize:translations_report_results") + query)
    assert response.status_code == 200
    return [[text_of(td) for td in tr.find_all("td")] for tr in soup(response).select("tbody tr")]


def put_string(client, segment, value):
    from urllib.parse import urlencode

    response = client.put(
        segment["editUrl"],
        urlencode({"value": value}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content


def test_editor_translates_an_article_and_syncs_a_change(
    client, editor, article, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    # The article's edit page offers "Translate this page".
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert "Translate this page" in edit.content.decode()

    albanian = translate_into_albanian(client, article)
    # A new translation is a draft: readers never see an untranslated copy under /sq/.
    assert not albanian.live
    assert client.get("/sq/news/border-talks/").status_code == 404
    # Its parents were made in Albanian too, with the newsroom's rights and workflow.
    albanian_index = NewsIndexPage.objects.get(locale__language_code="sq")
    assert albanian.get_parent().pk == albanian_index.pk
    assert albanian_index.get_workflow().name == "Editorial review"
    assert set(albanian_index.group_permissions.values_list("group__name", flat=True)) == {
        REPORTERS,
        EDITORS,
    }

    # The translation editor lists the source strings and offers the machine translator.
    edit_url = reverse("wagtailadmin_pages:edit", args=[albanian.pk])
    props = editor_props(client.get(edit_url))
    segments = string_segments(props)
    assert segments["title"]["source"] == "Border talks resume"
    assert segments["standfirst"]["source"] == "Negotiators meet again after a month."
    assert props["machineTranslator"]["name"] == "Dummy translator"
    assert props["perms"]["canPublish"] is True

    # The editor types the headline, the machine translator drafts the rest.
    put_string(client, segments["title"], ALBANIAN_TITLE)
    machine = client.post(props["machineTranslator"]["url"] + f"?next={edit_url}")
    assert machine.status_code == 302
    translation = Translation.objects.get(source__object_id=article.translation_key)
    assert translation.get_progress()[0] == translation.get_progress()[1]
    assert translation.get_status_display() == "Up to date"
    assert [row[3] for row in report_rows(client)] == ["Up to date"]

    # Publish from the translation editor: the Albanian page is live under /sq/.
    # (wagtail-localize publishes when the transaction commits.)
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(edit_url, {"action": "publish"})
    assert published.status_code == 302
    client.logout()
    page = client.get("/sq/news/border-talks/")
    assert page.status_code == 200
    html = soup(page)
    assert text_of(html.find("h1")) == ALBANIAN_TITLE
    # The dummy translator reverses the words.
    assert text_of(html.find(class_="standfirst")) == "month. a after again meet Negotiators"

    # The editor changes the English standfirst and publishes it.
    client.force_login(editor)
    article.standfirst = "Negotiators meet again after a long month."
    revision = article.save_revision(user=editor)
    revision.publish(user=editor)

    # The English edit page now offers "Sync translated pages"; syncing without publishing.
    source = TranslationSource.objects.get(object_id=article.translation_key)
    assert (
        "Sync translated pages"
        in client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    )
    sync_url = reverse("wagtail_localize:update_translations", args=[source.pk])
    sync_form = client.get(sync_url)
    assert sync_form.status_code == 200
    assert client.post(sync_url, {}).status_code == 302

    # The Albanian translation is marked out of date: waiting for the new standfirst.
    translation.refresh_from_db()
    assert translation.get_status_display() == "Waiting for translations"
    # The Translations report lists it among those waiting for translations.
    (row,) = report_rows(client, "?waiting_for_translation=true")
    assert row[0] == "Article"
    assert row[1].startswith("Border talks resume")
    assert row[2].startswith(ALBANIAN_TITLE)
    assert row[3] == "Waiting for translations"
    assert report_rows(client, "?waiting_for_translation=false") == []
    segments = string_segments(editor_props(client.get(edit_url)))
    assert segments["standfirst"]["source"] == "Negotiators meet again after a long month."

    # Readers keep the published Albanian text until the translator publishes again.
    client.logout()
    assert standfirst_on_page(client) == "month. a after again meet Negotiators"

    # The translator translates the new standfirst and publishes: readers get it.
    client.force_login(editor)
    new_standfirst = "Negociatorët takohen sërish pas një muaji të gjatë."
    put_string(client, segments["standfirst"], new_standfirst)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url, {"action": "publish"}).status_code == 302
    translation.refresh_from_db()
    assert translation.get_status_display() == "Up to date"
    client.logout()
    assert standfirst_on_page(client) == new_standfirst


def test_a_reporter_cannot_start_a_translation(client, editor, article, django_user_model):
    reporter = django_user_model.objects.create_user("reporter", "r@example.org", PASSWORD)
    reporter.groups.add(Group.objects.get(name=REPORTERS))
    client.force_login(reporter)
    sq = Locale.objects.get(language_code="sq")
    url = reverse("wagtail_localize:submit_page_translation", args=[article.pk])
    # Wagtail's admin answers a permission error with a redirect to the dashboard.
    for response in (client.get(url), client.post(url, {"locales": [sq.pk]})):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert not Page.objects.filter(
        translation_key=article.translation_key, locale__language_code="sq"
    ).exists()
