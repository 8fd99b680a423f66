"""Search in a real browser: from the header box to filtered results."""

import pytest

from tests.support.browser import VIEWPORTS


def search_from_header(page, base_url):
    page.goto(base_url + "/")
    page.locator("#site-search").fill("KFOR troops")
    page.locator("header form[role=search] button[type=submit]").click()
    page.wait_for_url("**/search/?q=KFOR+troops")
    first = page.locator(".search-result .result-title").first
    assert first.inner_text().startswith("NATO will not allow a security vacuum")
    assert page.locator(".search-result mark").count() >= 2


class TestWithoutJavaScript:
    @pytest.fixture
    def browser_context_args(self, browser_context_args):
        return {**browser_context_args, "java_script_enabled": False}

    def test_search_and_filter(self, live_site, page):
        search_from_header(page, live_site)
        # Filters are part of the same GET form, folded under "Narrow down" after the results.
        page.locator("summary", has_text="Narrow down").click()
        page.locator("#id_tag").select_option("kosova")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**/search/?*tag=kosova*")
        assert page.locator(".search-result").count() == 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_results_page_passes_axe(live_site, page, screenshot, axe, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    search_from_header(page, live_site)
    screenshot(f"search-{viewport}")
    assert axe() == []
