"""Time manage.py import_wordpress on a synthetic export (fresh SQLite database in a temp dir).

    .venv/bin/python bench/wordpress_import.py [POSTS]   (default 200)

Prints seconds and posts per second for a dry run, the first import and an unchanged re-run.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTS = int(sys.argv[1]) if len(sys.argv) > 1 else 200

ITEM = (
    "<item><title>Synthetic post {n}</title>"
    "<link>https://wp.example/2025/01/{day:02d}/synthetic-post-{n}/</link>"
    '<dc:creator>writer{author}</dc:creator><guid isPermaLink="false">'
    "https://wp.example/?p={n}</guid><content:encoded><![CDATA["
    "<!-- wp:paragraph --><p>Paragraph one of post {n} with "
    '<a href="https://x.example/">a link</a>.</p><!-- /wp:paragraph -->\n'
    "<!-- wp:heading --><h2>Section {n}</h2><!-- /wp:heading -->\n"
    '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Quote {n}</p>'
    "<cite>Speaker, Role</cite></blockquote></figure><!-- /wp:pullquote -->\n"
    "<!-- wp:list --><ul><li>one</li><li>two</li></ul><!-- /wp:list -->\n"
    "<!-- wp:paragraph --><p>Closing paragraph of post {n}.</p><!-- /wp:paragraph -->"
    "]]></content:encoded><excerpt:encoded><![CDATA[Excerpt of post {n}.]]></excerpt:encoded>"
    "<wp:post_id>{n}</wp:post_id><wp:post_date>2025-01-{day:02d} 10:00:00</wp:post_date>"
    "<wp:post_date_gmt>2025-01-{day:02d} 09:00:00</wp:post_date_gmt>"
    "<wp:post_name>synthetic-post-{n}</wp:post_name>"
    "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
    '<category domain="post_tag" nicename="tag{tag}"><![CDATA[Tag {tag}]]></category></item>\n'
)


def export_text(posts: int) -> str:
    authors = "".join(
        f"<wp:author><wp:author_login>writer{a}</wp:author_login>"
        f"<wp:author_display_name>Writer {a}</wp:author_display_name></wp:author>"
        for a in range(5)
    )
    items = "".join(
        ITEM.format(n=n, day=n % 28 + 1, author=n % 5, tag=n % 10) for n in range(1, posts + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>Bench</title><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>https://wp.example</wp:base_site_url>{authors}{items}</channel></rss>"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{tmp}/media"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        import django

        django.setup()
        from django.core.management import call_command

        from demo.build import ensure_site

        call_command("migrate", verbosity=0)
        ensure_site()
        path = Path(tmp) / "export.xml"
        path.write_text(export_text(POSTS), encoding="utf-8")
        print(f"{POSTS} posts, {path.stat().st_size / 1024:.0f} KiB export")
        for name, extra in [("dry run", ["--dry-run"]), ("first import", []), ("re-run", [])]:
            start = time.perf_counter()
            call_command(
                "import_wordpress", str(path), *extra, verbosity=0, stdout=open(os.devnull, "w")
            )
            seconds = time.perf_counter() - start
            print(f"{name:>13}: {seconds:6.2f} s  ({POSTS / seconds:6.1f} posts/s)")


if __name__ == "__main__":
    main()
