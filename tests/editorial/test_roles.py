"""Roles and workflow: reporters submit, editors publish, strangers get the login page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageLogEntry, Workflow

from news.models import ArticlePage
from tests.support.editorial import add_url, article_form_data
from tests.support.helpers import soup


def created_article():
    return ArticlePage.objects.get(slug="newsroom-test-article")


@pytest.mark.django_db
def test_groups_come_from_the_migration():
    # The test database was built by the migrations alone: the groups are already there.
    reporters = Group.objects.get(name="Reporters")
    editors = Group.objects.get(name="Editors")
    assert reporters.permissions.filter(codename="access_admin").exists()
    assert editors.permissions.filter(codename="change_author").exists()
    assert not reporters.permissions.filter(codename="change_author").exists()
    assert Workflow.objects.filter(name="Editorial review", active=True).exists()


def test_setup_is_idempotent(newsroom):
    from editorial.roles import ensure_editorial_setup

    index = newsroom["index"]
    before = (
        Group.objects.count(),
        index.group_permissions.count(),
        Workflow.objects.count(),
    )
    ensure_editorial_setup()
    ensure_editorial_setup()
    assert (
        Group.objects.count(),
        index.group_permissions.count(),
        Workflow.objects.count(),
    ) == before
    assert index.get_workflow().name == "Editorial review"


def test_reporter_cannot_publish(client, newsroom):
    client.force_login(newsroom["reporter"])
    form = client.get(add_url(newsroom["index"]))
    assert form.status_code == 200
    html = soup(form)
    assert html.find(attrs={"name": "action-publish"}) is None
    assert html.find(attrs={"name": "action-submit"}) is not None

    # Even a hand-made "publish" POST only saves a draft.
    data = article_form_data(newsroom["author"], action="publish")
    response = client.post(add_url(newsroom["index"]), data)
    assert response.status_code == 302
    page = created_article()
    assert not page.live
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()
    client.logout()
    assert client.get("/news/newsroom-test-article/").status_code == 404


def test_reporter_submits_for_review_and_editor_approves(client, newsroom):
    client.force_login(newsroom["reporter"])
    data = article_form_data(newsroom["author"], action="submit")
    response = client.post(add_url(newsroom["index"]), data)
    assert response.status_code == 302
    page = created_article()
    assert not page.live
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.workflow.name == "Editorial review"
    assert state.requested_by == newsroom["reporter"]

    # The reporter cannot approve their own submission.
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    denied = client.post(approve, {"comment": ""})
    assert denied.status_code in {302, 403}  # Wagtail redirects with "permission denied"
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"

    client.force_login(newsroom["editor"])
    dashboard = soup(client.get(reverse("wagtailadmin_home")))
    awaiting = dashboard.select_one(".newsroom-awaiting")
    assert awaiting is not None and "Newsroom test article" in awaiting.get_text()

    response = client.post(approve, {"comment": "Good to go"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    client.logout()
    public = client.get(page.url)
    assert public.status_code == 200
    assert "4,767" in public.content.decode()


def test_editor_can_publish(client, newsroom):
    client.force_login(newsroom["editor"])
    form = soup(client.get(add_url(newsroom["index"])))
    assert form.find(attrs={"name": "action-publish"}) is not None
    response = client.post(
        add_url(newsroom["index"]), article_form_data(newsroom["author"], action="publish")
    )
    assert response.status_code == 302
    page = created_article()
    assert page.live
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1

    # ...and unpublish.
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    assert client.post(unpublish).status_code == 302
    page.refresh_from_db()
    assert not page.live


@pytest.mark.parametrize(
    "url_name", ["wagtailsnippets_news_author:add", "wagtailsnippets_taggit_tag:add"]
)
def test_editor_manages_authors_and_tags_reporter_does_not(client, newsroom, url_name):
    url = reverse(url_name)
    client.force_login(newsroom["reporter"])
    assert client.get(url).status_code in {302, 403}
    client.force_login(newsroom["editor"])
    assert client.get(url).status_code == 200


def test_editor_renames_a_tag(client, newsroom, make_article):
    from taggit.models import Tag

    make_article(tags=["Kosovo"])
    tag = Tag.objects.get(name="Kosovo")
    client.force_login(newsroom["editor"])
    response = client.post(
        reverse("wagtailsnippets_taggit_tag:edit", args=[tag.pk]),
        {"name": "Kosova", "slug": "kosova"},
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.name == "Kosova"


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/pages/", "/admin/pages/add/news/articlepage/1/", "/admin/snippets/"],
)
def test_anonymous_gets_the_login_page(client, site_tree, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain, path
    assert response.redirect_chain[-1][0].startswith(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    html = soup(response)
    assert html.find("input", attrs={"name": "username"}) is not None
    assert html.find("input", attrs={"name": "password"}) is not None


def test_reporter_logs_in_through_the_form(client, newsroom):
    from tests.support.editorial import PASSWORD

    response = client.post(
        reverse("wagtailadmin_login"), {"username": "reporter", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
