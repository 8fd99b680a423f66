"""What is cached, and what each change invalidates: the one map both caches read.

The ``caching`` app reads this module (``settings.CACHE_MAP``); content apps know nothing of it.
docs/caching.md explains the layers; tests/caching/test_freshness.py proves each kind of change.

Every change named here, and every change to any page, replaces the data-cache generation (all
memoised values, routes, sites, settings and fragments are recomputed). What it purges from the
page cache (and the CDN) is its entry below.
"""

from caching.invalidation import DATA_ONLY, EVERY_PAGE, PagePurge, PageRows
from caching.memo import Memo, identity
from news.sitemaps import SECTIONS as SITEMAP_SECTIONS

# Models: what saving or deleting one row purges from the page cache.
MODELS = {
    # Shown on every page (header, footer, bylines, tag links, images, access).
    "wagtailcore.Site": EVERY_PAGE,
    "wagtailcore.Locale": EVERY_PAGE,
    "wagtailcore.PageViewRestriction": EVERY_PAGE,
    "wagtailredirects.Redirect": EVERY_PAGE,
    "wagtailimages.Image": EVERY_PAGE,
    "taggit.Tag": EVERY_PAGE,
    "home.SiteSettings": EVERY_PAGE,
    "news.Author": EVERY_PAGE,
    "wagtailsearchpromotions.Query": EVERY_PAGE,
    "wagtailsearchpromotions.SearchPromotion": EVERY_PAGE,
    "newsletter.Newsletter": EVERY_PAGE,  # names in subscribe forms
    # Parts of a page: saved when their page is published, which purges what shows them.
    "home.HomeTagSection": DATA_ONLY,
    "news.ArticleAuthor": DATA_ONLY,
    "news.ArticlePageTag": DATA_ONLY,
    "news.ArticleCorrection": DATA_ONLY,
    "news.ArticleRelatedLink": DATA_ONLY,
    # A new rendition: cached listings pick it up.
    "wagtailimages.Rendition": DATA_ONLY,
    # A live update (posted without a page revision): its live page, that page's ancestors (news
    # index, home), its polling endpoint and its feed, exactly.
    "live.LiveUpdate": PageRows("page", PagePurge(paths=("{path}updates/", "{path}feed/"))),
}

# Page types whose publish or unpublish purges only the pages that show them. Any other page
# change (other types, moves, slug changes, deletions) purges every cached page.
PAGES = {
    "news.ArticlePage": PagePurge(
        # The article itself and its ancestors (news index, home) are always purged. The
        # sitemap files exist once (every language); the news sitemap and the feeds are the
        # article's language's: {root} is its home ("/", "/sq/", "/sr/"; /sr/ purges /sr-latn/
        # too, PAGE_CACHE_PATH_ALIASES).
        paths=(
            "/sitemap.xml",
            *(f"/sitemap-{section}.xml" for section in SITEMAP_SECTIONS),
            "{root}news-sitemap.xml",
        ),
        prefixes=("{parent}tag/", "{parent}author/", "{root}feeds/"),
        # For a CDN, which purges URLs and not prefixes: the tag, author and feed URLs.
        cdn_urls="listing_urls",
    ),
    # A live page: itself and its ancestors (home and the news index show its "Live" link), its
    # polling endpoint and feed, and the sitemap files that list it.
    "live.LivePage": PagePurge(
        paths=("{path}updates/", "{path}feed/", "/sitemap.xml", "/sitemap-pages.xml")
    ),
}


def feed_key(feed, obj) -> str:
    """A feed's entries: the same for RSS and Atom, per listing (index, tag, author) and host."""
    listing = ",".join(f"{name}={identity(value)}" for name, value in sorted(obj.items()))
    return f"{listing}:{feed.request.build_absolute_uri('/')}"


# Content functions kept in the data cache until the next change (their modules stay plain).
MEMOISED = [
    Memo("news.models.NewsIndexPage.find_main"),
    Memo("news.models.NewsIndexPage.count_articles"),
    Memo("news.models.NewsIndexPage.find_tag"),
    Memo("news.models.NewsIndexPage.find_author"),
    Memo("news.models.NewsIndexPage.listed_tag_and_author_slugs"),
    Memo("news.templatetags.news_tags.share_rendition"),
    Memo("live.models.LivePage.find_open"),
    Memo("live.models.LivePage.count_listed"),
    Memo(
        "news.feeds.ArticleFeed.full_text",
        key=lambda feed, item: f"{item.pk}:{feed.request.build_absolute_uri('/')}",
    ),
    Memo("news.feeds.ArticleFeed.entries", key=lambda feed, obj: feed_key(feed, obj)),
    Memo(
        "news.feeds.ArticleFeed.written",
        key=lambda feed, obj: f"{feed_key(feed, obj)}{feed.request.path}",
    ),
    Memo("news.sitemaps.SectionTotals.section_count", key=lambda totals: totals.signature),
    Memo("news.sitemaps.PagesSitemap.section_lastmod", key=lambda totals: totals.signature),
    Memo("news.sitemaps.ArticlesSitemap.section_lastmod", key=lambda totals: totals.signature),
    Memo("news.sitemaps.SectionTotals.language_roots", key=lambda sitemap: sitemap.signature),
    Memo(
        "news.sitemaps.ArticlesSitemap.file_starts",
        key=lambda sitemap: f"{sitemap.signature}:{sitemap.limit}",
    ),
    Memo(
        "news.sitemaps.ArticlesSitemap.file_document",
        key=lambda sitemap, number: f"{sitemap.signature}:{sitemap.limit}:{int(number)}",
    ),
    Memo("languages.routing.page_paths"),  # the switcher and hreflang: a page's translations
    Memo("search.views.tag_choices"),
    Memo("search.views.promotions_for", seconds="SEARCH_CACHE_SECONDS"),
    Memo(
        "search.views.result_cards",
        key=lambda ids, request: f"{identity(ids)}:{request.build_absolute_uri('/')}",
    ),
    Memo("search.views.live_results", seconds="SEARCH_CACHE_SECONDS"),
    Memo("search.engine.ReadableIds.all_ids", key=lambda ids: ids.signature),
    Memo(
        "search.engine.RankedResults.compute_window",
        key=lambda results: results.signature,
        seconds="SEARCH_CACHE_SECONDS",
    ),
    Memo("analytics.mostread.most_read", seconds="ANALYTICS_MOST_READ_SECONDS"),
    Memo("analytics.mostread.most_read_section", seconds="ANALYTICS_MOST_READ_SECONDS"),
]
