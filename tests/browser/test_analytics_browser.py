"""The beacon in a real browser: loaded under the strict CSP without JavaScript, counted with
its source, and no cookie set."""

from analytics.buffer import buffer
from analytics.flush import flush
from analytics.models import DailyViews
from analytics.store import LocalStore, set_store

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def test_the_beacon_counts_a_newsletter_reader_without_javascript(live_site, browser, settings):
    from news.models import ArticlePage

    settings.ANALYTICS_MODE = "beacon"
    set_store(LocalStore())
    buffer.take()
    DailyViews.objects.all().delete()  # the demo's numbers
    article = ArticlePage.objects.live().order_by("pk").first()
    context = browser.new_context(user_agent=CHROME, java_script_enabled=False)
    try:
        page = context.new_page()
        with page.expect_response(lambda r: r.url.endswith(f"/a/v/{article.pk}.gif")) as seen:
            page.goto(f"{live_site}{article.url}?src=nl")
        assert seen.value.status == 200
        assert context.cookies() == []
        buffer.push()
        flush()
        rows = DailyViews.objects.filter(page=article).values_list("source", "views")
        assert list(rows) == [("newsletter", 1)]
    finally:
        context.close()
        set_store(None)


def test_the_beacon_script_counts_where_a_reader_came_from(live_site, browser, settings):
    """With JavaScript, beacon.js tells the server the referrer's host: a reader from a search
    engine on an article and on the search page is counted as such."""
    from news.models import ArticlePage

    settings.ANALYTICS_MODE = "beacon"
    set_store(LocalStore())
    buffer.take()
    DailyViews.objects.all().delete()
    article = ArticlePage.objects.live().order_by("pk").first()
    context = browser.new_context(user_agent=CHROME)
    try:
        page = context.new_page()
        errors = []
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        with page.expect_response(lambda r: f"/a/v/{article.pk}.gif?r=" in r.url) as seen:
            page.goto(f"{live_site}{article.url}", referer="https://www.google.com/")
        assert seen.value.status == 200
        with page.expect_response(lambda r: "/a/p.gif?r=" in r.url) as seen:
            page.goto(f"{live_site}/search/?q=kosovo", referer="https://duckduckgo.com/")
        assert seen.value.status == 200
        assert context.cookies() == [] and errors == []
        buffer.push()
        flush()
        rows = DailyViews.objects.values_list("path", "source", "referrer", "views")
        assert set(rows) == {
            (article.url, "search", "google.com", 1),
            ("/search/", "search", "duckduckgo.com", 1),
        }
    finally:
        context.close()
        set_store(None)
