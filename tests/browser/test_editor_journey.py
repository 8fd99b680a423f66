"""The newsroom journey in Chromium: a reporter writes and submits, an editor publishes."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from playwright.sync_api import expect

PASSWORD = "newsroom-browser-password"  # noqa: S105
HEADLINE = "Border crossing reopens after talks in Brussels"
SLUG = "border-crossing-reopens-after-talks-in-brussels"


@pytest.fixture
def newsroom_users(live_site, django_user_model):
    users = {}
    for username, group in [("rita", "Reporters"), ("eddie", "Editors")]:
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/admin/")


def insert_block(page, label):
    """Open the last "Insert a block" menu of the body and choose ``label``."""
    page.get_by_role("button", name="Insert a block", exact=True).last.click()
    page.get_by_role("option", name=label, exact=True).click()


def choose_preview_mode(page, label, mode):
    """Pick a preview mode; retried because the preview panel may still be (re)loading."""
    select = page.get_by_label("Preview mode")
    iframe = page.locator("#w-preview-iframe")
    for _attempt in range(3):
        select.select_option(label=label)
        try:
            expect(iframe).to_have_attribute("src", re.compile(f"mode={mode}"), timeout=10_000)
            return
        except AssertionError:
            select.select_option(index=0)
    raise AssertionError(f"the preview did not switch to {mode!r}")


def test_reporter_writes_and_submits_editor_publishes(live_site, newsroom_users, page, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1000})
    from news.models import NewsIndexPage

    index = NewsIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)

    # --- the reporter writes ----------------------------------------------------------
    log_in(page, live_site, "rita")
    page.goto(f"{live_site}/admin/pages/add/news/articlepage/{index.pk}/")
    page.locator("#id_title").fill(HEADLINE)
    page.locator("#id_standfirst").fill("The crossing at Jarinje reopened on Friday.")
    counter = page.locator("#id_title-character-count")
    expect(counter).to_have_text(f"{len(HEADLINE)} / 120 characters")
    screenshot("editor-journey-0-headline-counter")

    insert_block(page, "Paragraph")
    page.locator(".Draftail-Editor [contenteditable=true]").last.click()
    page.keyboard.type("Traffic resumed in both directions shortly after noon.")
    insert_block(page, "Pull quote")
    page.locator("textarea[name$='-value-quote']").fill("This is a day for ordinary people")
    page.locator("input[name$='-value-attribution']").fill("Albin Kurti")
    insert_block(page, "Fact box")
    page.locator("input[name$='-value-title']").last.fill("The crossing in numbers")
    page.locator("input[name$='-facts-0-value-figure']").fill("1,200")
    page.locator("input[name$='-facts-0-value-label']").fill("vehicles crossed on the first day")
    page.locator("input[name$='-facts-0-value-source_url']").fill("https://example.org/jarinje")
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    screenshot("editor-journey-1-edit-form")

    # Save a draft first: on a new page Wagtail's autosave turns the form into the edit form
    # and re-renders the preview panel, which would reset the chosen preview mode.
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    expect(page.locator(".messages")).to_contain_text(re.compile("created|updated"))

    # The live preview in the side panel shows the fact box and the pull quote.
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator(".block-fact-box .figure")).to_have_text("1,200", timeout=20_000)
    expect(preview.locator(".block-pull-quote blockquote")).to_contain_text("ordinary people")
    screenshot("editor-journey-2-preview")
    choose_preview_mode(page, "Social sharing card", "social")
    expect(preview.locator(".social-title")).to_have_text(HEADLINE, timeout=20_000)
    expect(preview.locator(".block-fact-box .figure")).to_have_text("1,200")
    screenshot("editor-journey-3-preview-social")

    # Reporters have no "Publish": they submit to the editors.
    page.get_by_role("button", name="More actions").click()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    page.get_by_role("button", name=re.compile("Submit to Editorial review")).click()
    expect(page.locator(".messages")).to_contain_text("submitted", timeout=20_000)

    from news.models import ArticlePage

    article = ArticlePage.objects.get(slug=SLUG)
    assert not article.live
    assert article.current_workflow_state.status == "in_progress"

    # --- the editor publishes -----------------------------------------------------------
    log_in(page, live_site, "eddie")
    expect(page.locator(".newsroom-awaiting")).to_contain_text(HEADLINE)
    page.locator(".newsroom-awaiting").get_by_role("link", name=HEADLINE).click()
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("has been updated", timeout=20_000)
    article.refresh_from_db()
    assert article.live

    # --- readers see it with its fact box ----------------------------------------------
    page.context.clear_cookies()
    page.goto(f"{live_site}/news/{SLUG}/")
    expect(page.locator("h1")).to_have_text(HEADLINE)
    expect(page.locator(".block-fact-box")).to_contain_text("1,200")
    expect(page.locator(".block-fact-box")).to_contain_text("vehicles crossed on the first day")
    screenshot("editor-journey-4-published")
