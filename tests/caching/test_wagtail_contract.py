"""Contract with the installed Wagtail: what caching.wagtail_lookups and caching.middleware rely on.

Each wrapped lookup must give Wagtail's own answer (compared with the data cache off, when
Wagtail's original runs), and Wagtail must still honour the per-request memos the middleware
fills. A Wagtail upgrade that changes any of this fails here first.
"""

import inspect

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from caching import wagtail_lookups
from caching.middleware import ROUTE_ATTR, SITE_ATTR
from home.models import SiteSettings
from news.models import NewsIndexPage

pytestmark = pytest.mark.django_db

WRAPPED = [
    (Site, "get_site_root_paths", staticmethod),
    (PageQuerySet, "private_q", None),
    (Page, "get_view_restrictions", None),
    (BaseSiteSetting, "for_site", classmethod),
    (Locale, "get_active", classmethod),
]


def with_and_without_the_data_cache(settings, answer):
    """Wagtail's answer (data cache off) and the wrapper's, twice (filling, then from cache)."""
    settings.DATA_CACHE_ENABLED = False
    original = answer()
    settings.DATA_CACHE_ENABLED = True
    return original, [answer(), answer()]


@pytest.fixture
def restricted_tree(site_tree, make_article):
    """A public article, a restricted article, a restricted section with a child, and an alias."""
    home, news = site_tree
    public = make_article(slug="public-story")
    private = make_article(slug="private-story")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    members = home.add_child(instance=NewsIndexPage(title="Members", slug="members"))
    members.save_revision().publish()
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    inside = members.add_child(instance=NewsIndexPage(title="Inside", slug="inside"))
    inside.save_revision().publish()
    alias = private.create_alias(parent=home, update_slug="private-alias")
    return {
        "public": public,
        "private": private,
        "members": members,
        "inside": inside,
        "alias": alias,
        "news": news,
    }


@pytest.mark.parametrize(("owner", "name", "kind"), WRAPPED)
def test_each_wrapped_lookup_still_exists_in_the_same_form(owner, name, kind):
    """The wrappers replace these attributes; they must still be what Wagtail defines."""
    current = inspect.getattr_static(owner, name)
    if kind is None:
        assert inspect.isfunction(current)
    else:
        assert isinstance(current, kind)
    function = getattr(current, "__func__", current)
    assert getattr(function, wagtail_lookups.MARK, False), f"{owner.__name__}.{name} not wrapped"


def test_installing_twice_wraps_once():
    before = [inspect.getattr_static(owner, name) for owner, name, _ in WRAPPED]
    wagtail_lookups.install()
    assert [inspect.getattr_static(owner, name) for owner, name, _ in WRAPPED] == before


def test_site_root_paths_are_wagtails(settings, restricted_tree):
    original, wrapped = with_and_without_the_data_cache(settings, Site.get_site_root_paths)
    assert original and all(answer == original for answer in wrapped)


@pytest.mark.parametrize("language", ["en-gb", "sq", "sr", "sr-latn"])
def test_active_locales_are_wagtails(settings, language):
    if not settings.WAGTAIL_I18N_ENABLED:
        pytest.skip("one language: no other locale")
    with translation.override(language):
        original, wrapped = with_and_without_the_data_cache(settings, Locale.get_active)
    assert original.language_code == ("sr" if language == "sr-latn" else language)
    assert all(answer == original for answer in wrapped)


def test_public_pages_are_wagtails(settings, restricted_tree):
    def public_ids():
        return sorted(Page.objects.public().values_list("pk", flat=True))

    original, wrapped = with_and_without_the_data_cache(settings, public_ids)
    assert restricted_tree["private"].pk not in original
    assert restricted_tree["inside"].pk not in original
    assert restricted_tree["public"].pk in original
    assert all(answer == original for answer in wrapped)

    def private_ids():
        return sorted(Page.objects.not_public().values_list("pk", flat=True))

    original, wrapped = with_and_without_the_data_cache(settings, private_ids)
    assert all(answer == original for answer in wrapped)


def test_public_pages_are_wagtails_when_nothing_is_restricted(settings, make_article):
    make_article()

    def public_ids():
        return sorted(Page.objects.public().values_list("pk", flat=True))

    original, wrapped = with_and_without_the_data_cache(settings, public_ids)
    assert all(answer == original for answer in wrapped)


@pytest.mark.parametrize("name", ["public", "private", "members", "inside", "alias", "news"])
def test_view_restrictions_are_wagtails(settings, restricted_tree, name):
    page = Page.objects.get(pk=restricted_tree[name].pk)

    def restrictions():
        return sorted(page.get_view_restrictions().values_list("pk", flat=True))

    original, wrapped = with_and_without_the_data_cache(settings, restrictions)
    assert all(answer == original for answer in wrapped)
    assert bool(original) == (name in {"private", "members", "inside", "alias"})


def test_site_settings_are_wagtails(settings, site_tree):
    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.filter(site=site).update(tagline="Facts first.")

    def tagline_and_pk():
        found = SiteSettings.for_site(site)
        return (found.pk, found.tagline, found.publication_name)

    original, wrapped = with_and_without_the_data_cache(settings, tagline_and_pk)
    assert original[1] == "Facts first."
    assert all(answer == original for answer in wrapped)


def test_wagtail_uses_the_site_the_middleware_prefilled(site_tree):
    request = RequestFactory().get("/", HTTP_HOST="anything.example")
    sentinel = Site(hostname="prefilled.example", root_page=site_tree[0])
    setattr(request, SITE_ATTR, sentinel)
    assert Site.find_for_request(request) is sentinel


def test_wagtail_uses_the_route_the_middleware_prefilled(make_article):
    article = make_article(slug="routed")
    request = RequestFactory().get("/news/something-else/")
    setattr(request, ROUTE_ATTR, (article, [], {}))
    assert Page.route_for_request(request, "/news/something-else/") == (article, [], {})
    assert Page.find_for_request(request, "/news/something-else/") == article


def test_wagtail_still_routes_through_the_root_pages_route(make_article, site_tree):
    """The middleware resolves a cached owner's remaining path with ``page.route``: the same
    call Wagtail makes from the site root, so both give one answer."""
    article = make_article(slug="routed")
    news = site_tree[1]
    request = RequestFactory().get(article.url)
    from_root = Page.route_for_request(request, article.url)
    assert from_root[0].pk == article.pk
    from_owner = news.route(RequestFactory().get(article.url), ["routed"])
    assert from_owner[0].pk == article.pk
    tag_page = news.route(RequestFactory().get("/news/tag/politics/"), ["tag", "politics"])
    assert tag_page[0].pk == news.pk and tag_page[1:] != ([], {})
