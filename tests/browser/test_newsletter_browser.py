"""A reader subscribes from an article's footer form and confirms, and later chooses their
newsletters and language on the preferences page, in Chromium, with axe."""

import re

from django.core import mail

from demo.articles import SEED_SLUG
from newsletter.models import Newsletter, Subscriber
from tests.support.newsletter import confirm_link, path_of, preferences_link


def test_subscribe_and_confirm_in_the_browser(live_site, page, screenshot, axe):
    mail.outbox = []
    page.goto(f"{live_site}/news/{SEED_SLUG}/")
    form = page.locator("article .subscribe-cta form")
    form.get_by_label("Email address").fill("browser.reader@example.org")
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/newsletter/check-your-inbox/")
    assert page.locator("h1").inner_text() == "Check your inbox"
    assert axe() == []
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", message.body).group(0)
    page.goto(live_site + re.sub(r"^https?://[^/]+", "", link))
    assert axe() == []
    assert Subscriber.objects.get().status == "pending"
    page.get_by_role("button", name="Confirm my subscription").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "You are subscribed"
    screenshot("newsletter-confirmed")
    assert axe() == []
    assert Subscriber.objects.get().status == "confirmed"


def test_bad_address_shows_an_accessible_error(live_site, page, axe):
    page.goto(f"{live_site}/newsletter/")
    form = page.locator("main .subscribe-cta form")
    form.get_by_label("Email address").fill("not-an-address")
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    error = page.locator(".subscribe-error")
    assert "valid email address" in error.inner_text()
    field = page.locator("main input[name=email]")
    assert field.get_attribute("aria-invalid") == "true"
    assert axe() == []


def test_preferences_from_the_signed_link_change_newsletters_and_language_then_leave_all(
    live_site, page, screenshot, axe
):
    """A reader subscribes to the briefing, opens "Choose your newsletters" from the welcome
    email, swaps newsletters, picks Albanian (the page follows in Albanian) and leaves all."""
    mail.outbox = []
    page.goto(f"{live_site}/newsletter/")
    form = page.locator("main .subscribe-cta form")
    form.get_by_label("Email address").fill("prefs.reader@example.org")
    form.get_by_label("Morning briefing").check()
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/newsletter/check-your-inbox/")
    page.goto(live_site + path_of(confirm_link(mail.outbox[0])))
    page.get_by_role("button", name="Confirm my subscription").click()
    page.wait_for_load_state()
    welcome = next(m for m in mail.outbox if m.subject == "Welcome to the Morning briefing")
    reader = Subscriber.objects.get(email="prefs.reader@example.org")
    assert reader.active_newsletter_ids() == set(
        Newsletter.objects.filter(slug__in=["new-articles", "morning-briefing"]).values_list(
            "pk", flat=True
        )
    )

    page.goto(live_site + path_of(preferences_link(welcome)))
    assert page.locator("h1").inner_text() == "Your newsletters"
    assert page.get_by_label("English").is_checked()
    assert axe() == []
    page.get_by_label("New articles").uncheck()
    page.get_by_label("Breaking: politics and security").check()
    page.get_by_label("Shqip").check()
    page.get_by_role("button", name="Save my choices").click()
    page.wait_for_url("**/sq/newsletter/preferences/**")
    assert page.locator("html").get_attribute("lang") == "sq"
    assert page.get_by_role("status").inner_text() == "Zgjedhjet tuaja u ruajtën."
    assert page.get_by_label("Shqip").is_checked()
    assert page.get_by_label("Morning briefing").is_checked()
    assert page.get_by_label("Breaking: politics and security").is_checked()
    assert not page.get_by_label("New articles").is_checked()
    screenshot("newsletter-preferences-sq")
    assert axe() == []
    reader.refresh_from_db()
    assert reader.language == "sq"
    assert sorted(
        Newsletter.objects.filter(pk__in=reader.active_newsletter_ids()).values_list(
            "slug", flat=True
        )
    ) == ["breaking", "morning-briefing"]

    page.get_by_role("button", name="Largohu nga të gjitha buletinet").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Jeni çregjistruar"
    assert axe() == []
    reader.refresh_from_db()
    assert reader.status == "unsubscribed" and reader.active_newsletter_ids() == set()
