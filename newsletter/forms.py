from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import EMAIL_MAX_LENGTH, Newsletter, normalize_email

FORBIDDEN_CHARACTERS = ("\r", "\n", "\0", "%0a", "%0d", "%0A", "%0D")


class SingleLineEmailField(forms.EmailField):
    def to_python(self, value):
        if isinstance(value, str) and any(bad in value for bad in FORBIDDEN_CHARACTERS):
            # A header injection attempt: line breaks never get near an email header.
            raise ValidationError(_("Please enter a single email address on one line."))
        return super().to_python(value)


class SubscribeForm(forms.Form):
    email = SingleLineEmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address, like name@example.com."),
            "max_length": _("That address is too long (254 characters at most)."),
        },
    )
    # The honeypot: hidden from people, filled in by naive bots.
    website = forms.CharField(required=False, max_length=200)
    source_page = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    source = forms.CharField(required=False, max_length=60)
    # The newsletters the form offered (slugs); none offered: the default newsletters.
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.offered(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": _("That newsletter is not available any more.")},
    )
    offered = forms.BooleanField(required=False)

    def clean_newsletters(self):
        chosen = list(self.cleaned_data.get("newsletters") or [])
        if chosen:
            return chosen
        if self.data.get("offered"):
            raise ValidationError(_("Please choose at least one newsletter."))
        return list(Newsletter.objects.defaults()) or list(Newsletter.objects.offered()[:1])

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_source(self):
        return "".join(c for c in self.cleaned_data.get("source", "") if c.isalnum() or c in "-_")


class PreferencesForm(forms.Form):
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.offered(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Your newsletters",
        error_messages={"invalid_choice": _("That newsletter is not available any more.")},
    )
    # The reader's one language (newsletter.i18n): the emails' language and, for newsletters
    # in any language, which articles they get. Each language is named in itself.
    language = forms.ChoiceField(choices=(), required=False, label=_("Language"))

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            del self.fields["language"]  # one site language: nothing to choose
        else:
            self.fields["language"].choices = list(settings.LANGUAGES)
