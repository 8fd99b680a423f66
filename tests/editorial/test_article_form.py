"""The article edit form: tabs, help text, character limits, alt text and fact-box errors."""

import json
from html import unescape

import pytest
from django.urls import reverse

from demo.build import demo_image
from news.models import ArticlePage
from tests.support.editorial import (
    add_url,
    article_form_data,
    days_from_today,
    fact,
)
from tests.support.helpers import soup, text_of


@pytest.fixture
def image(db):
    return demo_image("Form test image", 4)


@pytest.fixture
def editor_client(client, newsroom):
    client.force_login(newsroom["editor"])
    return client


def post_article(client, newsroom, **kwargs):
    data = article_form_data(newsroom["author"], action="publish", **kwargs)
    return client.post(add_url(newsroom["index"]), data)


def field_error(response, name: str) -> str:
    """The error text Wagtail shows on the field called ``name`` ("" when none)."""
    html = soup(response)
    errors = html.find(id=lambda value: bool(value) and value.endswith(f"-{name}-errors"))
    return text_of(errors) if errors else ""


def test_edit_form_has_content_promote_and_settings_tabs(editor_client, newsroom):
    html = soup(editor_client.get(add_url(newsroom["index"])))
    # Each tab label is followed by an (empty) error counter.
    tabs = [text_of(tab).split(" (")[0] for tab in html.select("[role=tablist] [role=tab]")]
    assert tabs[:3] == ["Content", "Promote", "Settings"]
    content = html.find(id="tab-content")
    promote = html.find(id="tab-promote")
    settings_tab = html.find(id="tab-settings")
    assert content.find(attrs={"name": "standfirst"}) is not None
    assert content.find(attrs={"name": "lead_image_decorative"}) is not None
    assert promote.find(attrs={"name": "seo_title"}) is not None
    assert promote.find(attrs={"name": "tags"}) is not None
    assert settings_tab.find(attrs={"name": "display_date"}) is not None


def test_every_field_has_help_text(editor_client, newsroom):
    html = soup(editor_client.get(add_url(newsroom["index"])))
    form_class = ArticlePage.get_edit_handler().get_form_class()
    missing = []
    for name in form_class.base_fields:
        if name == "comment_notifications":
            continue  # Wagtail's own comment toggle, not an article field
        help_node = html.find(id=lambda v, n=name: bool(v) and v.endswith(f"-{n}-helptext"))
        if help_node is None or not str(help_node).strip():
            missing.append(name)
    assert missing == []
    # The author chooser inside the Authors panel, and the body blocks' own fields.
    author_field = ArticlePage._meta.get_field("article_authors").related_model._meta
    assert author_field.get_field("author").help_text
    from news.blocks import FactBlock, PullQuoteBlock

    for block in [FactBlock(), PullQuoteBlock()]:
        for name, child in block.child_blocks.items():
            assert child.field.help_text, f"{type(block).__name__}.{name}"


@pytest.mark.parametrize(
    ("name", "limit"),
    [("title", 120), ("standfirst", 300), ("seo_title", 70), ("search_description", 160)],
)
def test_limited_fields_carry_a_character_counter(editor_client, newsroom, name, limit):
    html = soup(editor_client.get(add_url(newsroom["index"])))
    field = html.find(attrs={"name": name})
    assert field["data-character-limit"] == str(limit)
    assert field["maxlength"] == str(limit)
    scripts = [tag.get("src", "") for tag in html.find_all("script")]
    assert any(src.endswith("editorial/js/character-count.js") for src in scripts)


@pytest.mark.parametrize(
    ("name", "limit"), [("title", 120), ("seo_title", 70), ("search_description", 160)]
)
def test_over_long_values_are_refused_on_their_field(editor_client, newsroom, name, limit):
    response = post_article(editor_client, newsroom, **{name: "x" * (limit + 1)})
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="newsroom-test-article").exists()
    assert f"at most {limit} characters" in field_error(response, name)


def test_at_the_limit_is_fine(editor_client, newsroom):
    response = post_article(
        editor_client, newsroom, title="x" * 120, seo_title="y" * 70, search_description="z" * 160
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(slug="newsroom-test-article").live


def test_lead_image_needs_alt_text_or_decorative(editor_client, newsroom, image):
    response = post_article(editor_client, newsroom, image=image, lead_image_alt="")
    assert response.status_code == 200
    assert "Describe the lead image" in field_error(response, "lead_image_alt")
    assert not ArticlePage.objects.filter(slug="newsroom-test-article").exists()

    response = post_article(
        editor_client, newsroom, image=image, lead_image_alt="", lead_image_decorative="on"
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="newsroom-test-article")
    assert page.lead_image_decorative and page.lead_alt == ""
    editor_client.logout()
    html = soup(editor_client.get(page.url))
    assert html.select_one(".lead-image img")["alt"] == ""


def test_decorative_image_with_alt_text_is_contradictory(editor_client, newsroom, image):
    response = post_article(
        editor_client, newsroom, image=image, lead_image_alt="A hill", lead_image_decorative="on"
    )
    assert response.status_code == 200
    assert "A decorative image has no alt text" in field_error(response, "lead_image_alt")


def test_model_refuses_decorative_with_alt_but_lets_imports_without_alt_through(newsroom, image):
    from django.core.exceptions import ValidationError

    page = ArticlePage(title="T", slug="t", standfirst="S", lead_image=image)
    page.clean()  # an import without alt text is saved; the admin form will ask for it
    assert page.lead_alt == image.default_alt_text
    page.lead_image_decorative = True
    page.lead_image_alt = "A hill"
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "lead_image_alt" in error.value.message_dict


FACT_ERRORS = [
    ({"figure": ""}, "figure", "This field is required."),
    ({"source_url": "not a url"}, "source_url", "Enter a valid URL."),
    ({"source_url": "ftp://example.org/x"}, "source_url", "starting with http:// or https://"),
    ({"as_of": "tomorrow"}, "as_of", "The as-of date cannot be in the future."),
]


@pytest.mark.parametrize(("change", "field", "message"), FACT_ERRORS)
def test_fact_box_errors_are_shown_on_the_right_field(
    editor_client, newsroom, change, field, message
):
    if change.get("as_of") == "tomorrow":
        change = {"as_of": days_from_today(1)}
    response = post_article(editor_client, newsroom, facts=[fact(**change)])
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="newsroom-test-article").exists()
    # StreamField errors travel to the block widgets as JSON: the error must sit on the fact's
    # own field (body block 2 = the fact box, its facts list, fact 0).
    errors = body_errors(response)
    fact_errors = errors["2"]["blockErrors"]["facts"]["blockErrors"]["0"]["blockErrors"]
    assert list(fact_errors) == [field]
    assert message in " ".join(fact_errors[field]["messages"])


def body_errors(response) -> dict:
    """The body StreamField's block errors, as Wagtail hands them to its block widgets."""
    page = unescape(response.content.decode())
    start = page.index('{"blockErrors": ')
    errors, _ = json.JSONDecoder().raw_decode(page, start)
    return errors["blockErrors"]


def test_several_fact_errors_are_each_shown_on_their_field(editor_client, newsroom):
    bad = fact(figure="", source_url="mailto:x@example.org", as_of=days_from_today(3))
    response = post_article(editor_client, newsroom, facts=[fact(), bad])
    assert response.status_code == 200
    errors = body_errors(response)["2"]["blockErrors"]["facts"]["blockErrors"]
    assert list(errors) == ["1"]
    assert sorted(errors["1"]["blockErrors"]) == ["as_of", "figure", "source_url"]


def test_fact_box_with_valid_figures_today_is_accepted(editor_client, newsroom):
    response = post_article(editor_client, newsroom, facts=[fact(as_of=days_from_today(0))])
    assert response.status_code == 302


def test_block_picker_has_a_preview_and_description_for_every_block(admin_client, site_tree):
    from news.blocks import ArticleBodyBlock

    for name, block in ArticleBodyBlock().child_blocks.items():
        assert block.meta.description, name
        assert block.get_preview_value() not in (None, {}, ""), name
        if name == "embed":
            continue  # its preview would fetch from YouTube
        response = admin_client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        )
        assert response.status_code == 200, name
