"""Scheduled publishing: the scheduler publishes what is due, once; the health check sees delays."""

import datetime
import json
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from news.models import ArticlePage
from tests.support import ROOT
from tests.support.editorial import add_url, article_form_data
from tests.support.helpers import soup, text_of


class Clock:
    """Moves django.utils.timezone.now(), which Wagtail's scheduler and the health check use."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def move_to(self, moment: datetime.datetime):
        self.monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def run_scheduler():
    call_command("run_scheduler", "--once", stdout=StringIO(), stderr=StringIO())


def schedule_in_admin(client, newsroom, go_live: datetime.datetime) -> ArticlePage:
    """An editor creates an article and publishes it with a go-live time (as the admin does)."""
    client.force_login(newsroom["editor"])
    local = timezone.localtime(go_live)
    data = article_form_data(
        newsroom["author"], action="publish", go_live_at=local.strftime("%Y-%m-%d %H:%M")
    )
    response = client.post(add_url(newsroom["index"]), data)
    assert response.status_code == 302, soup(response).select(".error-message")
    return ArticlePage.objects.get(slug="newsroom-test-article")


def publications(page) -> int:
    return PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").count()


def test_scheduled_article_goes_live_after_the_scheduler_runs_and_not_before(
    client, newsroom, clock
):
    start = timezone.now().replace(second=0, microsecond=0)
    page = schedule_in_admin(client, newsroom, start + datetime.timedelta(hours=2))
    assert not page.live
    revision = Revision.page_revisions.get(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )
    assert revision.approved_go_live_at == start + datetime.timedelta(hours=2)

    # Before the go-live time the scheduler leaves it alone.
    run_scheduler()
    page.refresh_from_db()
    assert not page.live
    client.logout()
    assert client.get("/news/newsroom-test-article/").status_code == 404

    # After it, one pass publishes it ...
    clock.move_to(start + datetime.timedelta(hours=2, minutes=1))
    page.refresh_from_db()
    assert not page.live  # time passing alone publishes nothing: the scheduler does
    run_scheduler()
    page.refresh_from_db()
    assert page.live
    assert publications(page) == 1
    response = client.get("/news/newsroom-test-article/")
    assert response.status_code == 200
    assert "4,767" in text_of(soup(response).select_one(".block-fact-box"))

    # ... and running it again publishes nothing more.
    last_published = page.last_published_at
    run_scheduler()
    page.refresh_from_db()
    assert publications(page) == 1
    assert page.last_published_at == last_published
    assert page.revisions.count() == 1


def test_scheduled_expiry_unpublishes_once(client, newsroom, clock):
    client.force_login(newsroom["editor"])
    start = timezone.now().replace(second=0, microsecond=0)
    expire = timezone.localtime(start + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    client.post(
        add_url(newsroom["index"]),
        article_form_data(newsroom["author"], action="publish", expire_at=expire),
    )
    page = ArticlePage.objects.get(slug="newsroom-test-article")
    assert page.live
    run_scheduler()
    page.refresh_from_db()
    assert page.live
    clock.move_to(start + datetime.timedelta(hours=1, minutes=1))
    run_scheduler()
    run_scheduler()
    page.refresh_from_db()
    assert not page.live and page.expired
    assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").count() == 1


def test_health_check_reports_overdue_pages(client, newsroom, clock, settings):
    settings.HEALTHZ_SCHEDULE_GRACE_SECONDS = 300

    def scheduled_publishing():
        response = client.get("/healthz/")
        return response.status_code, json.loads(response.content)["checks"]["scheduled_publishing"]

    start = timezone.now().replace(second=0, microsecond=0)
    schedule_in_admin(client, newsroom, start + datetime.timedelta(minutes=30))
    assert scheduled_publishing() == (200, "ok")

    # Due, but within the grace period: the scheduler may simply not have run yet.
    clock.move_to(start + datetime.timedelta(minutes=32))
    assert scheduled_publishing() == (200, "ok")

    # Late by more than five minutes: the scheduler is not running.
    clock.move_to(start + datetime.timedelta(minutes=40))
    assert scheduled_publishing() == (503, "1 overdue")

    run_scheduler()
    assert scheduled_publishing() == (200, "ok")


def test_dashboard_lists_scheduled_articles_in_the_site_time_zone(client, newsroom, settings):
    go_live = datetime.datetime(2031, 7, 1, 10, 0, tzinfo=datetime.UTC)
    schedule_in_admin(client, newsroom, go_live)
    html = soup(client.get(reverse("wagtailadmin_home")))
    scheduled = html.select_one(".newsroom-scheduled")
    assert scheduled is not None
    assert "Newsroom test article" in text_of(scheduled)
    # 10:00 UTC is 12:00 in Belgrade in summer (CEST).
    assert settings.TIME_ZONE == "Europe/Belgrade"
    assert "1 Jul 2031, 12:00 CEST" in text_of(scheduled)
    assert scheduled.select_one("time")["datetime"] == "2031-07-01T12:00:00+0200"
    heading = text_of(html.select_one("#newsroom-scheduled"))
    assert "Europe/Belgrade" in heading


def test_dashboard_lists_recently_published(client, newsroom, make_article):
    make_article(title="Freshly published story")
    client.force_login(newsroom["reporter"])
    html = soup(client.get(reverse("wagtailadmin_home")))
    assert "Freshly published story" in text_of(html.select_one(".newsroom-published"))
    assert "Nothing is waiting for review." in text_of(html.select_one("#newsroom-panel"))


def test_edit_form_shows_the_time_zone_next_to_go_live_and_expiry(client, newsroom):
    client.force_login(newsroom["editor"])
    html = soup(client.get(add_url(newsroom["index"])))
    for name in ["go_live_at", "expire_at"]:
        field = html.find("input", attrs={"name": name})
        assert field is not None, name
        # The schedule dialog sits in a <template>, whose text BeautifulSoup's get_text() skips.
        help_text = unescape(str(html.find(id=field["aria-describedby"])))
        assert "Times are in the site's time zone, Europe/Belgrade (now UTC+0" in help_text, name


@pytest.mark.django_db
def test_procfile_runs_the_scheduler():
    procfile = (ROOT / "Procfile").read_text()
    assert "scheduler: python manage.py run_scheduler" in procfile.splitlines()


def test_newsroom_panel_queries_do_not_grow_with_the_number_of_articles(
    newsroom, make_article, django_assert_max_num_queries
):
    from editorial.dashboard import NewsroomPanel

    def schedule(n):
        for i in range(n):
            page = make_article(slug=f"scheduled-{n}-{i}", title=f"Scheduled {n}-{i}")
            page.save_revision().publish()
            revision = page.save_revision(
                approved_go_live_at=timezone.now() + datetime.timedelta(days=1)
            )
            assert revision.approved_go_live_at

    schedule(1)
    with django_assert_max_num_queries(8):
        context = NewsroomPanel().get_context_data({})
    assert len(context["scheduled"]) == 1
    schedule(6)
    with django_assert_max_num_queries(8):
        context = NewsroomPanel().get_context_data({})
    assert len(context["scheduled"]) == 7
    assert len(context["recently_published"]) == 7
