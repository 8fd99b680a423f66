"""The demo's three newsletters, built once however often the demo runs."""

import pytest

from demo.build import load_demo
from newsletter.models import Newsletter

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_newsletters_and_stays_idempotent(client):
    load_demo()
    load_demo()
    newsletters = {n.slug: n for n in Newsletter.objects.all()}
    assert sorted(newsletters) == ["breaking", "morning-briefing", "new-articles"]
    assert newsletters["morning-briefing"].cadence == "daily"
    assert sorted(t.name for t in newsletters["breaking"].tags.all()) == ["Politics", "Security"]
    assert [n.slug for n in Newsletter.objects.defaults()] == ["new-articles"]
    page = client.get("/newsletter/").content.decode()
    for name in ("New articles", "Morning briefing", "Breaking: politics and security"):
        assert name in page
