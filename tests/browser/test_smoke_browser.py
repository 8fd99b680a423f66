"""A first browser journey: the front page opens in Chromium and passes axe-core."""

import pytest

from tests.support.browser import VIEWPORTS


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_to_article(live_site, page, screenshot, axe, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_site + "/")
    assert page.locator("h1").count() == 1
    screenshot(f"home-{viewport}")
    assert axe() == []
    page.get_by_role("link", name="NATO will not allow a security vacuum").first.click()
    page.wait_for_url("**/news/nato-will-not-allow-**")
    assert "4,767" in page.locator(".block-fact-box").inner_text()
    screenshot(f"article-{viewport}")
    assert axe() == []
