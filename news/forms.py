"""The article edit form: length limits with live character counters, and the alt-text rule."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from wagtail.admin.forms import WagtailAdminPageForm

HEADLINE_MAX_LENGTH = 120
SEO_TITLE_MAX_LENGTH = 70
SEARCH_DESCRIPTION_MAX_LENGTH = 160

# field name -> character limit. The standfirst's limit is the model field's own max_length.
CHARACTER_LIMITS = {
    "title": HEADLINE_MAX_LENGTH,
    "seo_title": SEO_TITLE_MAX_LENGTH,
    "search_description": SEARCH_DESCRIPTION_MAX_LENGTH,
}


class ArticlePageForm(WagtailAdminPageForm):
    """Adds a visible "n / limit" counter (editorial/static/editorial/js/character-count.js)
    to the headline, standfirst, SEO title and meta description, and enforces the limits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import STANDFIRST_MAX_LENGTH

        limits = {**CHARACTER_LIMITS, "standfirst": STANDFIRST_MAX_LENGTH}
        for name, limit in limits.items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
            field.widget.attrs["data-character-limit"] = str(limit)

    def clean(self):
        cleaned_data = super().clean()
        # The editor must choose: alt text for readers who cannot see the image, or "decorative".
        # (The model's clean() only refuses "decorative" with alt text, so that imports of old
        # articles without alt text still work; in the admin we ask explicitly.)
        image = cleaned_data.get("lead_image")
        alt = (cleaned_data.get("lead_image_alt") or "").strip()
        decorative = cleaned_data.get("lead_image_decorative")
        if image and not alt and not decorative and "lead_image_alt" not in self.errors:
            self.add_error(
                "lead_image_alt",
                "Describe the lead image for readers who cannot see it, "
                'or tick "Decorative image" if it adds no information.',
            )
        if decorative and alt and "lead_image_alt" not in self.errors:
            self.add_error(
                "lead_image_alt",
                "A decorative image has no alt text: clear this field or untick "
                '"Decorative image".',
            )
        return cleaned_data
