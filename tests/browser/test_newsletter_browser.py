"""A reader subscribes from an article's footer form and confirms, in Chromium, with axe."""

import re

from django.core import mail

from demo.articles import SEED_SLUG
from newsletter.models import Subscriber


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
