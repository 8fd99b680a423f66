"""Builds the demo site: settings, page tree, authors, tags, images and articles.

Every function is idempotent: running the whole build twice leaves the same tree.
"""

from __future__ import annotations

import datetime
import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage, SiteSettings
from news.models import ArticleAuthor, ArticlePage, Author, NewsIndexPage

from .articles import ARTICLES, AUTHORS, SEED_SLUG, SEED_TAGS

DEMO_DIR = Path(__file__).resolve().parent
SEED_FILE = DEMO_DIR / "balkan-report-article.txt"
SUBSCRIBE_LINES = ("Discover more from", "Subscribe to get the latest posts")


@dataclass
class SeedArticle:
    publication: str
    tagline: str
    headline: str
    standfirst: str
    paragraphs: list[str]
    sign_off: str
    subscribe_text: list[str] = field(default_factory=list)


def parse_seed_article(path: Path = SEED_FILE) -> SeedArticle:
    """Read the real article as published: name, tagline, headline, standfirst, body, sign-off."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    publication, tagline, headline, standfirst, *rest = lines
    subscribe = [line for line in rest if line.startswith(SUBSCRIBE_LINES)]
    paragraphs = [line for line in rest if line not in subscribe]
    sign_off = ""
    match = re.search(r"\s*(/[^/]+/)\s*$", paragraphs[-1])
    if match:
        sign_off = match.group(1)
        paragraphs[-1] = paragraphs[-1][: match.start()].rstrip()
    return SeedArticle(publication, tagline, headline, standfirst, paragraphs, sign_off, subscribe)


def seed_pull_quote() -> dict:
    return {
        "quote": "We will continue to ensure that KFOR remains strong and capable of "
        "fulfilling its mission",
        "attribution": "Mark Rutte",
        "role": "NATO Secretary General",
    }


def seed_fact_box() -> dict:
    return {
        "title": "KFOR in numbers",
        "facts": [
            {
                "qualifier": "",
                "figure": "June 1999",
                "label": "mission established",
                "source_url": "",
                "as_of": None,
            },
            {
                "qualifier": "more than",
                "figure": "50,000",
                "label": "troops at the outset",
                "source_url": "",
                "as_of": None,
            },
            {
                "qualifier": "around",
                "figure": "4,767",
                "label": "soldiers serve today",
                "source_url": "",
                "as_of": None,
            },
            {
                "qualifier": "",
                "figure": "33",
                "label": "countries contribute troops",
                "source_url": "",
                "as_of": None,
            },
        ],
    }


def paragraph_html(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def seed_body(seed: SeedArticle) -> list[tuple[str, object]]:
    """The real article as StreamField blocks, with its pull quote and fact box."""
    body: list[tuple[str, object]] = []
    for text in seed.paragraphs:
        body.append(("paragraph", paragraph_html(text)))
        if text.startswith("“We will continue to ensure"):
            body.append(("pull_quote", seed_pull_quote()))
        if text.startswith("The KFOR mission was established"):
            body.append(("fact_box", seed_fact_box()))
    return body


# --- images -----------------------------------------------------------------------------

PALETTES = [
    ((158, 27, 27), (32, 32, 48)),
    ((27, 94, 158), (20, 30, 40)),
    ((46, 125, 50), (25, 35, 30)),
    ((191, 120, 20), (40, 28, 20)),
    ((90, 60, 150), (24, 20, 40)),
]


def _render_demo_image(seed: int, width: int = 1600, height: int = 900) -> bytes:
    """An abstract, deterministic picture (no fonts or network needed)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    rng = random.Random(seed)
    top, bottom = PALETTES[seed % len(PALETTES)]
    img = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    for _ in range(6):  # hills
        base = rng.randint(height // 2, height)
        points = [(0, height)]
        for x in range(0, width + 200, 200):
            points.append((x, base - rng.randint(0, height // 3)))
        points.append((width, height))
        shade = rng.randint(10, 60)
        draw.polygon(points, fill=(shade, shade, shade + 10))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=82)
    return out.getvalue()


def demo_image(title: str, seed: int):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = _render_demo_image(seed)
    filename = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] + ".jpg"
    image = Image(title=title, description=f"Illustration: {title}")
    image.file = ImageFile(io.BytesIO(data), name=filename)
    image.save()
    return image


# --- page tree --------------------------------------------------------------------------


def ensure_root() -> Page:
    """The tree's root (a flushed test database has none)."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def ensure_site() -> tuple[HomePage, NewsIndexPage]:
    root = ensure_root()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="The Balkan Report", slug="home"))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name="The Balkan Report",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    site_settings = SiteSettings.for_site(site)
    seed = parse_seed_article()
    changed = False
    for name, value in {
        "publication_name": seed.publication,
        "tagline": seed.tagline,
        "default_sign_off": seed.sign_off or "/The Balkan Report/",
        "about": "An independent news outlet covering Kosova and the Western Balkans.",
    }.items():
        if getattr(site_settings, name) != value:
            setattr(site_settings, name, value)
            changed = True
    if changed or site_settings.pk is None:
        site_settings.save()

    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=NewsIndexPage(
                title="News",
                slug="news",
                intro="The latest reporting from Kosova and the Western Balkans.",
            )
        )
        index.save_revision().publish()
    return home, index


def ensure_authors() -> dict[str, Author]:
    authors = {}
    for data in AUTHORS:
        author, _ = Author.objects.update_or_create(slug=data["slug"], defaults=data)
        authors[data["slug"]] = author
    return authors


def publish_article(
    index: NewsIndexPage,
    *,
    slug: str,
    title: str,
    standfirst: str,
    body: list,
    tags: list[str],
    authors: list[Author],
    published: datetime.datetime,
    lead_image=None,
    lead_image_caption: str = "",
    lead_image_credit: str = "",
    lead_image_alt: str = "",
    **fields,
) -> tuple[ArticlePage, bool]:
    existing = ArticlePage.objects.child_of(index).filter(slug=slug).first()
    if existing:
        return existing, False
    page = ArticlePage(
        title=title,
        slug=slug,
        standfirst=standfirst,
        body=body,
        lead_image=lead_image,
        lead_image_alt=lead_image_alt,
        lead_image_caption=lead_image_caption,
        lead_image_credit=lead_image_credit,
        first_published_at=published,
        display_date=published,
        **fields,
    )
    for order, author in enumerate(authors):
        page.article_authors.add(ArticleAuthor(author=author, sort_order=order))
    page.tags.add(*tags)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page, True


DEMO_HOME_SECTIONS = ["Economy", "Politics"]


def ensure_home_sections(home: HomePage, tag_names: list[str]) -> None:
    """The front page's tag sections (only when editors have not chosen any)."""
    from taggit.models import Tag

    from home.models import HomeTagSection

    if home.tag_sections.exists():
        return
    tags = [Tag.objects.filter(name=name).first() for name in tag_names]
    for order, tag in enumerate(t for t in tags if t):
        home.tag_sections.add(HomeTagSection(tag=tag, sort_order=order))
    home.save_revision().publish()


@transaction.atomic
def load_demo(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    home, index = ensure_site()
    authors = ensure_authors()
    created = 0

    seed = parse_seed_article()
    seed_page, was_created = publish_article(
        index,
        slug=SEED_SLUG,
        title=seed.headline,
        standfirst=seed.standfirst,
        body=seed_body(seed),
        tags=SEED_TAGS,
        authors=[authors["newsroom"]],
        published=now - datetime.timedelta(hours=3),
        lead_image=demo_image("KFOR patrol in northern Kosova (illustration)", 0),
        # The admin asks for alt text on every lead image: the demo gives it, like an editor.
        lead_image_alt="Illustration: KFOR soldiers on patrol in northern Kosova",
        lead_image_caption="KFOR remains operationally focused in the north of the country.",
        lead_image_credit="The Balkan Report (illustration)",
    )
    created += was_created

    for number, data in enumerate(ARTICLES, start=1):
        body: list[tuple[str, object]] = []
        paragraphs = [paragraph_html(text) for text in data["paragraphs"]]
        body.append(("paragraph", paragraphs[0]))
        if data.get("pull_quote"):
            body.append(("pull_quote", data["pull_quote"]))
        if data.get("subheading"):
            body.append(("subheading", {"text": data["subheading"], "level": "h2"}))
        body.extend(("paragraph", html) for html in paragraphs[1:])
        if data.get("fact_box"):
            body.append(("fact_box", data["fact_box"]))
        _, was_created = publish_article(
            index,
            slug=data["slug"],
            title=data["title"],
            standfirst=data["standfirst"],
            body=body,
            tags=data["tags"],
            authors=[authors[slug] for slug in data["authors"]],
            published=now - datetime.timedelta(days=data["days_ago"], hours=number),
            lead_image=demo_image(f"{data['title']} (illustration)", number),
            lead_image_alt=f"Illustration for the article: {data['title']}",
            lead_image_credit="The Balkan Report (illustration)",
        )
        created += was_created

    ensure_home_sections(home, DEMO_HOME_SECTIONS)
    # With several languages (SITE_LANGUAGES): each language's home and news index, the seed
    # article's Albanian and Serbian demo translations, an Albanian-only article.
    from .translations import load_translations

    translated = load_translations(home, index, seed_page, authors, now)
    from .newsletters import ensure_newsletters

    newsletters = {newsletter.slug: newsletter for newsletter in ensure_newsletters()}
    from .live import ensure_live_page

    ensure_live_page(index, now, alert_newsletter=newsletters["breaking"])
    # The newsroom's groups, their rights on the news index and the "Editorial review" workflow.
    from editorial.roles import ensure_editorial_setup

    ensure_editorial_setup()
    from .analytics import load_demo_counts

    load_demo_counts(now=now)

    return {
        "articles_created": created,
        "articles_total": ArticlePage.objects.live().filter(locale=index.locale_id).count(),
        "articles_other_languages": ArticlePage.objects.live()
        .exclude(locale=index.locale_id)
        .count(),
        "translations_created": translated["translations_created"],
        "authors": len(authors),
    }
