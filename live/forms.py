"""The short "Post update" form: text, an optional image or quote, posted at once."""

from __future__ import annotations

from django import forms
from django.utils.html import strip_tags
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser

from news.blocks import PARAGRAPH_FEATURES
from news.models import Author

from .models import update_body


class PostUpdateForm(forms.Form):
    text = forms.CharField(
        required=False,
        widget=get_rich_text_editor_widget(features=PARAGRAPH_FEATURES),
        help_text="What happened, in a few sentences.",
    )
    image = forms.ModelChoiceField(
        get_image_model().objects.all(), required=False, widget=AdminImageChooser()
    )
    image_alt = forms.CharField(
        label="Image alt text",
        required=False,
        max_length=250,
        help_text="Describe the image for readers who cannot see it.",
    )
    image_caption = forms.CharField(required=False, max_length=300)
    quote = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    quote_by = forms.CharField(label="Quote by", required=False, max_length=120)
    author = forms.ModelChoiceField(
        Author.objects.all(), required=False, help_text="The byline readers see."
    )
    pinned = forms.BooleanField(required=False, help_text="Show it at the top of the page.")

    def __init__(self, *args, page=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if page is not None and user is not None and can_alert(user):
            newsletter = page.alert_newsletter
            self.fields["breaking"] = forms.BooleanField(
                label="Breaking",
                required=False,
                help_text=(
                    f"Also email this update to the subscribers of {newsletter.name} "
                    "(at most one alert an hour from this page)."
                    if newsletter
                    else 'No alerts from this page yet: choose a newsletter under "Breaking '
                    'alerts" when editing the page.'
                ),
            )

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text") or ""
        if not strip_tags(text).strip():
            cleaned["text"] = ""
        if not (cleaned["text"] or cleaned.get("image") or cleaned.get("quote")):
            raise forms.ValidationError("Write some text, or add an image or a quote.")
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", "Describe the image for readers who cannot see it.")
        if cleaned.get("quote") and not cleaned.get("quote_by", "").strip():
            self.add_error("quote_by", "Say who said it.")
        return cleaned

    def body(self) -> list[tuple[str, object]]:
        """The update's StreamField body from the form."""
        data = self.cleaned_data
        return update_body(
            text=data["text"],
            image=data.get("image"),
            image_alt=data.get("image_alt", ""),
            image_caption=data.get("image_caption", ""),
            quote=data.get("quote", ""),
            quote_by=data.get("quote_by", ""),
        )


def can_alert(user) -> bool:
    return user.has_perm("live.alert_liveupdate")


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label="Why it was withdrawn",
        max_length=500,
        help_text="Shown to readers in place of the update.",
    )
