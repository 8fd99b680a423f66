"""What the WordPress import remembers, so that running it again updates instead of duplicating."""

from django.db import models


class ImportedPost(models.Model):
    """A WordPress post (by its export's site URL and post id) and the article made from it."""

    source = models.CharField(max_length=255, help_text="The WordPress site's base URL.")
    wp_id = models.PositiveBigIntegerField("WordPress post id")
    page = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="wordpress_post"
    )
    fingerprint = models.CharField(
        max_length=64, help_text="Hash of what the last import wrote; unchanged posts are skipped."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "wp_id"], name="unique_imported_post")
        ]

    def __str__(self) -> str:
        return f"WordPress post {self.wp_id} from {self.source}"


class ImportedImage(models.Model):
    """A WordPress upload (its path under wp-content/uploads) and the Wagtail image made of it."""

    source = models.CharField(max_length=255)
    upload_path = models.CharField(max_length=500)
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "upload_path"], name="unique_imported_image")
        ]

    def __str__(self) -> str:
        return self.upload_path
