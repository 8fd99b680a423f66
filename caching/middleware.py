"""The data cache's request hooks: one generation read per request, and Wagtail's site and route
for reader pages from the data cache.

Wagtail memoises both on the request (``Site.find_for_request`` keeps the site in
``request._wagtail_site``, ``Page.route_for_request`` keeps the route result in
``request._wagtail_route_for_request``, as their docstrings say). This middleware fills those
memos from the data cache before the view runs, so routing ``/news/<slug>/`` costs no query,
and stores what Wagtail found after a 200 answer. The route entry is the page that owns the path
(an article, or the news index for its tag and author pages), with its own field values only;
its own ``route()`` resolves the rest of the path, as Wagtail would. Previews and the admin are
left alone.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.http import Http404
from django.http.request import split_domain_port

from . import datacache, wagtail_lookups

SITE_ATTR = "_wagtail_site"
ROUTE_ATTR = "_wagtail_route_for_request"
CACHED_ROUTE_ATTR = "_caching_route_from_cache"


def _bypassed_path(path: str) -> bool:
    return path.startswith(tuple(settings.DATA_CACHE_BYPASS_PATHS))


def cached_site(request):
    """The request's Wagtail site (with its root page) from the data cache."""
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    language = datacache.language_part()

    def compute():
        site = Site._find_for_request(request)
        if site is not None and site.root_page_id:
            site.root_page.specific  # noqa: B018  loaded once, kept with the site
            if language:
                _localize_root(site, language)
        return site

    name = f"site:{hostname}:{port}"
    return datacache.get_or_set(f"{name}:{language}" if language else name, compute)


def _localize_root(site, language: str) -> None:
    """With several languages, the site's root page in the request's language (its live
    translation, found through the site root paths every page URL needs anyway; one query, with
    its locale, in another language than the root's, none in the root's), so Wagtail's
    ``root_page.localized`` finds it already there."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Site

    root = site.root_page.specific
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:
        return
    for root_path in Site.get_site_root_paths():
        if root_path.site_id == site.pk and root_path.language_code == code:
            if root_path.root_path != root.url_path:
                translated = (
                    type(root)
                    .objects.filter(url_path=root_path.root_path)
                    .live()
                    .select_related("locale")
                    .first()
                )
                if translated is not None:
                    site.root_page = translated
                    # The active locale comes with it (Wagtail asks for it next).
                    wagtail_lookups.remember_active_locale(language, translated.locale)
            return


def _route_name(site, path: str) -> str:
    return f"route:{site.pk}:{path}"


def _remaining(site, page, path: str) -> list[str] | None:
    """The path components after ``page``'s own, or None if the page does not own the path."""
    components = [part for part in path.split("/") if part]
    # Below the site's root page or its translation (a sibling: the same depth) for the page's
    # language: the url_path components after the root's own.
    own_components = [part for part in page.url_path.split("/") if part][site.root_page.depth - 1 :]
    if components[: len(own_components)] != own_components:
        return None
    return components[len(own_components) :]


class DataCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bypass = _bypassed_path(request.path) or bool(getattr(request, "is_preview", False))
        with datacache.request_scope(bypass=bypass):
            if not bypass and datacache.enabled() and not hasattr(request, SITE_ATTR):
                setattr(request, SITE_ATTR, cached_site(request))
            response = self.get_response(request)
            if not bypass and response.status_code == 200:
                self._store_route(request)
            return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is not serve or hasattr(request, ROUTE_ATTR):
            return None
        if not datacache.enabled() or datacache.bypassed(request):
            return None
        site = getattr(request, SITE_ATTR, None)
        if site is None:
            return None
        page = datacache.lookup(_route_name(site, request.path))
        if page is None:
            return None
        # Wagtail's serve pattern passes the path below the site root (without a language
        # prefix) as its one positional argument.
        path = view_args[0] if view_args else view_kwargs.get("path", request.path)
        remaining = _remaining(site, page, path)
        if remaining is None:
            return None
        try:
            setattr(request, ROUTE_ATTR, page.route(request, remaining))
        except Http404:
            setattr(request, ROUTE_ATTR, None)
        setattr(request, CACHED_ROUTE_ATTR, True)
        return None

    @staticmethod
    def _store_route(request) -> None:
        result = getattr(request, ROUTE_ATTR, None)
        site = getattr(request, SITE_ATTR, None)
        if result is None or site is None or getattr(request, CACHED_ROUTE_ATTR, False):
            return
        from wagtail.models import Page

        page = result[0]
        if not isinstance(page, Page) or not page.live:
            return
        datacache.store(_route_name(site, request.path), own_fields(page))


def own_fields(page):
    """A copy of ``page`` with its field values only, without what serving it hung on it (its
    parent, related objects, cached properties): every later request reads the entry back, and
    the view asks again for what it needs, mostly from fragments that are already there."""
    lean = copy.copy(page)
    fields = {field.attname for field in page._meta.concrete_fields}
    for name in [name for name in lean.__dict__ if name not in fields and name != "_state"]:
        del lean.__dict__[name]
    lean._state.fields_cache = {}
    return lean
