"""Readers' numbers as aggregates: views per path per hour and per day, readers per day.

No row names a reader: no address, no user agent, no cookie, no hash. ``page`` is the Wagtail
page that owns the path when there is one (a tag page belongs to its news index; search has
none); it is what Most read and the stats view read, ``path`` is kept for everything else.
"""

from django.db import models

SOURCE_CHOICES = [
    ("direct", "Direct or unknown"),
    ("internal", "From this site"),
    ("search", "Search engines"),
    ("social", "Social networks"),
    ("newsletter", "Newsletter"),
    ("feed", "Feeds"),
    ("referral", "Other sites"),
]


class ViewCount(models.Model):
    path = models.CharField(max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=12, choices=SOURCE_CHOICES)
    referrer = models.CharField("referring domain", max_length=100, blank=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class HourlyViews(ViewCount):
    hour = models.DateTimeField(help_text="The start of the hour (UTC).")

    class Meta:
        verbose_name_plural = "hourly views"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["hour", "path", "source", "referrer"], name="analytics_hourly_unique"
            )
        ]
        indexes = [models.Index(fields=["hour", "page"], name="analytics_hourly_page")]

    def __str__(self):
        return f"{self.path} {self.hour:%Y-%m-%d %H}h {self.source}: {self.views}"


class DailyViews(ViewCount):
    day = models.DateField(help_text="The site's calendar day (TIME_ZONE).")

    class Meta:
        verbose_name_plural = "daily views"
        default_permissions = ()
        permissions = [("view_stats", "Can see readers' numbers")]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "path", "source", "referrer"], name="analytics_daily_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "page"], name="analytics_daily_page")]

    def __str__(self):
        return f"{self.path} {self.day} {self.source}: {self.views}"


class DailyReaders(models.Model):
    """Distinct readers of a path (or of the whole site: path "*") on a day, estimated."""

    day = models.DateField()
    path = models.CharField(max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    readers = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "daily readers"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["day", "path"], name="analytics_readers_unique")
        ]

    def __str__(self):
        return f"{self.path} {self.day}: {self.readers} readers"


class FlushedBatch(models.Model):
    """A batch written into the aggregates, recorded in the same transaction: a batch found
    again after a crash (written, but not yet deleted from Redis) is never counted twice."""

    batch = models.CharField(max_length=64, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return self.batch
