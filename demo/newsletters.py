"""Demo newsletters: every new article (the default), a daily morning briefing and breaking
politics and security news. Idempotent: found by slug, never duplicated or overwritten."""

from __future__ import annotations

import datetime

from taggit.models import Tag

from newsletter.models import Newsletter

NEWSLETTERS = [
    {
        "slug": "new-articles",
        "name": "New articles",
        "description": "Every new article, when it is published.",
        "cadence": Newsletter.Cadence.INSTANT,
        "is_default": True,
        "priority": 0,
    },
    {
        "slug": "morning-briefing",
        "name": "Morning briefing",
        "description": "Yesterday's stories in one email at seven.",
        "cadence": Newsletter.Cadence.DAILY,
        "send_time": datetime.time(7, 0),
        "time_zone": "Europe/Belgrade",
        "priority": 5,
        "sender_name": "The Balkan Report Morning",
        "track_clicks": True,
        "welcome_subject": "Welcome to the Morning briefing",
        "welcome_text": "Every morning at seven you will get the stories of the day before. "
        "Reply to this email to tell us what you would like to read more of.",
    },
    {
        "slug": "breaking",
        "name": "Breaking: politics and security",
        "description": "Politics and security news, as soon as it is published.",
        "cadence": Newsletter.Cadence.INSTANT,
        "priority": 10,
        "sender_name": "The Balkan Report Breaking",
        "tags": ["Politics", "Security"],
    },
]


def ensure_newsletters() -> list[Newsletter]:
    newsletters = []
    for data in NEWSLETTERS:
        fields = dict(data)
        tags = fields.pop("tags", [])
        newsletter, created = Newsletter.objects.get_or_create(slug=fields["slug"], defaults=fields)
        if created:
            newsletter.tags.set(Tag.objects.filter(name__in=tags))
        newsletters.append(newsletter)
    return newsletters
