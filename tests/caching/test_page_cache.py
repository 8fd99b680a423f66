"""The anonymous full-page cache: what is cached, what never is, and what a publish purges."""

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from caching import guard as guarded
from caching.pagecache import PageCacheMiddleware
from tests.support.helpers import soup

pytestmark = pytest.mark.usefixtures("page_cache_on")


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_second_anonymous_request_is_served_from_cache_without_queries(
    client, make_article, django_assert_num_queries
):
    article = make_article(title="Cached headline")
    first = get(client, article.url)
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = get(client, article.url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert soup(second).h1.get_text(strip=True) == "Cached headline"


def test_cached_pages_carry_cdn_friendly_cache_control(client, make_article):
    article = make_article()
    for response in (get(client, article.url), get(client, article.url)):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert "public" in directives
        assert "max-age=0" in directives
        assert any(d.startswith("s-maxage=") and int(d.split("=")[1]) > 0 for d in directives)
        assert any(d.startswith("stale-while-revalidate=") for d in directives)
        assert any(d.startswith("stale-if-error=") for d in directives)
        assert "Set-Cookie" not in response
        # A shared cache keeps a reader's copy apart from an editor's (who has a session cookie).
        assert "Cookie" in response["Vary"], response["X-Cache"]


def test_logged_in_editors_are_never_served_or_stored_in_the_cache(
    client, make_article, admin_user
):
    article = make_article(title="Public headline")
    get(client, article.url)  # anonymous copy in the cache
    client.force_login(admin_user)
    for _ in range(2):
        response = get(client, article.url)
        assert "X-Cache" not in response
        assert "private" in response["Cache-Control"]
    client.logout()
    # The editor's render (with the userbar) was not stored for readers.
    anonymous = get(client, article.url)
    assert anonymous["X-Cache"] == "HIT"
    assert b"wagtail-userbar" not in anonymous.content


def test_home_index_and_pagination_are_cached_per_page_number(client, make_article):
    make_article()
    for url in ("/", "/news/", "/news/?page=2"):
        assert get(client, url)["X-Cache"] == "MISS"
        assert get(client, url)["X-Cache"] == "HIT"
    # Tracking parameters do not split the cache.
    assert get(client, "/news/?utm_source=newsletter")["X-Cache"] == "HIT"


def test_unknown_query_strings_and_search_are_not_cached(client, make_article):
    make_article()
    for url in ("/news/?nocache=123", "/search/?q=article", "/news/?page=" + "9" * 40):
        for _ in range(2):
            response = client.get(url)
            assert "X-Cache" not in response
            assert "private" in response["Cache-Control"]


def test_publishing_a_change_purges_the_article_index_home_and_listings(
    client, make_article, news_index
):
    article = make_article(title="Old headline", tags=["Kosovo"])
    other = make_article(title="Another story", tags=["Serbia"])
    urls = [article.url, "/", "/news/", "/news/?page=2", other.url]
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Cache"] == "HIT"

    revision = article.save_revision()
    article.title = "New headline"
    revision = article.save_revision()
    revision.publish()

    response = get(client, article.url)
    assert response["X-Cache"] == "MISS"
    assert soup(response).h1.get_text(strip=True) == "New headline"
    for url in ("/", "/news/", "/news/?page=2"):
        response = get(client, url)
        assert response["X-Cache"] == "MISS", url
    assert "New headline" in get(client, "/news/").content.decode()
    # An unrelated article keeps its cached copy.
    assert get(client, other.url)["X-Cache"] == "HIT"


def test_publish_purges_tag_author_and_feed_prefixes(make_article, news_index):
    from caching.invalidation import page_rule, purge_plan

    article = make_article()
    exact, prefixes = purge_plan(article, page_rule(article))
    assert set(exact) >= {article.url, "/news/", "/"}
    assert {"/news/tag/", "/news/author/", "/feeds/"} <= set(prefixes)


def test_prefix_purge_reaches_every_page_below_it(rf):
    from caching import pagecache

    def view(request):
        return HttpResponse("<p>tag page</p>", content_type="text/html")

    middleware = PageCacheMiddleware(view)
    for path in ("/news/tag/kosovo/", "/news/tag/kosovo/feed/", "/news/author/arta/"):
        assert middleware(rf.get(path))["X-Cache"] == "MISS"
        assert middleware(rf.get(path))["X-Cache"] == "HIT"
    pagecache.purge_prefix("/news/tag/")
    assert middleware(rf.get("/news/tag/kosovo/"))["X-Cache"] == "MISS"
    assert middleware(rf.get("/news/tag/kosovo/feed/"))["X-Cache"] == "MISS"
    assert middleware(rf.get("/news/author/arta/"))["X-Cache"] == "HIT"


def test_a_new_article_appears_in_the_cached_sitemap_files(client, make_article):
    make_article(title="Older story", tags=["Energy"])
    for path in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-pages.xml"):
        get(client, path)
        assert get(client, path)["X-Cache"] == "HIT"
    article = make_article(title="Fresh story", tags=["Fisheries"])
    assert article.url in get(client, "/sitemap-articles.xml").content.decode()
    assert "/news/tag/fisheries/" in get(client, "/sitemap-pages.xml").content.decode()
    assert get(client, "/sitemap.xml")["X-Cache"] == "MISS"


def test_unpublished_article_disappears_at_once(client, make_article):
    article = make_article(title="Soon withdrawn")
    url = article.url
    get(client, url)
    assert get(client, url)["X-Cache"] == "HIT"
    get(client, "/news/")
    article.unpublish()
    assert client.get(url).status_code == 404
    assert "Soon withdrawn" not in get(client, "/news/").content.decode()


def test_site_settings_change_purges_everything(client, make_article, site_tree):
    from home.models import SiteSettings

    article = make_article()
    get(client, article.url)
    assert get(client, article.url)["X-Cache"] == "HIT"
    settings_obj = SiteSettings.for_site(site_tree[0].get_site())
    settings_obj.tagline = "A new tagline"
    settings_obj.save()
    response = get(client, article.url)
    assert response["X-Cache"] == "MISS"
    assert "A new tagline" in response.content.decode()


def test_private_page_password_form_is_not_cached(client, make_article):
    from wagtail.models import PageViewRestriction

    article = make_article(title="Members only")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        response = client.get(article.url)
        assert response.status_code == 200
        assert soup(response).find("input", attrs={"type": "password"}) is not None
        assert "Body of article" not in response.content.decode()
        assert "X-Cache" not in response
        assert "private" in response["Cache-Control"]


# Unit tests of each "never cache" rule on the middleware itself.

rf_ = RequestFactory()


def run_twice(view, path="/news/some-article/", **request_extra):
    middleware = PageCacheMiddleware(view)
    responses = []
    for _ in range(2):
        request = rf_.get(path, **request_extra)
        responses.append(middleware(request))
    return responses


def html(body="<p>hello</p>"):
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def test_rule_plain_html_is_cached():
    assert [r["X-Cache"] for r in run_twice(lambda request: html())] == ["MISS", "HIT"]


def test_rule_responses_setting_cookies_are_not_cached():
    def view(request):
        response = html()
        response.set_cookie("seen", "1")
        return response

    assert all("X-Cache" not in r for r in run_twice(view))


def test_rule_responses_with_a_csrf_token_are_not_cached():
    def view(request):
        return html(f'<form><input name="csrfmiddlewaretoken" value="{get_token(request)}"></form>')

    assert all("X-Cache" not in r for r in run_twice(view))


def test_rule_csrf_field_in_markup_is_never_shared():
    view = lambda request: html('<input type="hidden" name="csrfmiddlewaretoken" value="x">')  # noqa: E731
    assert all("X-Cache" not in r for r in run_twice(view))


def test_rule_previews_are_not_cached():
    def view(request):
        request.is_preview = True
        return html()

    assert all("X-Cache" not in r for r in run_twice(view))


def test_rule_admin_paths_and_errors_are_not_cached():
    assert all("X-Cache" not in r for r in run_twice(lambda r: html(), path="/admin/pages/"))
    assert all(
        "X-Cache" not in r
        for r in run_twice(lambda r: HttpResponse("missing", status=404, content_type="text/html"))
    )


def test_rule_requests_with_a_session_cookie_bypass_the_cache():
    middleware = PageCacheMiddleware(lambda request: html())
    middleware(rf_.get("/x/"))
    assert middleware(rf_.get("/x/"))["X-Cache"] == "HIT"
    request = rf_.get("/x/")
    request.COOKIES["sessionid"] = "abc"
    assert "X-Cache" not in middleware(request)


def test_rule_private_cache_control_and_csp_nonce_are_respected():
    def private_view(request):
        response = html()
        response["Cache-Control"] = "private"
        return response

    def nonce_view(request):
        from django.utils.csp import LazyNonce

        request._csp_nonce = LazyNonce()
        return html(f'<script nonce="{request._csp_nonce}">1</script>')

    assert all("X-Cache" not in r for r in run_twice(private_view))
    assert all("X-Cache" not in r for r in run_twice(nonce_view, path="/y/"))


def test_rule_posts_are_never_cached():
    middleware = PageCacheMiddleware(lambda request: html())
    for _ in range(2):
        assert "X-Cache" not in middleware(rf_.post("/news/"))


def test_cdn_is_told_about_the_article_and_its_listings(make_article, settings):
    from tests.support.cdn import RecordingBackend

    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.support.cdn.RecordingBackend"}}
    RecordingBackend.urls = []
    article = make_article(slug="cdn-story", tags=["Energy"])
    article.title = "Changed for the CDN"
    article.save_revision().publish()
    root = article.get_site().root_url
    assert {
        f"{root}/news/cdn-story/",
        f"{root}/news/",
        f"{root}/",
        f"{root}/news/tag/energy/",
        f"{root}/news/author/arta-berisha/",
        f"{root}/feeds/rss/",
        f"{root}/feeds/tag/energy/rss/",
        f"{root}/feeds/author/arta-berisha/atom/",
    } <= set(RecordingBackend.urls)


def test_a_hit_costs_one_round_trip_to_the_cache(client, make_article, monkeypatch):
    article = make_article(title="One round trip")
    get(client, article.url)
    calls = []
    for name in ("get", "get_many", "set", "add"):
        original = getattr(guarded, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(guarded, name, spy)
    assert get(client, article.url)["X-Cache"] == "HIT"
    assert calls == ["get_many"]
