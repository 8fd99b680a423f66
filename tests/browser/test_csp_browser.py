"""The Content-Security-Policy breaks nothing: no violations on reader pages or in the admin."""

import re


def collect_csp_violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return messages


def test_reader_pages_run_without_csp_violations(live_site, page):
    violations = collect_csp_violations(page)
    page.goto(live_site + "/")
    page.get_by_role("link", name="NATO will not allow a security vacuum").first.click()
    page.wait_for_url("**/news/nato-will-not-allow-**")
    page.goto(live_site + "/news/")
    page.goto(live_site + "/search/?q=KFOR")
    assert violations == []


def test_admin_editing_and_preview_run_without_csp_violations(live_site, page, django_user_model):
    from news.models import ArticlePage

    django_user_model.objects.create_superuser("csp-admin", "csp@example.org", "csp-password-1")
    violations = collect_csp_violations(page)
    page.goto(live_site + "/admin/login/")
    page.fill("input[name=username]", "csp-admin")
    page.fill("input[name=password]", "csp-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    article = ArticlePage.objects.live().first()
    page.goto(f"{live_site}/admin/pages/{article.pk}/edit/")
    page.wait_for_selector("[data-draftail-input], .Draftail-Editor", timeout=15_000)
    # The editor's view of the live page, with the Wagtail userbar under the reader policy.
    page.goto(live_site + article.url)
    page.wait_for_selector("wagtail-userbar", state="attached", timeout=15_000)
    assert violations == []
