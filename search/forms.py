"""The filters of the search page. The query itself is cleaned by ``search.query``."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ORDER_CHOICES = [("relevance", _("Relevance")), ("newest", _("Newest first"))]
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
FORM_ID = "search-form"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SearchFilterForm(forms.Form):
    tag = forms.ChoiceField(
        required=False,
        error_messages={
            "invalid_choice": _("There is no tag “%(value)s”. Pick one from the list.")
        },
    )
    date_from = forms.DateField(
        label=pgettext_lazy("date", "From"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the start date as YYYY-MM-DD.")},
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date", "To"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the end date as YYYY-MM-DD.")},
    )
    order = forms.ChoiceField(
        label=_("Order"),
        choices=ORDER_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Order by relevance or newest first.")},
    )

    all_languages = forms.BooleanField(required=False, label=_("Search all languages"))

    def __init__(self, *args, tag_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("All tags")), *tag_choices]
        # The filters sit below the results, outside the search box's <form>, and belong to it
        # through the form attribute (search/templates/search/search.html).
        for field in self.fields.values():
            field.widget.attrs["form"] = FORM_ID

    def _clean_year(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValidationError(
                _("Choose a date between %(start)s and %(end)s.")
                % {"start": EARLIEST_YEAR, "end": LATEST_YEAR}
            )
        return value

    def clean_date_from(self):
        return self._clean_year("date_from")

    def clean_date_to(self):
        return self._clean_year("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return cleaned

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("tag") or data.get("date_from") or data.get("date_to"))
