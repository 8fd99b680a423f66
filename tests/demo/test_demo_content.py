"""The demo command builds the site once, and running it again changes nothing."""

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from demo.build import parse_seed_article
from home.models import SiteSettings
from news.models import ArticlePage, Author


def tree_snapshot():
    return [
        (p.depth, p.path, p.slug, p.title, p.live, p.specific_class.__name__)
        for p in Page.objects.order_by("path")
    ]


def test_demo_twice_gives_the_same_tree(db):
    call_command("load_demo", verbosity=0)
    first = tree_snapshot()
    counts = (
        Author.objects.count(),
        get_image_model().objects.count(),
        get_user_model().objects.count(),
    )
    call_command("load_demo", verbosity=0)
    assert tree_snapshot() == first
    assert (
        Author.objects.count(),
        get_image_model().objects.count(),
        get_user_model().objects.count(),
    ) == counts


def test_demo_builds_the_publication(db):
    call_command("load_demo", verbosity=0)
    assert ArticlePage.objects.live().count() >= 12
    settings = SiteSettings.objects.get()
    assert settings.publication_name == "The Balkan Report"
    assert settings.tagline == "Truth Matters."
    assert settings.default_sign_off == "/The Balkan Report/"
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("balkan-report-demo")
    # Every article has a lead image, authors and tags.
    for article in ArticlePage.objects.live():
        assert article.lead_image_id
        assert article.article_authors.exists()
        assert article.tags.exists()


def test_seed_article_is_parsed_from_the_real_text():
    seed = parse_seed_article()
    assert seed.publication == "The Balkan Report"
    assert seed.tagline == "Truth Matters."
    assert seed.headline == (
        "NATO will not allow a security vacuum in the Balkans, KFOR remains strong"
    )
    assert seed.standfirst.startswith("The Pentagon has announced")
    assert seed.sign_off == "/The Balkan Report/"
    assert not seed.paragraphs[-1].endswith("/")
    assert not any("Subscribe to get" in p for p in seed.paragraphs)
    assert len(seed.paragraphs) == 10


def test_generate_articles_adds_published_articles(site_tree):
    call_command("generate_articles", "3", verbosity=0)
    call_command("generate_articles", "2", verbosity=0)
    slugs = sorted(ArticlePage.objects.live().values_list("slug", flat=True))
    assert slugs == ["bench-1", "bench-2", "bench-3", "bench-4", "bench-5"]


def test_the_demo_live_page_can_send_a_breaking_alert(db):
    from live.models import LivePage

    call_command("load_demo", verbosity=0)
    live = LivePage.objects.get(locale__language_code=django_settings.LANGUAGE_CODE)
    assert live.alert_newsletter.name == "Breaking: politics and security"
    assert live.alert_refusal() is None
