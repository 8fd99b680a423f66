"""Editors create articles through the Wagtail admin, with every block type."""

import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from demo.build import demo_image, ensure_authors, ensure_site
from demo.golden import GOLDEN_EXPECTATIONS, cache_golden_embed
from news.models import ArticlePage


def list_block(items):
    """Form data for a ListBlock of StructBlocks."""
    data = {"count": len(items)}
    for i, item in enumerate(items):
        data[str(i)] = {"value": item, "order": i, "deleted": "", "id": f"fact-{i}"}
    return data


class CreateArticleInAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.home, self.index = ensure_site()
        self.authors = ensure_authors()
        self.image = demo_image("Admin test image", 2)
        cache_golden_embed()
        self.user = self.login()

    def article_form_data(self, **overrides):
        data = {
            "title": "Created in the admin",
            "slug": "created-in-the-admin",
            "standfirst": "An article written by an editor with every block.",
            "lead_image": self.image.pk,
            "lead_image_alt": "A hillside",
            "lead_image_caption": "",
            "lead_image_credit": "",
            "sign_off": "",
            "display_date": "",
            "tags": "KFOR, Security",
            "article_authors": inline_formset([{"author": self.authors["arta-berisha"].pk}]),
            "corrections": inline_formset([]),
            "related_links": inline_formset([]),
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Admin paragraph text.</p>")),
                    ("subheading", {"text": "Admin subheading", "level": "h2"}),
                    (
                        "image",
                        {
                            "image": {
                                "image": self.image.pk,
                                "alt_text": "Admin alt",
                                "decorative": "",
                            },
                            "caption": "Admin caption",
                            "credit": "Admin credit",
                        },
                    ),
                    (
                        "pull_quote",
                        {"quote": "Admin quote", "attribution": "Admin Speaker", "role": ""},
                    ),
                    (
                        "fact_box",
                        {
                            "title": "Admin facts",
                            "facts": list_block(
                                [
                                    {
                                        "figure": "4,767",
                                        "qualifier": "around",
                                        "label": "soldiers",
                                        "source_url": "https://example.org/",
                                        "as_of": "2025-01-01",
                                    }
                                ]
                            ),
                        },
                    ),
                    (
                        "embed",
                        {"embed": "https://www.youtube.com/watch?v=golden-article", "caption": ""},
                    ),
                    ("subscribe", {"heading": "", "text": ""}),
                ]
            ),
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_editor_creates_and_publishes_an_article_with_every_block(self):
        self.assertCanCreate(self.index, ArticlePage, self.article_form_data())
        page = ArticlePage.objects.get(slug="created-in-the-admin")
        assert page.live
        assert [block.block_type for block in page.body] == list(GOLDEN_EXPECTATIONS)
        assert page.authors[0].slug == "arta-berisha"
        assert sorted(tag.name for tag in page.tags.all()) == ["KFOR", "Security"]
        assert page.display_date == page.first_published_at
        self.client.logout()
        response = self.client.get(page.url)
        assert response.status_code == 200
        content = response.content.decode()
        for needle in [
            "Admin paragraph text.",
            "Admin subheading",
            "Admin caption",
            "Admin quote",
            "4,767",
        ]:
            assert needle in content

    def test_fact_box_as_of_date_in_the_future_is_refused(self):
        future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        data = self.article_form_data()
        data["body-4-value-facts-0-value-as_of"] = future
        url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", self.index.pk])
        response = self.client.post(url, {**data, "action-publish": "1"})
        assert response.status_code == 200
        assert not ArticlePage.objects.filter(slug="created-in-the-admin").exists()
        assert "The as-of date cannot be in the future." in response.content.decode()

    def test_standfirst_is_required_and_limited(self):
        url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", self.index.pk])
        response = self.client.post(
            url, {**self.article_form_data(standfirst="x" * 301), "action-publish": "1"}
        )
        assert response.status_code == 200
        assert not ArticlePage.objects.filter(slug="created-in-the-admin").exists()
        assert "Ensure this value has at most 300 characters" in response.content.decode()

    def test_article_edit_and_preview_pages_open(self):
        self.assertCanCreate(self.index, ArticlePage, self.article_form_data())
        page = ArticlePage.objects.get(slug="created-in-the-admin")
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert edit.status_code == 200
        assert "Admin facts" in edit.content.decode()
        self.assertPageIsPreviewable(page, post_data=self.article_form_data())


@pytest.mark.django_db
def test_block_previews_render_in_the_block_picker(admin_client):
    from news.blocks import ArticleBodyBlock

    ensure_site()
    demo_image("Preview image", 1)
    for name, block in ArticleBodyBlock().child_blocks.items():
        if name == "embed":
            continue  # its preview value would ask YouTube over the network
        response = admin_client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        )
        assert response.status_code == 200, name
