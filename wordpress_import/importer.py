"""Turning a parsed WordPress export into articles, images, authors, tags and redirects.

Each post is imported in its own transaction: a post that fails leaves nothing behind, and the
others are still imported. What was imported is remembered (``ImportedPost``, ``ImportedImage``)
with a fingerprint of what was written, so a second run updates changed posts, skips unchanged
ones and never duplicates anything. A dry run computes the same plan and writes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from news.models import STANDFIRST_MAX_LENGTH, ArticleAuthor, ArticlePage, Author, NewsIndexPage

from .convert import SIZE_SUFFIX, ImageRef, convert_post, html_to_text, truncate
from .models import ImportedImage, ImportedPost
from .wxr import WPItem, WXRExport, upload_path_from_url

SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
IGNORED_CATEGORIES = {"uncategorized"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".heic"}


class ImportFailed(Exception):
    """One post cannot be imported; the message says why."""


@dataclass
class PostResult:
    item: WPItem
    action: str  # created, updated, unchanged, skipped, failed
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    page: ArticlePage | None = None


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    warnings: int = 0
    redirects: int = 0
    images: int = 0
    authors: int = 0
    errors: list[str] = field(default_factory=list)
    missing_media: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    not_posts: Counter = field(default_factory=Counter)
    file_error: str = ""

    def line(self, dry_run: bool = False) -> str:
        verb = "would be " if dry_run else ""
        return (
            f"Created: {self.created}, updated: {self.updated}, unchanged: {self.unchanged}, "
            f"skipped: {self.skipped + self.failed} ({self.failed} failed), "
            f"warnings: {self.warnings}. Redirects {verb}added or changed: {self.redirects}, "
            f"images {verb}imported: {self.images}, authors {verb}created: {self.authors}."
        )


@dataclass
class PostPlan:
    """Everything an article gets from one post, in a form that can be fingerprinted."""

    title: str
    slug: str
    standfirst: str
    body: list[dict]
    authors: list[tuple[str, str]]  # (slug, name)
    tags: list[str]
    lead_image: int | None
    lead_image_alt: str
    lead_image_caption: str
    live: bool
    published: datetime.datetime | None
    modified: datetime.datetime | None

    def fingerprint(self) -> str:
        data = {
            key: (value.isoformat() if isinstance(value, datetime.datetime) else value)
            for key, value in self.__dict__.items()
        }
        encoded = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


def describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(
                f"{name}: {' '.join(str(m) for m in messages)}"
                for name, messages in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    return str(exc) or type(exc).__name__


class WordPressImporter:
    def __init__(
        self,
        export: WXRExport,
        *,
        media_dir: str | Path | None = None,
        dry_run: bool = False,
        index: NewsIndexPage | None = None,
        progress: Callable[[int, int, PostResult], None] | None = None,
    ):
        self.export = export
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.index = index
        self.progress = progress or (lambda number, total, result: None)
        self.summary = Summary()
        self.attachments = export.attachments
        self.image_cache: dict[str, int | None] = {}
        self.claimed_slugs: dict[str, int] = {}  # slug -> WordPress id, within this run
        self.authors_seen: set[str] = set()
        self.siblings: dict[str, tuple[int, str]] | None = None  # slug -> (page id, title)
        self.slug_of: dict[int, str] = {}  # page id -> slug, for pages this run wrote

    # --- the run -----------------------------------------------------------------------

    def run(self) -> Summary:
        if self.index is None:
            self.index = NewsIndexPage.objects.order_by("path").first()
        if self.index is None:
            raise ImportFailed(
                "There is no news index page to import into. Create one in the admin "
                "(or run `manage.py load_demo`) and try again."
            )
        self.site = self.index.get_site()
        self.summary.file_error = self.export.error
        for item in self.export.items:
            if item.post_type != "post":
                self.summary.not_posts[item.post_type] += 1
        posts = self.export.posts
        for number, item in enumerate(posts, start=1):
            result = self.import_post(item)
            setattr(self.summary, result.action, getattr(self.summary, result.action) + 1)
            self.summary.warnings += len(result.warnings)
            if result.error:
                self.summary.errors.append(f"{item.label}: {result.error}")
            self.progress(number, len(posts), result)
        return self.summary

    def import_post(self, item: WPItem) -> PostResult:
        if item.status in SKIPPED_STATUSES:
            return PostResult(item, "skipped", [f"status “{item.status}” is not imported"])
        result = PostResult(item, "failed")
        try:
            plan = self.plan(item, result.warnings)
            mapping = (
                ImportedPost.objects.filter(source=self.export.source, wp_id=item.wp_id)
                .select_related("page")
                .first()
            )
            fingerprint = plan.fingerprint()
            if mapping and mapping.fingerprint == fingerprint:
                result.action = "unchanged"
                result.page = mapping.page
                with transaction.atomic():
                    self.summary.redirects += self.ensure_redirects(
                        item, mapping.page, plan, write=not self.dry_run
                    )
                return result
            result.action = "updated" if mapping else "created"
            if self.dry_run:
                for slug, _ in plan.authors:
                    if slug not in self.authors_seen:
                        self.authors_seen.add(slug)
                        self.summary.authors += not Author.objects.filter(slug=slug).exists()
                if plan.live and mapping:
                    self.summary.redirects += self.ensure_redirects(
                        item, mapping.page, plan, write=False
                    )
                elif plan.live:
                    self.summary.redirects += len(self.old_paths(item))
                return result
            with transaction.atomic():
                page = self.write(item, plan, mapping)
                if mapping:
                    mapping.page = page
                    mapping.fingerprint = fingerprint
                    mapping.save()
                else:
                    ImportedPost.objects.create(
                        source=self.export.source,
                        wp_id=item.wp_id,
                        page=page,
                        fingerprint=fingerprint,
                    )
                self.summary.redirects += self.ensure_redirects(item, page, plan)
            result.page = page
            old_slug = self.slug_of.get(page.pk)
            if old_slug and self.siblings.get(old_slug, (None,))[0] == page.pk:
                del self.siblings[old_slug]
            self.siblings[page.slug] = (page.pk, page.title)
            self.slug_of[page.pk] = page.slug
        except ImportFailed as exc:
            result.action = "failed"
            result.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - one broken post must not stop the others
            result.action = "failed"
            result.error = f"could not be imported ({type(exc).__name__}: {describe(exc)})"
        if result.action == "failed":
            self.claimed_slugs = {
                slug: wp_id for slug, wp_id in self.claimed_slugs.items() if wp_id != item.wp_id
            }
        return result

    # --- from post to plan -------------------------------------------------------------

    def plan(self, item: WPItem, warnings: list[str]) -> PostPlan:
        title = html_to_text(item.title)
        if not title:
            raise ImportFailed(
                "has an empty title; give it a title in WordPress (or import it by hand). "
                "Nothing was imported for it."
            )
        if len(title) > 255:
            raise ImportFailed("has a title longer than 255 characters; shorten it in WordPress.")

        def resolve(ref: ImageRef) -> int | None:
            return self.resolve_image(ref, item, warnings)

        conversion = convert_post(item.content, resolve, item.label)
        warnings.extend(conversion.warnings)

        live = item.status == "publish"
        if item.status not in ("publish", "draft"):
            warnings.append(f"status “{item.status}” was imported as a draft")
        published = item.date_gmt or self.aware(item.date_local)
        modified = item.modified_gmt or published

        standfirst = " ".join(html_to_text(item.excerpt).split())
        if len(standfirst) > STANDFIRST_MAX_LENGTH:
            warnings.append(
                f"the excerpt is longer than {STANDFIRST_MAX_LENGTH} characters; the standfirst "
                "was shortened"
            )
            standfirst = truncate(standfirst, STANDFIRST_MAX_LENGTH)
        if not standfirst:
            standfirst = truncate(conversion.first_text(), STANDFIRST_MAX_LENGTH) or title
            warnings.append("has no excerpt; the standfirst was taken from the text")

        lead_image, lead_alt, lead_caption = None, "", ""
        thumbnail_id = item.meta.get("_thumbnail_id", "").strip()
        if thumbnail_id.isdigit():
            attachment = self.attachments.get(int(thumbnail_id))
            if attachment is None:
                warnings.append(
                    f"its featured image (attachment {thumbnail_id}) is not in the export"
                )
            else:
                lead_image = self.resolve_image(
                    ImageRef(src=attachment.attachment_url, attachment_id=attachment.wp_id),
                    item,
                    warnings,
                )
                if lead_image is not None:
                    lead_alt = attachment.meta.get("_wp_attachment_image_alt", "").strip()[:250]
                    lead_caption = truncate(html_to_text(attachment.excerpt), 300)

        return PostPlan(
            title=title,
            slug=self.choose_slug(item, title, warnings),
            standfirst=standfirst,
            body=conversion.blocks,
            authors=self.author_keys(item),
            tags=self.tag_names(item),
            lead_image=lead_image,
            lead_image_alt=lead_alt,
            lead_image_caption=lead_caption,
            live=live,
            published=published if live else None,
            modified=modified if live else None,
        )

    @staticmethod
    def aware(value: datetime.datetime | None) -> datetime.datetime | None:
        if value is None:
            return None
        return timezone.make_aware(value, timezone.get_default_timezone())

    def choose_slug(self, item: WPItem, title: str, warnings: list[str]) -> str:
        allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
        wanted = slugify(unquote(item.slug), allow_unicode=allow_unicode) or slugify(
            title, allow_unicode=allow_unicode
        )
        wanted = (wanted or f"post-{item.wp_id}")[:240].strip("-")
        own_page_id = (
            ImportedPost.objects.filter(source=self.export.source, wp_id=item.wp_id)
            .values_list("page_id", flat=True)
            .first()
        )
        if self.siblings is None:  # read once: a large import must not re-read the tree per post
            self.siblings = {
                slug: (pk, title)
                for slug, pk, title in Page.objects.child_of(self.index).values_list(
                    "slug", "pk", "title"
                )
            }
            self.slug_of = {pk: slug for slug, (pk, _) in self.siblings.items()}

        def holder(slug: str) -> str | None:
            """Who else has this slug: a page under the news index, or a post of this run."""
            pk, page_title = self.siblings.get(slug, (None, ""))
            if pk is not None and pk != own_page_id:
                return f"“{page_title}”"
            wp_id = self.claimed_slugs.get(slug, item.wp_id)
            if wp_id != item.wp_id:
                return f"WordPress post {wp_id} in this export"
            return None

        slug, number = wanted, 1
        while holder(slug):
            number += 1
            slug = f"{wanted}-{number}"
        if slug != wanted:
            warnings.append(
                f"the slug “{wanted}” is already used by {holder(wanted)}; imported as “{slug}” "
                "(its old URLs still redirect to it)"
            )
        self.claimed_slugs[slug] = item.wp_id
        return slug

    def author_keys(self, item: WPItem) -> list[tuple[str, str]]:
        if not item.creator:
            return []
        author = self.export.authors.get(item.creator)
        name = author.name if author else item.creator
        slug = slugify(name) or slugify(item.creator) or "author"
        return [(slug[:120], name[:120])]

    @staticmethod
    def tag_names(item: WPItem) -> list[str]:
        names = []
        for domain, nicename, name in item.terms:
            if domain not in ("category", "post_tag"):
                continue
            if domain == "category" and (nicename or slugify(name)) in IGNORED_CATEGORIES:
                continue
            name = " ".join(html.unescape(name).split())[:100]
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names

    # --- images ------------------------------------------------------------------------

    def resolve_image(self, ref: ImageRef, item: WPItem, warnings: list[str]) -> int | None:
        attachment = self.attachments.get(ref.attachment_id) if ref.attachment_id else None
        if attachment is not None and attachment.upload_path:
            upload = attachment.upload_path
        elif "/wp-content/uploads/" in ref.src:
            upload = upload_path_from_url(ref.src)
        else:
            host = urlparse(ref.src).netloc or "an unknown address"
            warnings.append(
                f"an image from another site ({host}) was left out; only the site's own "
                "uploads are imported"
            )
            return None
        upload = upload.strip().lstrip("/")
        name = upload.rsplit("/", 1)[-1]
        if not upload or Path(name).suffix.lower() not in IMAGE_EXTENSIONS:
            warnings.append(f"an image with an unusable address ({ref.src[:80]}) was dropped")
            return None
        if upload in self.image_cache:
            image_id = self.image_cache[upload]
            if image_id is None:
                self.missing(upload, item, warnings)
            return image_id
        known = (
            ImportedImage.objects.filter(source=self.export.source, upload_path=upload)
            .values_list("image_id", flat=True)
            .first()
        )
        if known:
            self.image_cache[upload] = known
            return known
        path = self.find_file(upload)
        if path is None:
            self.image_cache[upload] = None
            self.missing(upload, item, warnings)
            return None
        try:
            from PIL import Image as PILImage

            with PILImage.open(path) as picture:
                picture.verify()
        except Exception:  # noqa: BLE001 - any unreadable file is reported the same way
            self.image_cache[upload] = None
            warnings.append(f"the image file {upload} is not a readable image; it was left out")
            return None
        if self.dry_run:
            self.summary.images += 1
            image_id = -len(self.image_cache) - 1  # a stand-in; nothing is written
        else:
            image_id = self.store_image(path, upload, attachment, ref)
        self.image_cache[upload] = image_id
        return image_id

    def missing(self, upload: str, item: WPItem, warnings: list[str]) -> None:
        where = "no --media-dir was given" if self.media_dir is None else "not in --media-dir"
        warnings.append(f"image {upload} is missing ({where}); it was left out")
        if item.label not in self.summary.missing_media[upload]:
            self.summary.missing_media[upload].append(item.label)

    def find_file(self, upload: str) -> Path | None:
        if self.media_dir is None:
            return None
        original = SIZE_SUFFIX.sub("", upload)
        candidates = [original, upload] if original != upload else [upload]
        bases = [self.media_dir, self.media_dir / "uploads", self.media_dir / "wp-content/uploads"]
        names = [(base / candidate) for candidate in candidates for base in bases]
        names += [self.media_dir / Path(candidate).name for candidate in candidates]
        for path in names:
            try:
                resolved = path.resolve()
            except OSError:
                continue
            # Never read outside the media directory (an upload path could hold "../").
            if resolved.is_relative_to(self.media_dir) and resolved.is_file():
                return resolved
        return None

    def store_image(self, path: Path, upload: str, attachment: WPItem | None, ref: ImageRef):
        Image = get_image_model()
        title = html.unescape(attachment.title) if attachment and attachment.title else ""
        alt = ref.alt
        if attachment is not None:
            alt = alt or attachment.meta.get("_wp_attachment_image_alt", "").strip()
        with transaction.atomic(), open(path, "rb") as stream:
            image = Image(
                title=(title or Path(upload).stem)[:255], description=" ".join(alt.split())[:255]
            )
            image.file = ImageFile(stream, name=Path(upload).name)
            image.save()
            ImportedImage.objects.create(source=self.export.source, upload_path=upload, image=image)
        self.summary.images += 1
        return image.pk

    # --- writing -----------------------------------------------------------------------

    def ensure_authors(self, plan: PostPlan) -> list[Author]:
        authors = []
        for slug, name in plan.authors:
            author, created = Author.objects.get_or_create(slug=slug, defaults={"name": name})
            self.summary.authors += created
            authors.append(author)
        return authors

    def write(self, item: WPItem, plan: PostPlan, mapping: ImportedPost | None) -> ArticlePage:
        authors = self.ensure_authors(plan)
        if mapping:
            page = ArticlePage.objects.get(pk=mapping.page_id)
        else:
            page = ArticlePage(live=False, has_unpublished_changes=True)
        page.title = plan.title
        page.slug = plan.slug
        page.standfirst = plan.standfirst
        page.body = plan.body
        page.lead_image_id = plan.lead_image
        page.lead_image_alt = plan.lead_image_alt
        page.lead_image_caption = plan.lead_image_caption
        page.display_date = plan.published
        page.article_authors = [
            ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(authors)
        ]
        page.tags.set(plan.tags)
        if mapping is None:
            self.index.add_child(instance=page)
        revision = page.save_revision(clean=True)
        if plan.live:
            revision.publish()
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=plan.published,
                last_published_at=plan.modified,
                latest_revision_created_at=plan.modified,
            )
            type(revision).objects.filter(pk=revision.pk).update(created_at=plan.modified)
        elif page.live:
            page.unpublish()
        page.refresh_from_db()
        return page

    def old_paths(self, item: WPItem) -> list[str]:
        paths = []
        for url in (item.link, item.guid):
            parsed = urlparse(url or "")
            if not parsed.path.strip("/") and not parsed.query:
                continue
            path = Redirect.normalise_path(url)
            if path not in paths:
                paths.append(path)
        query_form = Redirect.normalise_path(f"/?p={item.wp_id}")
        if query_form not in paths:
            paths.append(query_form)
        return paths

    def ensure_redirects(
        self, item: WPItem, page: ArticlePage, plan: PostPlan, write: bool = True
    ) -> int:
        """Permanent redirects from the post's old URLs; returns how many were added/changed."""
        if not plan.live:
            return 0
        current = Redirect.normalise_path(page.get_url_parts()[2] if page.get_url_parts() else "")
        changed = 0
        for path in self.old_paths(item):
            if path == current:
                continue
            redirect = Redirect.objects.filter(old_path=path, site=self.site).first()
            if (
                redirect
                and redirect.redirect_page_id == page.pk
                and redirect.is_permanent
                and not redirect.redirect_link
            ):
                continue
            changed += 1
            if not write:
                continue
            redirect = redirect or Redirect(old_path=path, site=self.site)
            redirect.redirect_page = page
            redirect.redirect_link = ""
            redirect.is_permanent = True
            redirect.save()
        return changed
