"""The newsroom in every language: a reporter drafts and submits an Albanian article, an editor
publishes it; each language's news index has the groups' rights and the review workflow."""

import pytest
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from news.models import ArticlePage, NewsIndexPage
from tests.support.editorial import add_url, article_form_data
from tests.support.helpers import soup, text_of
from tests.support.languages import translate

ALBANIAN = {
    "title": "Kuvendi miraton buxhetin për vitin e ardhshëm",
    "slug": "kuvendi-miraton-buxhetin",
    "standfirst": "Deputetët votuan pas një debati të gjatë për shpenzimet publike.",
}


@pytest.fixture
def albanian_index(newsroom):
    return translate(newsroom["index"], "sq", title="Lajme")


def rights(index) -> set[tuple[str, str]]:
    return set(
        GroupPagePermission.objects.filter(page=index).values_list(
            "group__name", "permission__codename"
        )
    )


@pytest.mark.parametrize("language", ["sq", "sr"])
def test_each_language_news_index_gets_the_newsroom(newsroom, language):
    english = newsroom["index"]
    index = translate(english, language)
    assert index.locale.language_code == language
    assert rights(index) == rights(english)
    assert ("Reporters", "add_page") in rights(index)
    assert ("Editors", "publish_page") in rights(index)
    assert ("Reporters", "publish_page") not in rights(index)
    assert index.get_workflow().name == "Editorial review"
    # Running the setup again (migrate, load_demo) adds nothing.
    from editorial.roles import ensure_editorial_setup

    before = GroupPagePermission.objects.count()
    ensure_editorial_setup()
    assert GroupPagePermission.objects.count() == before


def test_reporter_drafts_and_submits_an_albanian_article_editor_publishes(
    client, newsroom, albanian_index
):
    client.force_login(newsroom["reporter"])
    # The reporter finds the Albanian news index in the admin and adds an article there.
    explorer = client.get(reverse("wagtailadmin_explore", args=[albanian_index.pk]))
    assert explorer.status_code == 200
    form = client.get(add_url(albanian_index))
    assert form.status_code == 200
    html = soup(form)
    assert html.find(attrs={"name": "action-publish"}) is None
    assert html.find(attrs={"name": "action-submit"}) is not None

    data = article_form_data(newsroom["author"], action="submit", **ALBANIAN)
    response = client.post(add_url(albanian_index), data)
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug=ALBANIAN["slug"])
    assert page.locale.language_code == "sq"
    assert page.get_parent().pk == albanian_index.pk
    assert not page.live
    state = page.current_workflow_state
    assert state.status == "in_progress"
    assert state.workflow.name == "Editorial review"
    # Not on the site yet, in any language.
    client.logout()
    assert client.get(f"/sq/news/{ALBANIAN['slug']}/").status_code == 404

    # The editor sees it waiting on the dashboard and approves it.
    client.force_login(newsroom["editor"])
    dashboard = soup(client.get(reverse("wagtailadmin_home")))
    awaiting = dashboard.select_one(".newsroom-awaiting")
    assert awaiting is not None and ALBANIAN["title"] in awaiting.get_text()
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    assert client.post(approve, {"comment": "Në rregull"}).status_code == 302
    page.refresh_from_db()
    assert page.live

    client.logout()
    public = client.get(f"/sq/news/{ALBANIAN['slug']}/")
    assert public.status_code == 200
    assert text_of(soup(public).find("h1")) == ALBANIAN["title"]
    # An Albanian-only article: no English copy appears.
    assert not Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    assert client.get(f"/news/{ALBANIAN['slug']}/").status_code == 404


def test_reporter_cannot_publish_in_albanian_either(client, newsroom, albanian_index):
    client.force_login(newsroom["reporter"])
    data = article_form_data(newsroom["author"], action="publish", **ALBANIAN)
    assert client.post(add_url(albanian_index), data).status_code == 302
    page = ArticlePage.objects.get(slug=ALBANIAN["slug"])
    assert not page.live
    client.logout()
    assert client.get(f"/sq/news/{ALBANIAN['slug']}/").status_code == 404


def test_a_news_index_made_before_the_groups_exist_is_covered_by_the_setup(site_tree):
    """A database whose groups are made later (a flushed test database, an old site): the
    setup run by migrate / load_demo covers every language's index."""
    from django.contrib.auth.models import Group

    from editorial.roles import ensure_editorial_setup

    Group.objects.filter(name__in=["Reporters", "Editors"]).delete()
    serbian = translate(site_tree[1], "sr")
    assert not GroupPagePermission.objects.filter(page=serbian).exists()
    ensure_editorial_setup()
    for index in NewsIndexPage.objects.all():
        assert ("Reporters", "add_page") in rights(index)
        assert index.get_workflow().name == "Editorial review"
