from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as wagtail_api
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from core import views as core_views
from languages.routing import language_patterns
from news import views as news_views
from news.sitemaps import SECTIONS as SITEMAPS
from search import views as search_views

handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Wagtail's read/write API with bearer tokens; live/api.py adds /api/v3/live/ (docs/live.md).
    path("api/v3/", wagtail_api.urls),
    # Reader side: sitemaps, robots.txt and feeds (issue 3).
    # An index of sections (news/sitemaps.py), so each file stays small at any archive size.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "sitemap-section",
            "template_name": "news/sitemaps/sitemap_index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "news/sitemaps/sitemap.xml"},
        name="sitemap-section",
    ),
    path("robots.txt", news_views.robots_txt, name="robots-txt"),
]

# Reader URLs in each language: English unprefixed, the others under /sq/, /sr/, /sr-latn/
# (languages.routing; a one-language site has no prefixes).
reader_urlpatterns = [
    path("search/", search_views.search, name="search"),
    path("news-sitemap.xml", news_views.news_sitemap, name="news-sitemap"),
    path("feeds/rss/", news_views.rss_all, name="feed-rss"),
    path("feeds/atom/", news_views.atom_all, name="feed-atom"),
    path("feeds/tag/<slug:slug>/rss/", news_views.rss_tag, name="feed-tag-rss"),
    path("feeds/tag/<slug:slug>/atom/", news_views.atom_tag, name="feed-tag-atom"),
    path("feeds/author/<slug:slug>/rss/", news_views.rss_author, name="feed-author-rss"),
    path("feeds/author/<slug:slug>/atom/", news_views.atom_author, name="feed-author-atom"),
    path("newsletter/", include("newsletter.urls")),
    path("", include("analytics.urls")),  # /privacy/, the beacon
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += language_patterns(*reader_urlpatterns, path("", include(wagtail_urls)))
