"""A reader's journey in Chromium: home -> article -> tag -> author -> feed.

Every page passes axe-core at phone and desktop widths, and a screenshot of each is saved.
"""

import pytest

from demo.articles import SEED_SLUG
from tests.support.browser import VIEWPORTS

SEED_HEADLINE = "NATO will not allow a security vacuum in the Balkans, KFOR remains strong"


def check_page(page, axe, screenshot, name, viewport):
    assert page.locator("h1").count() == 1, f"{name}: one h1"
    assert page.locator("main#main").count() == 1
    screenshot(f"journey-{name}-{viewport}")
    violations = axe()
    assert violations == [], f"{name} ({viewport}): " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_journey(live_site, page, screenshot, axe, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])

    page.goto(live_site + "/")
    check_page(page, axe, screenshot, "home", viewport)
    page.locator(".home-lead .card-title a").click()
    page.wait_for_url("**/news/nato-will-not-allow-**")

    check_page(page, axe, screenshot, "article", viewport)
    assert page.locator("h1").inner_text() == SEED_HEADLINE
    assert "min read" in page.locator(".reading-time").inner_text()
    # The pull quote repeats the text: hidden from assistive technology.
    assert page.locator(".block-pull-quote").get_attribute("aria-hidden") == "true"
    page.locator(".tag-list a", has_text="KFOR").click()
    page.wait_for_url("**/news/tag/kfor/")

    check_page(page, axe, screenshot, "tag", viewport)
    assert page.locator("h1").inner_text() == "KFOR"
    page.get_by_role("link", name="The Balkan Report Newsroom").first.click()
    page.wait_for_url("**/news/author/newsroom/")

    check_page(page, axe, screenshot, "author", viewport)
    feed_link = page.locator(".feed-links a", has_text="RSS feed")
    href = feed_link.get_attribute("href")
    assert href == "/feeds/author/newsroom/rss/"
    # A browser downloads a feed instead of showing it: fetch it as a feed reader would.
    feed = page.request.get(live_site + href)
    assert feed.ok
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert SEED_HEADLINE in feed.text()
    autodiscovered = page.locator('link[rel="alternate"][type="application/rss+xml"]')
    assert href in [
        autodiscovered.nth(i).get_attribute("href") for i in range(autodiscovered.count())
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_listing_and_error_pages_are_accessible(live_site, page, screenshot, axe, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_site + "/news/")
    check_page(page, axe, screenshot, "news-index", viewport)
    page.goto(live_site + "/news/tag/no-articles-here/")
    check_page(page, axe, screenshot, "not-found", viewport)
    page.goto(live_site + "/privacy/")
    check_page(page, axe, screenshot, "privacy", viewport)


def test_dark_mode_and_keyboard_focus(live_site, page, screenshot, axe):
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(f"{live_site}/news/{SEED_SLUG}/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 20, 20)"
    check_page(page, axe, screenshot, "article-dark", "desktop")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
