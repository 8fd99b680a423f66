"""Reading a WordPress export (WXR: RSS 2.0 with WordPress's own namespaces).

The file is read with defusedxml, which refuses entity declarations (the "billion laughs"
expansion attack) and external entities. A file that ends early (a truncated download) still
yields every item that was complete before the break, together with the parse error, so the
caller can import what can be imported and say what could not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

WP_NAMESPACE_PREFIX = "http://wordpress.org/export/"
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
NO_DATE = "0000-00-00 00:00:00"


class WXRError(Exception):
    """The file cannot be imported at all (not XML, not a WordPress export, hostile XML)."""


@dataclass
class WPAuthor:
    login: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name or full or self.login


@dataclass
class WPItem:
    """One <item>: a post, a page, an attachment, a menu item..."""

    wp_id: int
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    slug: str = ""
    status: str = ""
    date_gmt: datetime.datetime | None = None
    date_local: datetime.datetime | None = None
    modified_gmt: datetime.datetime | None = None
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, nicename, name)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How messages name the post: its id and title."""
        title = " ".join(self.title.split())
        if len(title) > 60:
            title = title[:59] + "…"
        return f"post {self.wp_id} “{title}”" if title else f"post {self.wp_id} (no title)"

    @property
    def upload_path(self) -> str:
        """For attachments: the file's path under wp-content/uploads (e.g. 2025/01/a.jpg)."""
        return self.meta.get("_wp_attached_file") or upload_path_from_url(self.attachment_url)


@dataclass
class WXRExport:
    title: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    authors: dict[str, WPAuthor] = field(default_factory=dict)
    items: list[WPItem] = field(default_factory=list)
    # Set when the file broke off part-way: the items above are the ones complete before it.
    error: str = ""

    @property
    def source(self) -> str:
        """A stable key for the WordPress site the export came from."""
        return (self.base_site_url or self.base_blog_url or "wordpress").rstrip("/")

    @property
    def posts(self) -> list[WPItem]:
        return [item for item in self.items if item.post_type == "post"]

    @property
    def attachments(self) -> dict[int, WPItem]:
        return {item.wp_id: item for item in self.items if item.post_type == "attachment"}


def upload_path_from_url(url: str) -> str:
    path = unquote(urlparse(url).path)
    marker = "/wp-content/uploads/"
    if marker in path:
        return path.split(marker, 1)[1]
    return path.lstrip("/")


def _split(tag: str) -> tuple[str, str]:
    """'{namespace}local' -> ('wp', 'local') for the namespaces WXR uses."""
    if not tag.startswith("{"):
        return "", tag
    namespace, local = tag[1:].split("}", 1)
    if namespace.startswith(WP_NAMESPACE_PREFIX):
        prefix = "excerpt" if namespace.rstrip("/").endswith("/excerpt") else "wp"
        return prefix, local
    return NAMESPACES.get(namespace, namespace), local


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _raw_text(element) -> str:
    return element.text or "" if element is not None else ""


def _children(element) -> dict[tuple[str, str], object]:
    found = {}
    for child in element:
        found.setdefault(_split(child.tag), child)
    return found


def parse_wp_date(value: str, *, utc: bool) -> datetime.datetime | None:
    value = (value or "").strip()
    if not value or value.startswith(NO_DATE[:10]):
        return None
    try:
        naive = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if utc:
        return naive.replace(tzinfo=datetime.UTC)
    return naive


def _int(value: str) -> int | None:
    try:
        return int(value.strip())
    except (AttributeError, ValueError):
        return None


def _parse_item(element) -> WPItem | None:
    children = _children(element)

    def text(prefix, name, raw=False):
        node = children.get((prefix, name))
        return _raw_text(node) if raw else _text(node)

    wp_id = _int(text("wp", "post_id"))
    if wp_id is None:
        return None
    item = WPItem(
        wp_id=wp_id,
        post_type=text("wp", "post_type") or "post",
        title=text("", "title"),
        link=text("", "link"),
        guid=text("", "guid"),
        creator=text("dc", "creator"),
        content=text("content", "encoded", raw=True),
        excerpt=text("excerpt", "encoded", raw=True),
        slug=text("wp", "post_name"),
        status=text("wp", "status"),
        date_gmt=parse_wp_date(text("wp", "post_date_gmt"), utc=True),
        date_local=parse_wp_date(text("wp", "post_date"), utc=False),
        modified_gmt=parse_wp_date(text("wp", "post_modified_gmt"), utc=True),
        attachment_url=text("wp", "attachment_url"),
    )
    for child in element:
        prefix, local = _split(child.tag)
        if (prefix, local) == ("", "category"):
            name = _text(child)
            if name:
                item.terms.append(
                    (child.get("domain", "category"), child.get("nicename", ""), name)
                )
        elif (prefix, local) == ("wp", "postmeta"):
            meta = _children(child)
            key = _text(meta.get(("wp", "meta_key")))
            if key:
                item.meta[key] = _raw_text(meta.get(("wp", "meta_value")))
    return item


def _parse_author(element) -> WPAuthor | None:
    children = _children(element)
    login = _text(children.get(("wp", "author_login")))
    if not login:
        return None
    return WPAuthor(
        login=login,
        display_name=_text(children.get(("wp", "author_display_name"))),
        first_name=_text(children.get(("wp", "author_first_name"))),
        last_name=_text(children.get(("wp", "author_last_name"))),
    )


def parse_wxr(path: str | Path) -> WXRExport:
    """Read a WXR file. Raises WXRError when nothing in it can be imported."""
    export = WXRExport()
    depth = 0
    root_checked = False
    try:
        with open(path, "rb") as stream:
            for event, element in iterparse(stream, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if not root_checked:
                        root_checked = True
                        if _split(element.tag)[1] != "rss":
                            raise WXRError(
                                f"{Path(path).name} is not a WordPress export (WXR): its root "
                                f"element is <{_split(element.tag)[1]}>, not <rss>. Export it from "
                                "WordPress with Tools → Export."
                            )
                    continue
                depth -= 1
                if depth != 2:  # only the children of <channel> matter
                    continue
                prefix, local = _split(element.tag)
                if (prefix, local) == ("", "item"):
                    item = _parse_item(element)
                    if item is not None:
                        export.items.append(item)
                elif (prefix, local) == ("wp", "author"):
                    author = _parse_author(element)
                    if author is not None:
                        export.authors[author.login] = author
                elif (prefix, local) == ("wp", "wxr_version"):
                    export.wxr_version = _text(element)
                elif (prefix, local) == ("wp", "base_site_url"):
                    export.base_site_url = _text(element)
                elif (prefix, local) == ("wp", "base_blog_url"):
                    export.base_blog_url = _text(element)
                elif (prefix, local) == ("", "title"):
                    export.title = _text(element)
                element.clear()  # keep memory flat on large exports
    except DefusedXmlException as exc:
        raise WXRError(
            f"{Path(path).name} was refused: it declares XML entities or external references "
            f"({type(exc).__name__}), which a WordPress export never does and which can be used "
            "to attack the server. Nothing was imported."
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        message = f"line {line}, column {column}: {exc.msg if hasattr(exc, 'msg') else exc}"
        if not export.wxr_version:
            raise WXRError(
                f"{Path(path).name} is not valid XML ({message}). Nothing was imported."
            ) from exc
        export.error = (
            f"{Path(path).name} is not valid XML after {len(export.items)} complete item(s) "
            f"({message}); it may be truncated. Items after that point were not read."
        )
    except OSError as exc:
        raise WXRError(f"Cannot read {path}: {exc.strerror or exc}") from exc

    if not export.wxr_version:
        raise WXRError(
            f"{Path(path).name} is not a WordPress export (WXR): it has no <wp:wxr_version>. "
            "Export the site from WordPress with Tools → Export."
        )
    return export
