"""manage.py import_wordpress: a WXR export becomes articles, images, authors, tags, redirects."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from news.models import ArticlePage, Author
from tests.support import FIXTURES
from tests.support.helpers import soup, text_of
from wordpress_import.models import ImportedImage, ImportedPost

FIXTURE = FIXTURES / "wordpress" / "export.xml"
UTC = datetime.UTC
IMPORTED_SLUGS = {
    "nato-kfor-remains-strong",
    "border-crossings-reopen",
    "draft-energy-prices-in-the-region",
    "election-results-mitrovica",
    "nato-kfor-remains-strong-2",
    "countdown-to-the-vote",
}


@pytest.fixture
def media_dir(tmp_path):
    """A copy of wp-content/uploads with the files the export uses (all but lost-photo.jpg)."""
    uploads = tmp_path / "wp-content" / "uploads"
    for path, colour in [
        ("2025/01/kfor-patrol.jpg", "red"),
        ("2025/01/pristina.jpg", "blue"),
        ("2024/12/border.jpg", "green"),
    ]:
        (uploads / path).parent.mkdir(parents=True, exist_ok=True)
        PILImage.new("RGB", (80, 45), colour).save(uploads / path)
    return tmp_path


def run_import(*args, expect_error=True):
    """Run the command; returns (output, error message). The fixture's untitled post is an error."""
    out, err = io.StringIO(), io.StringIO()
    error = ""
    try:
        call_command("import_wordpress", *[str(a) for a in args], stdout=out, stderr=err)
    except CommandError as exc:
        error = str(exc)
    assert bool(error) == expect_error, error
    return out.getvalue() + err.getvalue(), error


def article(slug):
    return ArticlePage.objects.get(slug=slug)


def blocks(page):
    return [(block.block_type, block.value) for block in page.body]


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("pk", "title", "slug", "live")),
        "revisions": Revision.objects.count(),
        "redirects": sorted(Redirect.objects.values_list("old_path", "redirect_page_id")),
        "images": get_image_model().objects.count(),
        "authors": sorted(Author.objects.values_list("slug", "name")),
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
        "imported": sorted(ImportedPost.objects.values_list("wp_id", "page_id", "fingerprint")),
        "latest": sorted(ArticlePage.objects.values_list("pk", "latest_revision_id")),
    }


@pytest.fixture
def imported(news_index, media_dir):
    output, error = run_import(FIXTURE, "--media-dir", media_dir)
    return output, error


# --- the posts ---------------------------------------------------------------------------


def test_gutenberg_post_becomes_a_live_article_with_every_block(imported):
    page = article("nato-kfor-remains-strong")
    assert page.live and not page.has_unpublished_changes
    assert page.title == "NATO will not allow a security vacuum in the Balkans, KFOR remains strong"
    assert page.standfirst == "The Alliance’s Secretary General says KFOR remains strong."
    assert page.first_published_at == datetime.datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    assert page.display_date == datetime.datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    assert page.last_published_at == datetime.datetime(2025, 1, 16, 11, 0, tzinfo=UTC)
    assert [author.name for author in page.authors] == ["Arta Berisha"]
    assert set(page.tags.names()) == {"Politics", "KFOR", "NATO"}
    # The featured image is the lead image, with the attachment's alt text and caption.
    assert page.lead_image.title == "Pristina skyline"
    assert page.lead_image_alt == "The Pristina skyline at dusk"
    assert page.lead_image_caption == "Pristina at dusk."

    body = blocks(page)
    assert [kind for kind, _ in body] == [
        "paragraph",
        "subheading",
        "image",
        "pull_quote",
        "paragraph",
        "subheading",
        "embed",
    ]
    intro = body[0][1].source
    assert "<b>will not allow</b>" in intro and '<a href="https://www.nato.int/">' in intro
    assert body[1][1]["text"] == "A mission since 1999" and body[1][1]["level"] == "h2"
    image = body[2][1]
    assert image["image"].title == "kfor-patrol"  # the original, not the 1024x576 copy
    assert image["image"].contextual_alt_text == "KFOR soldiers on patrol near Mitrovica"
    assert image["caption"] == "KFOR soldiers on patrol near Mitrovica."
    quote = body[3][1]
    assert quote["quote"].startswith("We will continue to ensure that KFOR remains strong")
    assert (quote["attribution"], quote["role"]) == ("Mark Rutte", "NATO Secretary General")
    # The list stays inside the paragraph that introduces it.
    assert body[4][1].source == (
        "<p>The mission today has three tasks:</p><ul><li>keeping a safe environment</li>"
        "<li>freedom of movement for <i>all</i> communities</li></ul>"
    )
    assert body[5][1]["level"] == "h3"
    assert body[6][1]["embed"].url == "https://www.youtube.com/watch?v=kfor-briefing"
    assert body[6][1]["caption"] == "The press conference in Pristina."


def test_imported_article_renders_for_readers(imported, client):
    url = "https://www.youtube.com/watch?v=kfor-briefing"
    Embed.objects.create(
        hash=get_embed_hash(url),
        url=url,
        type="video",
        html='<iframe title="KFOR briefing" src="https://www.youtube-nocookie.com/embed/k"></iframe>',
        provider_name="YouTube",
    )
    page = article("nato-kfor-remains-strong")
    response = client.get(page.url)
    assert response.status_code == 200
    html = soup(response)
    assert text_of(html.find("h1")) == page.title
    assert "Mark Rutte" in text_of(html.select_one(".block-pull-quote"))
    captions = [text_of(node) for node in html.select(".block-image figcaption")]
    assert captions == ["KFOR soldiers on patrol near Mitrovica."]
    assert html.select_one(".block-embed iframe")["title"] == "KFOR briefing"
    assert [text_of(li) for li in html.select("article li")][:2] == [
        "keeping a safe environment",
        "freedom of movement for all communities",
    ]


def test_classic_editor_post(imported):
    page = article("border-crossings-reopen")
    assert page.live
    assert [author.name for author in page.authors] == ["Dritan Kelmendi"]
    assert set(page.tags.names()) == {"Politics", "EU"}  # "Uncategorized" is left behind
    # No excerpt: the standfirst comes from the first paragraph.
    assert page.standfirst.startswith("Two crossings between Kosova and Serbia reopened")
    body = blocks(page)
    assert [kind for kind, _ in body] == [
        "paragraph",
        "image",
        "subheading",
        "pull_quote",
        "paragraph",
        "paragraph",
    ]
    assert "<i>three weeks</i>" in body[0][1].source
    assert "<br/>" in body[0][1].source  # a single line break stays a line break
    assert body[1][1]["caption"] == "Lorries waiting at the Jarinje crossing."
    assert body[1][1]["image"].contextual_alt_text == "Lorries waiting at the Jarinje crossing"
    assert body[2][1]["text"] == "What was agreed" and body[2][1]["level"] == "h3"
    assert body[3][1]["attribution"] == "Josep Borrell"
    assert body[3][1]["role"] == "EU High Representative"
    assert body[3][1]["quote"].startswith("The crossings stay open")
    assert body[4][1].source == (
        "<p>The agreement has four points:</p><ol><li>open crossings</li>"
        "<li>joint patrols</li></ol>"
    )
    assert body[5][1].source == "<p>Talks continue in January.</p>"


def test_draft_stays_a_draft(imported, client):
    page = article("draft-energy-prices-in-the-region")
    assert not page.live and page.has_unpublished_changes
    assert page.first_published_at is None and page.display_date is None
    assert page.standfirst == "Prices rose again."
    assert client.get(page.url).status_code == 404
    assert not Redirect.objects.filter(redirect_page=page).exists()
    assert client.get("/?p=103").status_code == 200  # no redirect to an unpublished page


def test_hostile_markup_is_dropped(imported, client):
    page = article("election-results-mitrovica")
    stored = json.dumps(page.body.get_prep_value()) + page.standfirst
    for bad in ("script", "onclick", "onmouseover", "onerror", "javascript", "evil.example"):
        assert bad not in stored.lower(), bad
    assert page.standfirst == "Turnout was 41 per cent."
    paragraphs = [value.source for kind, value in blocks(page) if kind == "paragraph"]
    assert paragraphs[0] == "<p>Turnout was <b>41 per cent</b>, see the results and more.</p>"
    assert '<a href="https://cec.example/results">continued overnight</a>' in paragraphs[1]
    assert ("subheading", "Reactions") in [
        (kind, value["text"]) for kind, value in blocks(page) if kind == "subheading"
    ]
    response = client.get(page.url)
    assert response.status_code == 200
    article_html = str(soup(response).find("main"))
    assert "alert(" not in article_html and "javascript:" not in article_html.lower()
    assert "evil.example" not in article_html


def test_authors_are_snippets_and_reused(news_index, authors, media_dir):
    before = Author.objects.count()
    run_import(FIXTURE, "--media-dir", media_dir)
    # "Arta Berisha" already exists (same slug): she is reused; Dritan Kelmendi is new.
    assert Author.objects.count() == before + 1
    assert article("countdown-to-the-vote").authors == [authors["arta-berisha"]]
    assert Author.objects.get(slug="dritan-kelmendi").name == "Dritan Kelmendi"


# --- bad posts ---------------------------------------------------------------------------


def test_empty_title_is_reported_and_nothing_else_suffers(imported):
    output, error = imported
    assert "post 105 (no title): has an empty title" in error
    assert not ImportedPost.objects.filter(wp_id=105).exists()
    assert not Redirect.objects.filter(old_path="/?p=105").exists()
    assert set(ArticlePage.objects.values_list("slug", flat=True)) == IMPORTED_SLUGS
    assert "Created: 6, updated: 0, unchanged: 0, skipped: 2 (1 failed)" in output


def test_duplicate_slug_gets_a_suffix_and_keeps_its_old_url(imported, client):
    output, _ = imported
    first, second = article("nato-kfor-remains-strong"), article("nato-kfor-remains-strong-2")
    assert second.title == "KFOR remains strong: a second look"
    assert "the slug “nato-kfor-remains-strong” is already used by" in output
    response = client.get("/2025/01/22/nato-kfor-remains-strong/")
    assert response.status_code == 301 and response["Location"] == second.url
    assert client.get("/2025/01/15/nato-kfor-remains-strong/")["Location"] == first.url


def test_unknown_blocks_and_missing_media_are_reported(imported):
    output, _ = imported
    page = article("countdown-to-the-vote")
    body = blocks(page)
    assert [kind for kind, _ in body] == ["paragraph", "paragraph"]
    assert body[1][1].source == "<p>Eight days to go.</p>"  # an unknown block keeps its text
    assert "unknown block type “acme/countdown”" in output
    assert "Subscribe" not in json.dumps(page.body.get_prep_value())
    assert "Missing media (1):" in output
    assert "2025/02/lost-photo.jpg  (used by post 107 “Countdown to the vote”)" in output


def test_without_media_dir_images_are_listed_then_added_by_a_later_run(news_index, media_dir):
    output, _ = run_import(FIXTURE)
    assert "Missing media (4):" in output
    assert "no --media-dir was given" in output
    page = article("nato-kfor-remains-strong")
    assert page.lead_image is None and "image" not in [kind for kind, _ in blocks(page)]
    assert get_image_model().objects.count() == 0

    output, _ = run_import(FIXTURE, "--media-dir", media_dir)
    assert "Created: 0, updated: 2, unchanged: 4" in output
    page = article("nato-kfor-remains-strong")
    assert page.lead_image.title == "Pristina skyline"
    assert "image" in [kind for kind, _ in blocks(page)]
    assert ArticlePage.objects.count() == 6
    assert ImportedImage.objects.count() == get_image_model().objects.count() == 3


def test_a_failing_post_never_half_exists(news_index, media_dir, monkeypatch):
    original = ArticlePage.save_revision

    def failing(self, *args, **kwargs):
        if self.slug == "border-crossings-reopen":
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "save_revision", failing)
    output, error = run_import(FIXTURE, "--media-dir", media_dir)
    assert "post 102 “Border crossings reopen after talks in Brussels”" in error
    assert "disk full" in error
    assert not Page.objects.filter(slug="border-crossings-reopen").exists()
    assert not ImportedPost.objects.filter(wp_id=102).exists()
    assert not Redirect.objects.filter(old_path="/?p=102").exists()
    assert ArticlePage.objects.count() == 5

    monkeypatch.setattr(ArticlePage, "save_revision", original)
    output, _ = run_import(FIXTURE, "--media-dir", media_dir)
    assert "Created: 1, updated: 0, unchanged: 5" in output


# --- redirects ---------------------------------------------------------------------------


def test_old_urls_redirect_permanently(imported, client):
    gutenberg, classic = article("nato-kfor-remains-strong"), article("border-crossings-reopen")
    for old, page in [
        ("/2025/01/15/nato-kfor-remains-strong/", gutenberg),
        ("/2025/01/15/nato-kfor-remains-strong", gutenberg),
        ("/?p=101", gutenberg),
        ("/?p=102", classic),
        ("/2024/12/02/border-crossings-reopen/", classic),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == page.url, old
        assert client.get(response["Location"]).status_code == 200
    assert Redirect.objects.filter(is_permanent=False).count() == 0
    assert Redirect.objects.filter(redirect_page=gutenberg).count() == 2
    # Anything else at "/" is still the home page.
    assert client.get("/?p=999").status_code == 200
    assert client.get("/?p=abc").status_code == 200


# --- re-runs and dry runs ----------------------------------------------------------------


def test_second_run_changes_nothing(imported, media_dir):
    before = snapshot()
    output, _ = run_import(FIXTURE, "--media-dir", media_dir)
    assert snapshot() == before
    assert "Created: 0, updated: 0, unchanged: 6, skipped: 2 (1 failed)" in output
    assert "Redirects added or changed: 0, images imported: 0, authors created: 0" in output


def test_changed_post_is_updated_in_place(imported, media_dir, tmp_path):
    page = article("border-crossings-reopen")
    revisions = Revision.objects.for_instance(page).count()
    changed = tmp_path / "changed.xml"
    changed.write_text(
        FIXTURE.read_text()
        .replace("Border crossings reopen after talks in Brussels", "Crossings reopen")
        .replace("Talks continue in January.", "Talks continue in February."),
        encoding="utf-8",
    )
    output, _ = run_import(changed, "--media-dir", media_dir)
    assert "Created: 0, updated: 1, unchanged: 5" in output
    page = article("border-crossings-reopen")
    assert page.title == "Crossings reopen" and page.live
    assert blocks(page)[-1][1].source == "<p>Talks continue in February.</p>"
    assert Revision.objects.for_instance(page).count() == revisions + 1
    assert ArticlePage.objects.count() == 6


def test_dry_run_changes_nothing(news_index, media_dir):
    before = snapshot()
    output, error = run_import(FIXTURE, "--media-dir", media_dir, "--dry-run")
    assert snapshot() == before
    assert "Dry run summary (nothing was changed): Created: 6" in output
    assert "images would be imported: 3, authors would be created: 2" in output
    assert "post 105" in error


def test_progress_and_summary(imported):
    output, _ = imported
    assert "Importing 8 post(s) from “The Balkan Report” (WXR 1.2)." in output
    assert "[########################] 8/8 skipped" in output
    assert "1/8 created   post 101" in output
    assert "Not articles, so not imported as pages: 4 attachment, 1 nav_menu_item, 1 page." in (
        output
    )


# --- bad files ---------------------------------------------------------------------------


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_truncated_file_imports_the_complete_posts(news_index, tmp_path):
    text = FIXTURE.read_text()
    cut = text.index("<!-- A draft:")  # after posts 101 and 102, in the middle of the channel
    output, error = run_import(write(tmp_path, text[: cut + 200]))
    assert "not valid XML after 6 complete item(s)" in error and "truncated" in error
    assert set(ArticlePage.objects.values_list("slug", flat=True)) == {
        "nato-kfor-remains-strong",
        "border-crossings-reopen",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("this is not XML", "is not valid XML"),
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title>', "not valid"),
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Hi</title></item>'
            "</channel></rss>",
            "is not a WordPress export (WXR): it has no <wp:wxr_version>",
        ),
        ("<html><body><p>Hello</p></body></html>", "its root element is <html>, not <rss>"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            "<rss><channel><title>&lol2;</title></channel></rss>",
            "was refused: it declares XML entities",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<rss><channel><title>&xxe;</title></channel></rss>",
            "was refused",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(news_index, tmp_path, text, message):
    _, error = run_import(write(tmp_path, text))
    assert message in error
    assert ArticlePage.objects.count() == 0 and Redirect.objects.count() == 0


def test_missing_file_and_media_dir(news_index, tmp_path):
    _, error = run_import(tmp_path / "nope.xml")
    assert "Cannot read" in error
    _, error = run_import(FIXTURE, "--media-dir", tmp_path / "nowhere")
    assert "is not a directory" in error


def test_no_news_index(db):
    from demo.build import ensure_root

    ensure_root()
    _, error = run_import(FIXTURE)
    assert "There is no news index page" in error


def test_slug_of_an_existing_article_is_not_taken_over(news_index, make_article, client):
    existing = make_article(slug="border-crossings-reopen", title="An older story")
    output, _ = run_import(FIXTURE)
    imported = ArticlePage.objects.get(wordpress_post__wp_id=102)
    assert imported.slug == "border-crossings-reopen-2"
    assert "the slug “border-crossings-reopen” is already used by “An older story”" in output
    assert client.get("/?p=102")["Location"] == imported.url
    existing.refresh_from_db()
    assert existing.title == "An older story" and existing.live


def test_renamed_post_keeps_its_page_and_frees_its_old_slug(imported, media_dir, tmp_path):
    page = article("border-crossings-reopen")
    renamed = write(
        tmp_path,
        FIXTURE.read_text().replace(
            "<wp:post_name><![CDATA[border-crossings-reopen]]>",
            "<wp:post_name><![CDATA[crossings-reopen]]>",
        ),
    )
    output, _ = run_import(renamed, "--media-dir", media_dir)
    assert "Created: 0, updated: 1, unchanged: 5" in output
    page.refresh_from_db()
    assert page.slug == "crossings-reopen" and page.live
    assert ArticlePage.objects.count() == 6


def minimal_export(*items):
    """A WXR file around the given <item> bodies."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">'
        "<channel><title>Gazeta</title><wp:wxr_version>1.1</wp:wxr_version>"
        "<wp:base_site_url>https://gazeta.example</wp:base_site_url>"
        + "".join(f"<item>{item}</item>" for item in items)
        + "</channel></rss>"
    )


def test_cyrillic_slugs_older_wxr_and_other_statuses(news_index, tmp_path, client):
    path = write(
        tmp_path,
        minimal_export(
            "<title>КФОР остаје јак</title>"
            "<link>https://gazeta.example/2025/01/15/%d0%ba%d1%84%d0%be%d1%80/</link>"
            "<content:encoded><![CDATA[<p>Текст.</p>]]></content:encoded>"
            "<wp:post_id>7</wp:post_id><wp:post_date_gmt>2025-01-15 09:00:00</wp:post_date_gmt>"
            "<wp:post_name>%d0%ba%d1%84%d0%be%d1%80</wp:post_name><wp:status>publish</wp:status>"
            "<wp:post_type>post</wp:post_type>",
            "<title>Scheduled &amp; private</title><wp:post_id>8</wp:post_id>"
            "<content:encoded><![CDATA[<p>Later.</p>]]></content:encoded>"
            "<wp:post_date>2030-01-01 10:00:00</wp:post_date><wp:status>future</wp:status>"
            "<wp:post_type>post</wp:post_type>",
        ),
    )
    output, _ = run_import(path, expect_error=False)
    page = ArticlePage.objects.get(wordpress_post__wp_id=7)
    assert page.slug == "кфор" and page.title == "КФОР остаје јак" and page.live
    assert page.standfirst == "Текст."
    response = client.get("/2025/01/15/%D0%BA%D1%84%D0%BE%D1%80/")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200
    scheduled = ArticlePage.objects.get(wordpress_post__wp_id=8)
    assert scheduled.title == "Scheduled & private" and not scheduled.live
    assert "status “future” was imported as a draft" in output
    assert "Created: 2, updated: 0, unchanged: 0, skipped: 0 (0 failed)" in output


def test_unpublished_in_wordpress_is_unpublished_here(imported, media_dir, tmp_path):
    text = FIXTURE.read_text()
    start = text.index("<wp:post_id>104</wp:post_id>")
    status = text.index("<![CDATA[publish]]>", start)
    changed = text[:status] + "<![CDATA[draft]]>" + text[status + len("<![CDATA[publish]]>") :]
    output, _ = run_import(write(tmp_path, changed), "--media-dir", media_dir)
    assert "Created: 0, updated: 1, unchanged: 5" in output
    page = article("election-results-mitrovica")
    assert not page.live


def test_imported_articles_open_in_the_admin_editor(imported, client, django_user_model):
    from django.urls import reverse

    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    for page in ArticlePage.objects.all():
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page.slug
    # The imported pull quote, with its attribution, is in the editor's form data.
    page = article("nato-kfor-remains-strong")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "Mark Rutte" in response.content.decode()
