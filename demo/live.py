"""Demo content for live coverage: a live page under the news index with a morning of updates."""

from __future__ import annotations

import datetime

from live.models import LivePage, LiveUpdate, update_body
from news.models import Author, NewsIndexPage
from newsletter.models import Newsletter

LIVE_SLUG = "northern-border-crossings-live"

UPDATES = [
    # (minutes ago, author slug, text, extra)
    (
        175,
        "arta-berisha",
        "Police in northern Kosova have closed two border crossings with Serbia "
        "after a night of roadblocks, officials said in a statement shortly after 7 a.m.",
        {},
    ),
    (
        150,
        "nikola-jovanovic",
        "Queues of lorries now stretch for several kilometres on the "
        "Serbian side of the Jarinje crossing, drivers told The Balkan Report by phone.",
        {},
    ),
    (
        120,
        "newsroom",
        "KFOR says it is monitoring the situation and has increased patrols near the crossings.",
        {
            "quote": "We remain ready to act in line with our mandate",
            "quote_by": "KFOR spokesperson",
        },
    ),
    (
        95,
        "arta-berisha",
        "An earlier update said three crossings were closed. Two are.",
        {
            "withdrawn": "It gave the wrong number of closed crossings: two are closed, as the first update said."
        },
    ),
    (
        70,
        "elira-hoxha",
        "The EU's special representative has called both governments and asked "
        'for the crossings to reopen "as soon as it is safe".',
        {"pinned": True},
    ),
    (
        40,
        "nikola-jovanovic",
        "Local shops in Zubin Potok report that deliveries did not arrive "
        "this morning; the main bakery has closed early.",
        {},
    ),
    (
        15,
        "arta-berisha",
        "Police say one of the two crossings, Bërnjak, will reopen for cars at "
        "noon; lorries must still wait.",
        {},
    ),
]


def ensure_live_page(
    index: NewsIndexPage, now: datetime.datetime, alert_newsletter: Newsletter | None = None
) -> LivePage:
    """The demo live page and its updates (created once; running again changes nothing).
    Breaking alerts from it go to ``alert_newsletter``."""
    page = LivePage.objects.child_of(index).filter(slug=LIVE_SLUG).first()
    if page is not None:
        return page
    start = now - datetime.timedelta(hours=3)
    page = LivePage(
        title="Live: border crossings closed in northern Kosova",
        slug=LIVE_SLUG,
        summary=(
            "<ul><li>Two crossings with Serbia closed overnight after roadblocks.</li>"
            "<li>KFOR has increased patrols; no injuries reported.</li>"
            "<li>Bërnjak reopens for cars at noon.</li></ul>"
        ),
        status=LivePage.LIVE,
        coverage_start=start,
        first_published_at=start,
        alert_newsletter=alert_newsletter,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    authors = {author.slug: author for author in Author.objects.all()}
    for minutes, author, text, extra in UPDATES:
        body = update_body(
            text=f"<p>{text}</p>", quote=extra.get("quote", ""), quote_by=extra.get("quote_by", "")
        )
        LiveUpdate.objects.create(
            page=page,
            posted_at=now - datetime.timedelta(minutes=minutes),
            author=authors.get(author),
            body=body,
            pinned=extra.get("pinned", False),
            withdrawn="withdrawn" in extra,
            correction_note=extra.get("withdrawn", ""),
        )
    return page
