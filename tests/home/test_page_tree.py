"""The page tree has one shape: HomePage -> NewsIndexPage -> ArticlePage (or LivePage)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from live.models import LivePage
from news.models import ArticlePage, NewsIndexPage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_allowed_children(self):
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertCanCreateAt(NewsIndexPage, ArticlePage)

    def test_forbidden_shapes(self):
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(NewsIndexPage, NewsIndexPage)
        self.assertCanNotCreateAt(ArticlePage, ArticlePage)
        self.assertCanNotCreateAt(Page, NewsIndexPage)
        self.assertCanNotCreateAt(Page, ArticlePage)

    def test_parent_and_subpage_types(self):
        self.assertAllowedSubpageTypes(HomePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {ArticlePage, LivePage})
        self.assertAllowedSubpageTypes(LivePage, set())
        self.assertAllowedParentPageTypes(LivePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertAllowedParentPageTypes(ArticlePage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})

    def test_only_one_home_page(self):
        # The migration already made the home page, so editors cannot add a second one.
        self.assertEqual(HomePage.objects.count(), 1)
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_new_site_serves_the_home_page(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The Balkan Report")
