"""Subscribers exported from WordPress become confirmed newsletter subscribers."""

import contextlib

from django.core import mail
from django.core.management import CommandError, call_command

from newsletter.models import Subscriber
from tests.support import FIXTURES

FIXTURES = FIXTURES / "wordpress"
EXPORT = FIXTURES / "export.xml"
SUBSCRIBERS = FIXTURES / "subscribers.csv"


def run(*args):
    from io import StringIO

    out = StringIO()
    # The fixture holds deliberately broken posts, so the command ends with a CommandError
    # listing them after importing everything else.
    with contextlib.suppress(CommandError):
        call_command("import_wordpress", str(EXPORT), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_subscribers_are_imported_as_confirmed_once(site_tree):
    output = run("--subscribers", str(SUBSCRIBERS))
    assert "Subscribers: 2 created, 1 already there, 1 invalid" in output
    people = {s.email: s for s in Subscriber.objects.all()}
    assert set(people) == {"reader.one@example.org", "reader.two@example.org"}
    one = people["reader.one@example.org"]
    assert one.status == Subscriber.Status.CONFIRMED
    assert one.source == "wordpress"
    assert "WordPress" in one.consent_text
    assert one.created_at.date().isoformat() == "2024-03-01"
    assert mail.outbox == []  # they already confirmed on WordPress: nobody is emailed

    # A reader who unsubscribed here stays unsubscribed when the import runs again.
    one.status = Subscriber.Status.UNSUBSCRIBED
    one.save()
    output = run("--subscribers", str(SUBSCRIBERS))
    assert "Subscribers: 0 created, 3 already there, 1 invalid" in output
    assert Subscriber.objects.get(email="reader.one@example.org").status == "unsubscribed"
    assert Subscriber.objects.count() == 2


def test_dry_run_imports_no_subscribers(site_tree):
    output = run("--subscribers", str(SUBSCRIBERS), "--dry-run")
    assert "Subscribers: 2 created" in output
    assert Subscriber.objects.count() == 0
