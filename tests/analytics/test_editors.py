"""What editors see: the dashboard panel, the stats view per page, the CSV; only with the right."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from analytics.models import DailyReaders, HourlyViews
from tests.support.analytics import add_views
from tests.support.helpers import soup, text_of


@pytest.fixture
def read_article(make_article):
    article = make_article(title="Much read")
    add_views(article, 7)
    add_views(article, 3, source="newsletter")
    add_views(article, 5, source="search", referrer="google.com")
    add_views(article, 11, days_ago=2)
    DailyReaders.objects.create(day=timezone.localdate(), path=article.url, page=article, readers=9)
    HourlyViews.objects.create(
        hour=timezone.now().replace(minute=0, second=0, microsecond=0),
        path=article.url,
        page=article,
        source="direct",
        views=4,
    )
    return article


def editor(django_user_model, *, allowed: bool):
    user = django_user_model.objects.create_user("ed", password="pw-for-tests-only")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if allowed:
        user.user_permissions.add(Permission.objects.get(codename="view_stats"))
    return user


def test_the_dashboard_panel_shows_most_read_and_the_last_hour(client, admin_user, read_article):
    client.force_login(admin_user)
    panel = soup(client.get("/admin/")).select_one("#readers-panel")
    assert panel is not None
    text = text_of(panel)
    assert "4 views since" in text
    assert "Much read — 15 views" in text  # today: 7 + 3 + 5
    assert "Much read — 26 views" in text  # this week


def test_the_stats_view_shows_views_per_day_sources_and_newsletter_clicks(
    client, admin_user, read_article
):
    client.force_login(admin_user)
    response = client.get(f"/admin/analytics/page/{read_article.pk}/")
    assert response.status_code == 200
    page = soup(response)
    text = text_of(page)
    assert "26 views in the last 30 days" in text
    assert "3 newsletter clicks" in text
    assert len(page.select("svg.views-chart rect")) == 30
    rows = {
        text_of(tr.select("td")[0]): text_of(tr.select("td")[1])
        for tr in page.select("table")[1].select("tbody tr")
    }
    assert rows == {"Direct or unknown": "18", "Search engines": "5", "Newsletter": "3"}
    assert "google.com" in text
    assert client.get(f"/admin/analytics/page/{read_article.pk}/?days=abc").status_code == 200
    assert client.get("/admin/analytics/page/999999/").status_code == 404


def test_the_csv_has_every_daily_row(client, admin_user, read_article):
    client.force_login(admin_user)
    response = client.get(f"/admin/analytics/page/{read_article.pk}/csv/")
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["day", "source", "referring_domain", "views"]
    assert sorted(int(row[3]) for row in rows[1:]) == [3, 5, 7, 11]


def test_only_users_with_the_right_see_the_numbers(client, django_user_model, read_article):
    client.force_login(editor(django_user_model, allowed=False))
    assert soup(client.get("/admin/")).select_one("#readers-panel") is None
    paths = (
        "/admin/analytics/",
        f"/admin/analytics/page/{read_article.pk}/",
        f"/admin/analytics/page/{read_article.pk}/csv/",
    )
    for path in paths:
        # Wagtail answers a refused admin view with its dashboard and a "no permission" message.
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    client.logout()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    permitted = django_user_model.objects.create_user("chief", password="pw-for-tests-only")
    permitted.groups.add(Group.objects.get(name="Editors"))
    client.force_login(permitted)
    assert soup(client.get("/admin/")).select_one("#readers-panel") is not None
    for path in paths:
        assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_editors_have_the_right_and_reporters_do_not():
    for name, allowed in (("Editors", True), ("Reporters", False)):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="view_stats").exists() is allowed


def stats_links(response, page):
    return soup(response).select(f'a[href="/admin/analytics/page/{page.pk}/"]')


def test_editors_find_a_stats_link_in_the_page_listing_and_the_page_header(
    client, django_user_model, read_article, make_article
):
    user = editor(django_user_model, allowed=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    listing = client.get(f"/admin/pages/{read_article.get_parent().pk}/")
    assert listing.status_code == 200
    links = stats_links(listing, read_article)
    assert links and text_of(links[0]) == "Stats"
    assert links[0]["aria-label"] == "Readers' numbers for 'Much read'"
    edit = client.get(f"/admin/pages/{read_article.pk}/edit/")
    assert edit.status_code == 200 and stats_links(edit, read_article)
    assert client.get(links[0]["href"]).status_code == 200
    # A draft nobody has read yet has no link.
    draft = make_article(title="Not yet")
    type(draft).objects.filter(pk=draft.pk).update(first_published_at=None, live=False)
    assert not stats_links(client.get(f"/admin/pages/{draft.pk}/edit/"), draft)


def test_no_stats_link_without_the_right(client, django_user_model, read_article):
    from wagtail.models import GroupPagePermission

    user = editor(django_user_model, allowed=False)
    # The Editors' rights over pages, without the right to see readers' numbers.
    group = Group.objects.create(name="Editors without numbers")
    for each in GroupPagePermission.objects.filter(group__name="Editors"):
        GroupPagePermission.objects.create(group=group, page=each.page, permission=each.permission)
    user.groups.add(group)
    client.force_login(user)
    listing = client.get(f"/admin/pages/{read_article.get_parent().pk}/")
    assert listing.status_code == 200
    assert not stats_links(listing, read_article)
    assert not stats_links(client.get(f"/admin/pages/{read_article.pk}/edit/"), read_article)
