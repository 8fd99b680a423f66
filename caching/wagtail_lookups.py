"""The one place where Wagtail methods are wrapped: five lookups every reader page makes.

Why: each costs a query (or a cache-server round trip) per request and changes only when
content does, so the data cache can answer them; with them, an uncached article costs no query
(docs/caching.md has the numbers). No public hook reaches them:

- ``Site.get_site_root_paths``: Wagtail keeps it in the default cache (a round trip for every
  ``pageurl``); here it comes from the data cache and its per-worker copy.
- ``PageQuerySet.private_q`` (every ``.public()``): one query for the list of view
  restrictions; here the list comes from the data cache.
- ``Page.get_view_restrictions`` (Wagtail's ``check_view_restrictions`` hook before serving
  any page): a query even when nothing is private; here an empty queryset (evaluated once, so
  iterating it compiles no SQL) when neither the page nor an ancestor is restricted or an alias,
  else Wagtail's own answer.
- ``BaseSiteSetting.for_site`` (every ``{{ settings.… }}``): one query per request; here from the
  data cache.
- ``Locale.get_active`` (with several languages, ``Page.localized`` when Wagtail routes a page,
  and translation lookups): a query each time; here from the data cache, per active language.

What it costs: Wagtail's originals are called whenever the data cache is off or bypassed
(previews, the admin), and every wrapper gives the original's answer (contract tests in
``tests/caching/test_wagtail_contract.py`` compare them on the installed Wagtail). The site
itself and the routing need no wrapper: ``caching.middleware`` fills the per-request memos Wagtail
documents (``request._wagtail_site``, ``request._wagtail_route_for_request``).
"""

from __future__ import annotations

import inspect

from django.db.models import Q

from . import datacache

MARK = "_caching_wrapped"


def private_sections() -> list[tuple[str, int]]:
    """(path, depth) of every page with a view restriction."""

    def compute():
        from wagtail.models import PageViewRestriction

        return sorted(set(PageViewRestriction.objects.values_list("page__path", "page__depth")))

    return datacache.get_or_set("private-sections", compute)


def alias_paths() -> list[str]:
    """Paths of every alias page (their view restrictions are their source page's)."""

    def compute():
        from wagtail.models import Page

        return list(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))

    return datacache.get_or_set("alias-paths", compute)


def cached_private_q() -> Q:
    """``PageQuerySet.private_q`` from the cached list of restricted sections (no query)."""
    q = Q()
    for path, depth in private_sections():
        q |= Q(path__startswith=path, depth__gte=depth)
    return q if q else Q(pk__in=[])


def has_no_view_restrictions(page) -> bool:
    """True when neither the page nor an ancestor is restricted or an alias (no query)."""
    if not page.path or page.alias_of_id:
        return False
    if any(page.path.startswith(path) for path, _ in private_sections()):
        return False
    return not any(page.path.startswith(path) for path in alias_paths())


def remember_active_locale(language: str, locale) -> None:
    """Keep ``locale`` as ``Locale.get_active``'s answer for ``language`` (already loaded)."""
    datacache.store(f"locale:{language}", locale)


def _active() -> bool:
    return datacache.enabled() and not datacache.bypassed()


def _wrap(owner, name: str, make) -> None:
    original = inspect.getattr_static(owner, name)
    if getattr(getattr(original, "__func__", original), MARK, False):
        return
    wrapper = make(original)
    setattr(getattr(wrapper, "__func__", wrapper), MARK, True)
    setattr(owner, name, wrapper)


def install() -> None:
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.query import PageQuerySet

    def root_paths(original):
        function = original.__func__

        def get_site_root_paths():
            if not _active():
                return function()
            return datacache.get_or_set("site-root-paths", function)

        return staticmethod(get_site_root_paths)

    def private_q(original):
        def wrapper(self):
            return cached_private_q() if _active() else original(self)

        return wrapper

    # An empty queryset, evaluated once: iterating it again (what Wagtail's hook does before
    # serving every page) compiles no SQL; anything chained on it is a new, empty queryset.
    no_restrictions = PageViewRestriction.objects.none()
    len(no_restrictions)

    def view_restrictions(original):
        def wrapper(self):
            if _active() and has_no_view_restrictions(self):
                return no_restrictions
            return original(self)

        return wrapper

    def for_site(original):
        function = original.__func__

        def wrapper(cls, site):
            if site is None or not _active():
                return function(cls, site)
            return datacache.get_or_set(
                f"settings:{cls._meta.label_lower}:{site.pk}", lambda: function(cls, site)
            )

        return classmethod(wrapper)

    def active_locale(original):
        function = original.__func__

        def wrapper(cls):
            if not _active():
                return function(cls)
            from django.utils import translation

            return datacache.get_or_set(
                f"locale:{translation.get_language()}", lambda: function(cls)
            )

        return classmethod(wrapper)

    _wrap(Site, "get_site_root_paths", root_paths)
    _wrap(Locale, "get_active", active_locale)
    _wrap(PageQuerySet, "private_q", private_q)
    _wrap(Page, "get_view_restrictions", view_restrictions)
    _wrap(BaseSiteSetting, "for_site", for_site)
