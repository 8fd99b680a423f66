"""Most read on the home page and under articles: what is listed, and what it costs."""

from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from analytics import mostread
from caching import datacache
from tests.support.analytics import add_views
from tests.support.helpers import soup, text_of
from tests.support.languages import translate


def lists(response):
    section = soup(response).select_one("section.most-read")
    if section is None:
        return None
    return {
        heading.get_text(): [text_of(a) for a in heading.find_next("ol").select("a")]
        for heading in section.select("h3")
    }


def test_home_and_articles_list_the_most_read_today_and_this_week(client, make_article):
    first, second, third = (make_article(title=t) for t in ("Alpha", "Beta", "Gamma"))
    add_views(first, 5)
    add_views(second, 9)
    add_views(third, 50, days_ago=3)  # read this week, not today
    add_views(first, 3, days_ago=8)  # too old for the week
    add_views(first, 2, source="newsletter")
    expected = {"Today": ["Beta", "Alpha"], "This week": ["Gamma", "Beta", "Alpha"]}
    assert lists(client.get("/")) == expected
    assert lists(client.get(first.url)) == expected
    link = soup(client.get("/")).select_one("section.most-read a")
    assert link["href"] == second.url


def test_only_live_public_articles_are_listed(client, make_article, news_index):
    shown, hidden, private = (make_article(title=t) for t in ("Shown", "Hidden", "Private"))
    for page in (shown, hidden, private):
        add_views(page, 3)
    add_views(news_index, 100)  # a listing is no article
    hidden.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    datacache.invalidate()
    assert lists(client.get("/")) == {"Today": ["Shown"], "This week": ["Shown"]}


def test_each_language_lists_its_own_articles_with_their_own_urls(client, make_article):
    english = make_article(title="Border talks resume")
    albanian = translate(english, "sq", title="Bisedimet rifillojnë")
    add_views(english, 3)
    add_views(albanian, 2)
    home = client.get("/sq/")
    assert lists(home) == {"Sot": ["Bisedimet rifillojnë"], "Këtë javë": ["Bisedimet rifillojnë"]}
    link = soup(home).select_one("section.most-read a")
    assert link["href"] == albanian.url and link["href"].startswith("/sq/")
    assert lists(client.get("/"))["Today"] == ["Border talks resume"]


def test_nothing_is_shown_before_anything_was_read(client, make_article):
    article = make_article()
    assert lists(client.get("/")) is None
    assert lists(client.get(article.url)) is None


def test_most_read_costs_one_query_cold_and_none_warm(make_article, django_assert_num_queries):
    article = make_article()
    add_views(article, 4)
    day = timezone.localdate().isoformat()
    datacache.invalidate()
    list(Page.objects.public()[:1])  # as every reader page does: restricted sections cached
    with django_assert_num_queries(1):
        cold = mostread.most_read(day)
    with django_assert_num_queries(0):
        warm = mostread.most_read(day)
    item = {"id": article.pk, "title": article.title, "url": article.url, "views": 4}
    assert cold == warm == {"today": [item], "week": [item]}


def test_most_read_is_kept_a_few_minutes_then_computed_again(make_article, settings):
    article = make_article()
    day = timezone.localdate().isoformat()
    assert mostread.most_read(day)["week"] == []
    add_views(article, 1)  # a flush writes rows without a publication: the memo keeps its list
    assert mostread.most_read(day)["week"] == []
    from caching.memo import MARK

    assert getattr(mostread.most_read, MARK).lifetime() == settings.ANALYTICS_MOST_READ_SECONDS
