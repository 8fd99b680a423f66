"""Article form data for the editorial tests (the newsroom fixture: tests/editorial/conftest.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

PASSWORD = "newsroom-test-password"  # noqa: S105


def list_block(items):
    """Form data for a ListBlock of StructBlocks."""
    data = {"count": len(items)}
    for i, item in enumerate(items):
        data[str(i)] = {"value": item, "order": i, "deleted": "", "id": f"fact-{i}"}
    return data


def fact(**overrides):
    value = {
        "figure": "4,767",
        "qualifier": "around",
        "label": "soldiers serve today",
        "source_url": "https://www.nato.int/kfor",
        "as_of": "2025-01-01",
    }
    value.update(overrides)
    return value


def article_form_data(author, image=None, facts=None, action=None, **overrides):
    """POST data for the article create/edit form, with a paragraph, pull quote and fact box."""
    data = {
        "title": "Newsroom test article",
        "slug": "newsroom-test-article",
        "standfirst": "A reporter files a story with a pull quote and a fact box.",
        "lead_image": image.pk if image else "",
        "lead_image_alt": "A hillside at dusk" if image else "",
        "lead_image_decorative": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "sign_off": "",
        "display_date": "",
        "seo_title": "",
        "search_description": "",
        "tags": "KFOR",
        "go_live_at": "",
        "expire_at": "",
        "article_authors": inline_formset([{"author": author.pk}]),
        "corrections": inline_formset([]),
        "related_links": inline_formset([]),
        "body": streamfield(
            [
                ("paragraph", rich_text("<p>Reporter paragraph text.</p>")),
                (
                    "pull_quote",
                    {
                        "quote": "Security is not negotiable",
                        "attribution": "A. Speaker",
                        "role": "Minister",
                    },
                ),
                (
                    "fact_box",
                    {"title": "Key figures", "facts": list_block(facts or [fact()])},
                ),
            ]
        ),
    }
    data.update(overrides)
    data = nested_form_data(data)
    if action:
        data[f"action-{action}"] = "1"
    return data


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=["news", "articlepage", index.pk])


def days_from_today(days: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()
