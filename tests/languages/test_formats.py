"""Dates and numbers in each language: 4,767 in English, 4.767 in Serbian, 4 767 in Albanian."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from languages.templatetags.language_tags import grouped

WHEN = datetime.datetime(2026, 12, 3, 15, 30)


def render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("language", "number", "decimal", "date", "datetime_", "month"),
    [
        ("en", "4,767", "2.5", "3 December 2026", "3 December 2026, 15:30", "December 2026"),
        ("en-gb", "4,767", "2.5", "3 December 2026", "3 December 2026, 15:30", "December 2026"),
        ("sq", "4\u202f767", "2,5", "3 dhjetor 2026", "3 dhjetor 2026, 15:30", "dhjetor 2026"),
        ("sr", "4.767", "2,5", "3. децембар 2026.", "3. децембар 2026. 15:30", "децембар 2026."),
        (
            "sr-latn",
            "4.767",
            "2,5",
            "3. decembar 2026.",
            "3. decembar 2026. 15:30",
            "decembar 2026.",
        ),
    ],
)
def test_numbers_and_dates(language, number, decimal, date, datetime_, month):
    with translation.override(language):
        assert render("{{ n|grouped }}", n=4767) == number
        assert render("{{ n|grouped:1 }}", n=2.5) == decimal
        assert render('{{ d|date:"DATE_FORMAT" }}', d=WHEN) == date
        assert render('{{ d|date:"DATETIME_FORMAT" }}', d=WHEN) == datetime_
        assert render('{{ d|date:"YEAR_MONTH_FORMAT" }}', d=WHEN) == month


def test_grouped_leaves_what_is_not_a_number():
    assert grouped("") == ""
    assert grouped(None) is None
    assert grouped("n/a") == "n/a"
    assert grouped(True) is True
    with translation.override("sr"):
        assert grouped("1234567") == "1.234.567"
        assert grouped(1234567.0) == "1.234.567"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Page 1,234 of 4,767"),
        ("sr", "Страна 1.234 од 4.767"),
        ("sq", "Faqja 1\u202f234 nga 4\u202f767"),
    ],
)
def test_page_numbers_in_listings_are_grouped(language, text):
    page = Paginator(range(4767), 1).page(1234)
    with translation.override(language):
        html = render_to_string("includes/pagination.html", {"page_obj": page})
    assert text in html
