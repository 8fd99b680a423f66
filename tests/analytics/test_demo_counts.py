"""The demo's readers' numbers: shown on the home page, added once."""

from analytics.models import DailyReaders, DailyViews, HourlyViews
from demo.analytics import load_demo_counts
from demo.build import load_demo
from tests.support.helpers import soup


def test_the_demo_shows_most_read_and_running_it_again_adds_nothing(client, db):
    load_demo()
    counts = [m.objects.count() for m in (DailyViews, HourlyViews, DailyReaders)]
    assert all(counts)
    assert load_demo_counts() == 0
    load_demo()
    assert [m.objects.count() for m in (DailyViews, HourlyViews, DailyReaders)] == counts
    most_read = soup(client.get("/")).select("section.most-read ol")
    assert most_read and len(most_read[-1].select("li")) == 5
