"""WordPress post HTML (Gutenberg blocks or the classic editor) to article body blocks.

The result is the StreamField's raw JSON form (``[{"type": ..., "value": ...}]``), so it can be
compared with what an earlier import wrote. Images are looked up through a callback, which turns
a WordPress upload into a Wagtail image id (or reports it missing).

Safety: scripts, styles, frames, forms and other active content are removed with their contents;
every paragraph goes through Wagtail's own rich text converter with the paragraph block's
features, which drops attributes (``onclick``, ``style`` ...) and elements it does not allow and
refuses unsafe link schemes; links that are not http(s), mailto, tel or relative are unwrapped.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, Tag

from news.blocks import PARAGRAPH_FEATURES

# Elements removed together with everything inside them.
DANGEROUS_TAGS = [
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "noscript",
    "template",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "audio",
    "video",
    "canvas",
]
SAFE_SCHEMES = {"http", "https", "mailto", "tel", ""}
BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "table",
    "hr",
    "pre",
    "img",
    "dl",
    "details",
    "address",
    "nav",
    "center",
}
WRAPPER_TAGS = {
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "center",
    "details",
}
QUOTE_MAX = 500
ATTRIBUTION_MAX = 120
ROLE_MAX = 160
CAPTION_MAX = 300
SUBHEADING_MAX = 120

# Gutenberg block types whose HTML is converted as it is (the HTML says what they are).
KNOWN_BLOCKS = {
    "paragraph",
    "heading",
    "list",
    "list-item",
    "image",
    "quote",
    "pullquote",
    "embed",
    "freeform",
    "html",
    "group",
    "columns",
    "column",
    "gallery",
    "preformatted",
    "verse",
    "code",
    "media-text",
    "cover",
    "buttons",
    "button",
}
# Gutenberg block types that carry no article content.
IGNORED_BLOCKS = {"separator", "spacer", "more", "nextpage", "read-more", "comments"}

# WordPress.com / Jetpack "Subscribe" forms: the new site has its own sign-up.
SUBSCRIBE_BLOCKS = {"jetpack/subscriptions", "core/subscriptions", "jetpack/mailchimp"}

# The block-comment grammar of WordPress's own block parser (class-wp-block-parser.php).
BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)"
    r"\s+(?P<attrs>\{(?:(?!-->).)*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$", re.MULTILINE)


@dataclass
class ImageRef:
    """An image the post uses, as WordPress names it."""

    src: str
    attachment_id: int | None = None
    alt: str = ""


# (ImageRef) -> Wagtail image id, or None when the file is missing (the callback reports it).
ImageResolver = Callable[[ImageRef], int | None]


@dataclass
class Conversion:
    blocks: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def first_text(self) -> str:
        for block in self.blocks:
            if block["type"] == "paragraph":
                text = html_to_text(block["value"])
                if text:
                    return text
        return ""


@dataclass
class GutenbergBlock:
    name: str  # "core/paragraph"
    attrs: dict
    inner: list  # GutenbergBlock | str (HTML between inner blocks)

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("core/")

    @property
    def inner_html(self) -> str:
        return "".join(part if isinstance(part, str) else part.html for part in self.inner)

    @property
    def html(self) -> str:
        return self.inner_html


def html_to_text(value: str) -> str:
    soup = BeautifulSoup(value, "html.parser")
    for tag in soup.find_all(["br", "p", "li", "div"]):
        tag.insert_before(" ")
    text = soup.get_text()
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


def is_safe_url(url: str) -> bool:
    compact = re.sub(r"[\x00-\x20\x7f-\xa0]+", "", html.unescape(url or "")).lower()
    try:
        scheme = urlparse(compact).scheme
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


def parse_blocks(content: str) -> list[GutenbergBlock | str]:
    """Split post content into Gutenberg blocks (nested) and the freeform HTML between them."""
    root = GutenbergBlock("root", {}, [])
    stack = [root]
    position = 0
    for match in BLOCK_COMMENT.finditer(content):
        if match.start() > position:
            stack[-1].inner.append(content[position : match.start()])
        position = match.end()
        name = (match.group("namespace") or "core/") + match.group("name")
        if match.group("closer"):
            # Close the nearest open block of that name (tolerating missing closers).
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    del stack[depth:]
                    break
            continue
        try:
            attrs = json.loads(match.group("attrs") or "{}")
        except ValueError:
            attrs = {}
        block = GutenbergBlock(name, attrs if isinstance(attrs, dict) else {}, [])
        stack[-1].inner.append(block)
        if not match.group("void"):
            stack.append(block)
    if position < len(content):
        stack[-1].inner.append(content[position:])
    return root.inner


def autop(text: str) -> str:
    """A small version of WordPress's wpautop(): blank lines separate paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Like wpautop(): top-level block elements stand apart from the text around them.
    outer = "|".join(sorted(BLOCK_TAGS - {"img"}))
    text = re.sub(rf"(<(?:{outer})[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</(?:{outer})>)", r"\1\n\n", text, flags=re.IGNORECASE)
    chunks = re.split(r"\n\s*\n", text)
    out = []
    any_block = "|".join(sorted(BLOCK_TAGS))
    block_start = re.compile(rf"^\s*</?({any_block})\b", re.IGNORECASE)
    for chunk in chunks:
        if not chunk.strip():
            continue
        if block_start.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br/>\n") + "</p>")
    return "\n".join(out)


CAPTION_SHORTCODE = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
OTHER_SHORTCODE = re.compile(r"\[/?([a-z_][a-z0-9_-]*)[^\]]*\]", re.IGNORECASE)


def expand_classic(content: str) -> str:
    """Classic-editor content: shortcodes WordPress would expand, then paragraphs."""

    def caption(match):
        body = match.group(2)
        image = re.search(r"(<a[^>]*>\s*)?<img[^>]*>(\s*</a>)?", body, re.IGNORECASE | re.DOTALL)
        if not image:
            return body
        text = (body[: image.start()] + body[image.end() :]).strip()
        return f"\n\n<figure>{image.group(0)}<figcaption>{text}</figcaption></figure>\n\n"

    content = CAPTION_SHORTCODE.sub(caption, content)
    content = EMBED_SHORTCODE.sub(
        lambda m: f'\n\n<figure class="wp-block-embed">{m.group(1).strip()}</figure>\n\n', content
    )
    # WordPress turns a URL alone on its line into an embed.
    content = URL_LINE.sub(
        lambda m: f'\n<figure class="wp-block-embed">{m.group(1)}</figure>\n', content
    )
    return autop(content)


class Converter:
    def __init__(self, resolve_image: ImageResolver, label: str = "post"):
        self.resolve_image = resolve_image
        self.label = label
        self.result = Conversion()

    # --- entry points ------------------------------------------------------------------

    def convert(self, content: str) -> Conversion:
        if BLOCK_COMMENT.search(content or ""):
            for part in parse_blocks(content):
                self.gutenberg(part)
        else:
            self.html(expand_classic(content or ""))
        self.merge_lists()
        return self.result

    def warn(self, message: str) -> None:
        if message not in self.result.warnings:
            self.result.warnings.append(message)

    def add(self, block_type: str, value) -> None:
        self.result.blocks.append({"type": block_type, "value": value})

    # --- Gutenberg ---------------------------------------------------------------------

    def gutenberg(self, part: GutenbergBlock | str) -> None:
        if isinstance(part, str):
            if part.strip():
                self.html(expand_classic(part))
            return
        name = part.short_name
        if part.name.startswith("core/") and name in IGNORED_BLOCKS:
            return
        if name == "embed" or part.name.startswith("core-embed/"):
            self.embed_block(part)
            return
        if name in ("group", "columns", "column") and part.name.startswith("core/"):
            for inner in part.inner:
                self.gutenberg(inner)
            return
        if part.name in SUBSCRIBE_BLOCKS:
            self.warn(
                f"WordPress's subscribe form ({part.name}) was left out; the site has its own "
                "newsletter sign-up"
            )
            return
        if not part.name.startswith("core/") or name not in KNOWN_BLOCKS:
            soup = BeautifulSoup(part.inner_html, "html.parser")
            for tag in soup.find_all(DANGEROUS_TAGS):
                tag.decompose()
            text = html_to_text(str(soup))
            kept = "; its text was kept" if text else ""
            self.warn(f"unknown block type “{part.name}”{kept}")
        if name == "freeform":
            self.html(expand_classic(part.inner_html))
        else:
            self.html(part.inner_html)

    def embed_block(self, part: GutenbergBlock) -> None:
        url = str(part.attrs.get("url") or "").strip()
        soup = BeautifulSoup(part.inner_html, "html.parser")
        caption_tag = soup.find("figcaption")
        caption = html_to_text(str(caption_tag)) if caption_tag else ""
        if not url:
            wrapper = soup.find(class_="wp-block-embed__wrapper")
            url = (wrapper.get_text() if wrapper else soup.get_text()).strip()
        self.add_embed(url, caption)

    def add_embed(self, url: str, caption: str = "") -> None:
        url = url.strip()
        if not url or urlparse(url).scheme not in ("http", "https"):
            self.warn(f"an embed without a usable URL ({url or 'empty'}) was dropped")
            return
        self.add("embed", {"embed": url, "caption": self.fit(caption, CAPTION_MAX, "caption")})

    # --- HTML --------------------------------------------------------------------------

    def html(self, markup: str) -> None:
        soup = BeautifulSoup(markup, "html.parser")
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        for tag in soup.find_all(DANGEROUS_TAGS):
            if tag.parent is not None:
                self.dropped(tag)
                tag.decompose()
        for tag in soup.find_all(True):
            if any(attribute.lower().startswith("on") for attribute in tag.attrs):
                self.warn("unsafe markup was removed (inline event handler)")
        self.nodes(list(soup.contents))

    def nodes(self, nodes) -> None:
        inline: list = []
        for node in nodes:
            if isinstance(node, Tag) and (node.name in BLOCK_TAGS or self.is_image_link(node)):
                self.paragraph(inline)
                inline = []
                self.block(node)
            elif isinstance(node, Tag) and node.name in DANGEROUS_TAGS:
                self.dropped(node)
            else:
                inline.append(node)
        self.paragraph(inline)

    def dropped(self, tag: Tag) -> None:
        if tag.name == "iframe" and tag.get("src"):
            self.warn(f"an <iframe> ({tag['src'][:80]}) was removed; add it back as an embed block")
        else:
            self.warn(f"unsafe markup was removed (<{tag.name}>)")

    @staticmethod
    def is_image_link(node: Tag) -> bool:
        return (
            node.name == "a"
            and node.find("img") is not None
            and not html_to_text(node.decode_contents())
        )

    def block(self, tag: Tag) -> None:
        name = tag.name
        classes = tag.get("class") or []
        if name == "p":
            images = tag.find_all("img")
            for img in images:
                self.image(img)
                (img.parent if self.is_image_link(img.parent) else img).extract()
            if tag.find(list(BLOCK_TAGS - {"img"})):
                self.nodes(list(tag.contents))  # a list or quote inside <p>: split it out
            else:
                self.paragraph(list(tag.contents))
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(tag)
        elif name in ("ul", "ol"):
            self.paragraph([tag], is_list=True)
        elif name == "blockquote":
            self.quote(tag)
        elif name == "figure":
            self.figure(tag, classes)
        elif name == "img":
            self.image(tag)
        elif name == "a":  # a link around an image only
            self.image(tag.find("img"))
        elif name in WRAPPER_TAGS or name in ("dl", "address", "nav"):
            self.nodes(list(tag.contents))
        elif name == "pre":
            text = tag.get_text()
            if text.strip():
                lines = [html.escape(line) for line in text.strip("\n").split("\n")]
                self.add_paragraph("<p>" + "<br/>".join(lines) + "</p>")
        elif name == "table":
            self.warn("a table is not supported in articles; its text was kept as paragraphs")
            for row in tag.find_all("tr"):
                cells = [html_to_text(str(cell)) for cell in row.find_all(["td", "th"])]
                if any(cells):
                    text = html.escape(" · ".join(filter(None, cells)))
                    self.add_paragraph(f"<p>{text}</p>")
        # hr and anything else: nothing to keep

    def figure(self, tag: Tag, classes: list[str]) -> None:
        if "wp-block-pullquote" in classes or tag.find("blockquote"):
            quote = tag.find("blockquote") or tag
            self.quote(quote)
            return
        if "wp-block-embed" in classes or any(c.startswith("wp-block-embed") for c in classes):
            wrapper = tag.find(class_="wp-block-embed__wrapper")
            caption_tag = tag.find("figcaption")
            caption = html_to_text(str(caption_tag)) if caption_tag else ""
            if caption_tag:
                caption_tag.extract()
            url = (wrapper or tag).get_text().strip()
            self.add_embed(url, caption)
            return
        images = tag.find_all("img")
        caption_tag = tag.find("figcaption")
        caption = html_to_text(caption_tag.decode_contents()) if caption_tag else ""
        if images:
            for index, img in enumerate(images):
                # A gallery gives each image its own caption; the figure's caption goes last.
                own = img.find_parent("figure")
                own_caption = ""
                if own is not None and own is not tag:
                    own_tag = own.find("figcaption")
                    own_caption = html_to_text(own_tag.decode_contents()) if own_tag else ""
                elif index == len(images) - 1:
                    own_caption = caption
                self.image(img, own_caption)
            return
        if caption_tag:
            caption_tag.extract()
        self.nodes(list(tag.contents))

    def heading(self, tag: Tag) -> None:
        text = html_to_text(tag.decode_contents())
        if not text:
            return
        level = "h2" if tag.name in ("h1", "h2") else "h3"
        if len(text) > SUBHEADING_MAX:
            self.warn(f"a heading longer than {SUBHEADING_MAX} characters became a bold paragraph")
            self.add_paragraph(f"<p><b>{html.escape(text)}</b></p>")
            return
        self.add("subheading", {"text": text, "level": level})

    def quote(self, tag: Tag) -> None:
        cite_tag = tag.find("cite") or tag.find("footer")
        citation = ""
        if cite_tag is not None:
            citation = html_to_text(cite_tag.decode_contents()).lstrip("—–- ").strip()
            cite_tag.extract()
        paragraphs = [html_to_text(p.decode_contents()) for p in tag.find_all("p")]
        text = " ".join(p for p in paragraphs if p) or html_to_text(tag.decode_contents())
        text = text.strip().strip('“”"„«»').strip()
        if not text:
            return
        if len(text) > QUOTE_MAX:
            self.warn(
                f"a quotation longer than {QUOTE_MAX} characters was kept as a paragraph, "
                "not a pull quote"
            )
            suffix = f" — {html.escape(citation)}" if citation else ""
            self.add_paragraph(f"<p>“{html.escape(text)}”{suffix}</p>")
            return
        attribution, _, role = citation.partition(",")
        if not attribution.strip():
            self.warn(
                "a pull quote has no citation; its attribution is empty and must be filled in "
                "before the article can be saved in the admin"
            )
        self.add(
            "pull_quote",
            {
                "quote": text,
                "attribution": self.fit(attribution.strip(), ATTRIBUTION_MAX, "attribution"),
                "role": self.fit(role.strip(), ROLE_MAX, "role"),
            },
        )

    def image(self, img: Tag | None, caption: str = "") -> None:
        if img is None:
            return
        src = (img.get("src") or "").strip()
        if not src:
            return
        attachment_id = None
        for css_class in img.get("class") or []:
            match = re.fullmatch(r"wp-image-(\d+)", css_class)
            if match:
                attachment_id = int(match.group(1))
        alt = " ".join((img.get("alt") or "").split())
        image_id = self.resolve_image(ImageRef(src=src, attachment_id=attachment_id, alt=alt))
        if image_id is None:
            return
        self.add(
            "image",
            {
                "image": {"image": image_id, "alt_text": alt, "decorative": False},
                "caption": self.fit(caption, CAPTION_MAX, "caption"),
                "credit": "",
            },
        )
        if not alt:
            self.warn(f"an image ({src.rsplit('/', 1)[-1]}) has no alt text; please add it")

    def fit(self, text: str, limit: int, what: str) -> str:
        if len(text) > limit:
            self.warn(f"a {what} longer than {limit} characters was shortened")
            return truncate(text, limit)
        return text

    # --- paragraphs --------------------------------------------------------------------

    def paragraph(self, nodes: list, is_list: bool = False) -> None:
        if not nodes:
            return
        markup = "".join(str(node) for node in nodes)
        if not is_list:
            markup = f"<p>{markup}</p>"
        value = clean_rich_text(markup, self.warn)
        if value:
            self.add_paragraph(value, is_list=is_list)

    def add_paragraph(self, value: str, is_list: bool = False) -> None:
        self.add("paragraph", value)
        if is_list:
            self.result.blocks[-1]["list"] = True

    def merge_lists(self) -> None:
        """Lists join the paragraph before them: one rich text block, as an editor writes it."""
        merged: list[dict] = []
        for block in self.result.blocks:
            is_list = block.pop("list", False)
            if is_list and merged and merged[-1]["type"] == "paragraph":
                merged[-1]["value"] += block["value"]
            else:
                merged.append(block)
        self.result.blocks = merged


@cache
def _converter():
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    return ContentstateConverter(PARAGRAPH_FEATURES)


def clean_rich_text(markup: str, warn: Callable[[str], None] = lambda message: None) -> str:
    """HTML to the paragraph block's rich text: only PARAGRAPH_FEATURES survive."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(DANGEROUS_TAGS):
        if tag.parent is not None:
            warn(f"unsafe markup was removed (<{tag.name}>)")
            tag.decompose()
    for tag in soup.find_all(True):
        if any(attribute.lower().startswith("on") for attribute in tag.attrs):
            warn("unsafe markup was removed (inline event handler)")
    for link in soup.find_all("a"):
        href = link.get("href")
        if href is None or not is_safe_url(href):
            if href is not None:
                warn("unsafe markup was removed (javascript: or other unsafe link)")
            link.unwrap()
        else:
            link.attrs = {"href": href.strip()}
    for tag in soup.find_all(["strong"]):
        tag.name = "b"
    for tag in soup.find_all(["em"]):
        tag.name = "i"
    for tag in soup.find_all("img"):
        tag.decompose()
    converter = _converter()
    value = converter.to_database_format(converter.from_database_format(str(soup)))
    # Block keys are random; the editor makes new ones, and stable output keeps re-runs quiet.
    value = re.sub(r' data-block-key="[^"]*"', "", value)
    value = re.sub(r"(<p>)(?:\s|<br/>)+|(?:\s|<br/>)+(</p>)", r"\1\2", value)
    value = re.sub(r"<p>(\s|&nbsp;|<br/>)*</p>", "", value)
    return value.strip()


def convert_post(content: str, resolve_image: ImageResolver, label: str = "post") -> Conversion:
    return Converter(resolve_image, label).convert(content)
