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
