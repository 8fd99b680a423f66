"""Regression tests for the classes of Wagtail security advisories.

- XSS from editor text: script in rich-text links (CVE-2021-29434) and in every block's text
  (CVE-2021-32681) is neutralised.
- Information disclosure: previews, drafts, revisions and private pages never reach anonymous
  readers, in HTML, listings, feeds, sitemaps or search.
- Denial of service: huge or malformed image filter specs and search queries are refused
  cheaply.
"""

import copy
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import PageViewRestriction

from demo.build import demo_image
from demo.golden import cache_golden_embed, golden_body
from news.blocks import PARAGRAPH_FEATURES, ArticleBodyBlock
from tests.support.helpers import soup

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
NOT_TEXT = {"level", "source_url", "embed", "as_of", "image", "alt_text", "decorative"}


def inject(value):
    """Append the payload to every piece of plain text editors type into a block."""
    if isinstance(value, dict):
        return {k: (v if k in NOT_TEXT else inject(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [inject(v) for v in value]
    if isinstance(value, str):
        return f"{value} {PAYLOAD}"
    return value


def assert_no_live_payload(html_text: str):
    page = soup(type("R", (), {"content": html_text.encode()}))
    for tag in page.find_all("script"):
        text = tag.string or ""
        if tag.get("type") == "application/ld+json":
            # Structured data repeats the article's text as JSON: it must stay inert data.
            assert "<" not in text, text
        else:
            assert "alert" not in text
    assert not page.find_all(attrs={"onerror": True})
    assert "javascript:" not in html_text.lower()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False
    cache.clear()


def test_script_in_every_block_text_is_escaped(client, make_article):
    cache_golden_embed()
    image = demo_image("Advisory image", 5)
    body = []
    for block_type, value in golden_body(image):
        if block_type == "paragraph":
            body.append((block_type, value))
        else:
            body.append((block_type, inject(copy.deepcopy(value))))
    article = make_article(
        title=f"Headline {PAYLOAD}",
        standfirst=f"Standfirst {PAYLOAD}",
        body=body,
        tags=[f"tag {PAYLOAD}"[:100]],
    )
    for url in (article.url, "/news/", "/"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert_no_live_payload(text)
    article_html = client.get(article.url).content.decode()
    # The text is still there, escaped, for every block type but the paragraph.
    assert article_html.count("&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;") >= 6


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "vbscript:x"]
)
def test_script_links_in_rich_text_are_dropped_when_saved_from_the_editor(href):
    """The admin stores Draftail content through this converter; unsafe links lose their URL."""
    rendered = store_and_render_link(href)
    assert "click me" in rendered
    assert href.split(":")[0].lower() + ":" not in rendered.lower()


def test_ordinary_links_in_rich_text_are_kept():
    assert '<a href="https://example.org/">click me</a>' in store_and_render_link(
        "https://example.org/"
    )


def store_and_render_link(href: str) -> str:
    converter = ContentstateConverter(features=PARAGRAPH_FEATURES)
    contentstate = {
        "blocks": [
            {
                "key": "a1",
                "type": "unstyled",
                "text": "click me",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 8, "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": href}}},
    }
    import json

    stored = converter.to_database_format(json.dumps(contentstate))
    return str(ArticleBodyBlock().to_python([{"type": "paragraph", "value": stored}]))


def test_fact_source_links_refuse_script_urls():
    from django.core.exceptions import ValidationError

    from news.blocks import FactBlock

    with pytest.raises(ValidationError):
        FactBlock().child_blocks["source_url"].clean("javascript:alert(1)")


# --- drafts, revisions, previews, private pages ----------------------------------------------

LISTING_URLS = [
    "/",
    "/news/",
    "/sitemap.xml",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/tag/politics/rss/",
    "/news-sitemap.xml",
    "/news/tag/politics/",
    "/news/author/arta-berisha/",
    "/search/?q=Secret+draft+withdrawn+members+staff",
]


def visible_listings(client):
    for url in LISTING_URLS:
        response = client.get(url)
        if response.status_code == 200:
            yield url, response.content.decode()


def test_drafts_and_revisions_never_reach_anonymous_readers(client, make_article, admin_user):
    article = make_article(title="Public headline")
    article.title = "Secret draft headline"
    article.standfirst = "Secret draft standfirst"
    revision = article.save_revision(user=admin_user)
    unpublished = make_article(title="Public then withdrawn", slug="withdrawn")
    unpublished.title = "Secret withdrawn headline"
    unpublished.save_revision().publish()
    unpublished.unpublish()

    response = client.get(article.url)
    assert "Public headline" in response.content.decode()
    assert "Secret draft" not in response.content.decode()
    assert client.get(unpublished.url).status_code == 404
    seen = list(visible_listings(client))
    assert {"/", "/news/", LISTING_URLS[-1]} <= {url for url, _ in seen}
    for url, text in seen:
        for secret in ("Secret draft headline", "Secret draft standfirst", "Secret withdrawn"):
            assert secret not in text, url

    # Admin preview and revision URLs send anonymous readers to the login page.
    for url in (
        f"/admin/pages/{article.pk}/edit/preview/",
        f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/",
        f"/admin/pages/{article.pk}/revisions/compare/live...{revision.pk}/",
        f"/admin/pages/{article.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "Secret draft" not in response.content.decode()


def test_private_pages_stay_private(client, make_article):
    article = make_article(title="Secret members story", slug="members")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    login_only = make_article(title="Secret staff story", slug="staff")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 200  # the password form
    assert "Secret members story" not in response.content.decode()
    assert client.get(login_only.url).status_code == 302
    for url, text in visible_listings(client):
        assert "Secret members story" not in text, url
        assert "Secret staff story" not in text, url


# --- denial of service ------------------------------------------------------------------------


def test_huge_search_queries_are_capped(client, make_article, django_assert_max_num_queries):
    make_article(title="Housing in Pristina")
    hostile = ("a:(*" * 30_000) + "x" * 60_000  # 150 KB, no spaces (CVE-2024-39317 shape)
    # No more queries than an ordinary search: the input never multiplies work.
    with CaptureQueriesContext(connection) as ordinary:
        client.get("/search/", {"q": "Housing Pristina"})
    with django_assert_max_num_queries(len(ordinary)):
        response = client.get("/search/", {"q": hostile})
    assert response.status_code == 200
    box = soup(response).find("input", attrs={"name": "q"})
    assert len(box.get("value", "")) <= 200
    for query in ("\x00", "%", "' OR 1=1 --", "a" * 5000, "page"):
        assert client.get("/search/", {"q": query, "page": "abc"}).status_code == 200


@pytest.fixture
def editor_image(db):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "red").save(buffer, "PNG")
    image = get_image_model()(title="Small")
    image.file = ImageFile(buffer, name="small.png")
    image.save()
    return image


@pytest.mark.parametrize(
    "spec,expected",
    [
        ("fill-99999999x99999999", 200),  # allowed operation, never upscaled
        ("width-2147483647", 200),
        ("scale-100000", 400),  # not an allowed operation
        ("bogus", 400),
        ("fill-10x10-c999999999", 200),
        ("width-1|fill-1x1|" * 50 + "original", 200),  # chains stay bounded by the image
    ],
)
def test_image_preview_filter_specs_are_bounded(client, admin_user, editor_image, spec, expected):
    from PIL import Image as PILImage

    url = f"/admin/images/{editor_image.pk}/preview/{spec}/"
    assert client.get(url).status_code == 302  # anonymous: login first
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 200:
        data = b"".join(response.streaming_content)
        width, height = PILImage.open(io.BytesIO(data)).size
        assert width <= 64 and height <= 48


def test_public_image_urls_need_a_valid_signature(client, editor_image):
    try:
        url = reverse("wagtailimages_serve", args=("bad-signature", editor_image.pk, "width-400"))
    except NoReverseMatch:
        pytest.skip("no public image serve view is mounted")
    assert client.get(url).status_code in (400, 403)
    huge = url.replace("width-400", "fill-99999999x99999999")
    assert client.get(huge).status_code in (400, 403)
