"""A reader keeps the demo live page open: with JavaScript, new updates wait behind a button;
without it, the page is the updates. axe-core passes both ways."""

import pytest

from demo.live import LIVE_SLUG
from tests.support.browser import VIEWPORTS, axe_violations, describe


def live_url(base):
    return f"{base}/news/{LIVE_SLUG}/"


def no_violations(axe, name):
    violations = axe()
    assert violations == [], f"{name}: {describe(violations)}"


@pytest.fixture
def fast_polling(settings):
    settings.LIVE_POLL_SECONDS = 0.5


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_new_updates_wait_behind_a_button_and_take_focus(
    live_site, fast_polling, page, axe, screenshot, viewport
):
    from live.models import LivePage, LiveUpdate

    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_url(live_site))
    assert page.locator("h1").count() == 1
    no_violations(axe, f"live page ({viewport})")
    first = page.locator(".live-updates .live-update").first
    top_before = first.bounding_box()["y"]

    live = LivePage.objects.get(slug=LIVE_SLUG)
    new = LiveUpdate.objects.create(page=live, body=[("paragraph", "<p>Bërnjak is open.</p>")])

    button = page.get_by_role("button", name="Show 1 new update")
    button.wait_for(timeout=15_000)
    assert page.locator(".live-notice[aria-live=polite] .live-new").count() == 1
    assert first.bounding_box()["y"] == top_before  # nothing moved under the reader
    assert page.locator(f"#update-{new.pk}").count() == 0
    screenshot(f"live-new-updates-{viewport}")

    button.click()
    inserted = page.locator(".live-updates .live-update").first
    assert inserted.get_attribute("id") == f"update-{new.pk}"
    assert "Bërnjak is open." in inserted.inner_text()
    assert page.evaluate("document.activeElement.id") == f"update-{new.pk}"
    assert not button.is_visible()
    no_violations(axe, f"live page after new updates ({viewport})")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_without_javascript_the_page_is_the_updates(live_site, browser, artifacts_dir, viewport):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_url(live_site))
    assert page.locator(".live-updates .live-update").count() >= 6
    assert page.locator(".live-pinned .live-update").count() == 1
    assert page.locator(".live-new").count() == 0
    assert "This update was withdrawn" in page.locator(".live-timeline").inner_text()
    page.locator('a[href$="feed/"]').first.wait_for()
    violations = axe_violations(page, javascript=False)
    assert violations == [], f"live page without JavaScript ({viewport}): {describe(violations)}"
    page.screenshot(path=str(artifacts_dir / f"live-no-js-{viewport}.png"), full_page=True)

    page.goto(live_site + "/news/")
    assert page.locator(".live-now a").get_attribute("href") == f"/news/{LIVE_SLUG}/"
    violations = axe_violations(page, javascript=False)
    assert violations == [], f"news index without JavaScript ({viewport}): {describe(violations)}"

    # The reader search lists the live page, labelled, above the articles.
    page.goto(live_site + "/search/?q=crossing")
    result = page.locator(".live-result").first
    assert result.locator("a").get_attribute("href") == f"/news/{LIVE_SLUG}/"
    assert result.locator(".live-badge").inner_text().strip().lower() == "live"
    violations = axe_violations(page, javascript=False)
    assert violations == [], f"search without JavaScript ({viewport}): {describe(violations)}"
    context.close()
