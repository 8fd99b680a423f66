"""The readers' site: home, tag and author pages, articles' extras, 404/500."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from demo.build import demo_image
from home.models import HomePage, HomeTagSection
from news.models import ARTICLES_PER_PAGE, ArticleCorrection, ArticleRelatedLink
from tests.support.helpers import soup, text_of


def card_titles(html, scope=None):
    root = html.select_one(scope) if scope else html
    return [text_of(a) for a in root.select(".card-title a")]


# --- tag and author pages -----------------------------------------------------------------


def test_tag_page_lists_only_articles_with_the_tag(make_article, client):
    make_article(title="About energy", tags=["Energy"])
    make_article(title="About politics", tags=["Politics"])
    make_article(title="About both", tags=["Energy", "Politics"])
    response = client.get("/news/tag/energy/")
    assert response.status_code == 200
    html = soup(response)
    assert text_of(html.select_one("h1")) == "Energy"
    assert card_titles(html) == ["About energy", "About both"]
    feeds = {link["type"]: link["href"] for link in html.select('link[rel="alternate"][type]')}
    assert "/feeds/tag/energy/rss/" in [link["href"] for link in html.select("link[rel=alternate]")]
    assert feeds  # the site-wide feeds are advertised too


def test_tag_page_is_paginated(make_article, client):
    for _ in range(ARTICLES_PER_PAGE + 2):
        make_article(tags=["Economy"])
    first = soup(client.get("/news/tag/economy/"))
    second = soup(client.get("/news/tag/economy/?page=2"))
    assert len(first.select(".card")) == ARTICLES_PER_PAGE
    assert len(second.select(".card")) == 2
    assert "Page 2 of 2" in text_of(second.select_one(".pagination"))
    assert second.select_one('link[rel="canonical"]')["href"].endswith("/news/tag/economy/?page=2")


def test_tag_without_live_articles_has_an_empty_state(make_article, client):
    page = make_article(title="Withdrawn", tags=["Sport"])
    page.unpublish()
    response = client.get("/news/tag/sport/")
    assert response.status_code == 200
    assert "There are no articles with this tag yet" in text_of(soup(response))


@pytest.mark.parametrize("path", ["/news/tag/no-such-tag/", "/news/author/nobody/"])
def test_unknown_tag_or_author_is_a_branded_404(site_tree, path, client):
    response = client.get(path)
    assert response.status_code == 404
    assert text_of(soup(response).select_one("h1")) == "We couldn't find that page"


def test_author_page_shows_bio_and_articles(make_article, authors, client):
    make_article(title="By Arta")
    make_article(title="By Nikola", authors=[authors["nikola-jovanovic"]])
    html = soup(client.get("/news/author/arta-berisha/"))
    assert text_of(html.select_one("h1")) == "Arta Berisha"
    assert "Pristina correspondent" in text_of(html.select_one(".author-header"))
    assert "covers politics and security" in text_of(html.select_one(".author-bio"))
    assert card_titles(html) == ["By Arta"]
    assert html.select_one('link[href="/feeds/author/arta-berisha/atom/"]')


def test_author_without_articles_has_an_empty_state(site_tree, authors, client):
    response = client.get("/news/author/elira-hoxha/")
    assert response.status_code == 200
    assert "No articles by this author have been published yet" in text_of(soup(response))


# --- article extras -----------------------------------------------------------------------


def test_article_links_to_its_tags_and_authors(make_article, authors, client):
    page = make_article(
        tags=["Kosova", "EU"], authors=[authors["arta-berisha"], authors["elira-hoxha"]]
    )
    html = soup(client.get(page.url))
    tag_links = {text_of(a): a["href"] for a in html.select(".tag-list a")}
    assert tag_links == {"Kosova": "/news/tag/kosova/", "EU": "/news/tag/eu/"}
    byline = [(text_of(a), a["href"]) for a in html.select(".byline a")]
    assert byline == [
        ("Arta Berisha", "/news/author/arta-berisha/"),
        ("Elira Hoxha", "/news/author/elira-hoxha/"),
    ]


def test_corrections_are_listed_and_make_the_article_updated(make_article, client):
    page = make_article()
    html = soup(client.get(page.url))
    assert html.select_one(".updated") is None
    assert html.select_one(".corrections") is None

    corrected_at = timezone.now()
    page.corrections.add(
        ArticleCorrection(date=corrected_at, text="An earlier version misspelt the mayor's name.")
    )
    page.save_revision().publish()
    html = soup(client.get(page.url))
    corrections = html.select_one("section.corrections")
    assert text_of(corrections.select_one("h2")) == "Correction"
    assert "misspelt the mayor's name" in text_of(corrections)
    updated = html.select_one(".article-meta .updated time")
    assert updated is not None
    assert updated["datetime"].startswith(
        timezone.localtime(page.last_published_at).date().isoformat()
    )


def test_republishing_soon_after_publication_is_not_an_update(make_article, client):
    page = make_article(published=timezone.now())
    page.save_revision().publish()
    assert soup(client.get(page.url)).select_one(".updated") is None


def test_related_articles_share_tags_and_can_be_chosen(make_article, client):
    page = make_article(title="Main story", tags=["Energy", "Economy"])
    both = make_article(title="Shares both tags", tags=["Energy", "Economy"])
    make_article(title="Shares one tag", tags=["Energy"])
    make_article(title="Shares nothing", tags=["Sport"])
    html = soup(client.get(page.url))
    assert card_titles(html, ".related") == ["Shares both tags", "Shares one tag"]

    chosen = make_article(title="Chosen by the editor", tags=["Sport"])
    page.related_links.add(ArticleRelatedLink(article=chosen, sort_order=0))
    page.related_links.add(ArticleRelatedLink(article=both, sort_order=1))
    page.save_revision().publish()
    html = soup(client.get(page.url))
    assert card_titles(html, ".related") == ["Chosen by the editor", "Shares both tags"]

    chosen.unpublish()
    html = soup(client.get(page.url))
    assert card_titles(html, ".related") == ["Shares both tags"]


def test_related_articles_are_chosen_among_each_tag_s_newest(make_article, client, monkeypatch):
    import news.models

    page = make_article(title="Main story", tags=["Energy", "Economy"])
    for n in (1, 2):
        make_article(title=f"Energy {n}", tags=["Energy"])
        make_article(title=f"Economy {n}", tags=["Economy"])
    make_article(title="Old, shares both", tags=["Energy", "Economy"])
    assert card_titles(soup(client.get(page.url)), ".related")[0] == "Old, shares both"

    # With two candidates per tag the old article is outside both tags' newest two.
    monkeypatch.setattr(news.models, "RELATED_CANDIDATES_PER_TAG", 2)
    page.save_revision().publish()  # a new render
    assert card_titles(soup(client.get(page.url)), ".related") == [
        "Energy 1",
        "Economy 1",
        "Energy 2",
    ]
    assert "Old, shares both" not in [a.title for a in page.get_related_articles()]


def test_previous_and_next_articles_with_the_same_date(make_article, client):
    same = timezone.now() - timezone.timedelta(days=1)
    first = make_article(title="First", published=same)
    second = make_article(title="Second", published=same)
    third = make_article(title="Third", published=same)
    html = soup(client.get(second.url))
    assert html.select_one(".prev-next a[rel=prev]")["href"] == first.url
    assert html.select_one(".prev-next a[rel=next]")["href"] == third.url


def test_previous_and_next_articles(make_article, client):
    newest = make_article(title="Newest")
    middle = make_article(title="Middle")
    oldest = make_article(title="Oldest")
    html = soup(client.get(middle.url))
    assert html.select_one(".prev-next a[rel=prev]")["href"] == oldest.url
    assert html.select_one(".prev-next a[rel=next]")["href"] == newest.url
    assert soup(client.get(newest.url)).select_one(".prev-next a[rel=next]") is None
    assert soup(client.get(oldest.url)).select_one(".prev-next a[rel=prev]") is None


def test_share_links_are_plain_links_without_scripts(make_article, client):
    page = make_article(title="Share me & more")
    html = soup(client.get(page.url))
    links = html.select(".share-links a")
    assert {text_of(a).split(" (")[0] for a in links} >= {"X", "Facebook", "Email"}
    facebook = next(a for a in links if text_of(a).startswith("Facebook"))
    assert "u=http%3A%2F%2Ftestserver%2Fnews%2Farticle-1%2F" in facebook["href"]
    # Only JSON-LD scripts: nothing runs in the reader's browser.
    assert {s.get("type") for s in html.select("script")} == {"application/ld+json"}


# --- home ---------------------------------------------------------------------------------


def test_home_lead_story_falls_back_to_the_newest(make_article, client):
    make_article(title="Newest story")
    make_article(title="Older story")
    html = soup(client.get("/"))
    assert card_titles(html, ".home-lead") == ["Newest story"]
    assert card_titles(html, ".home-latest") == ["Older story"]


def test_home_lead_story_and_tag_sections_chosen_by_editors(make_article, client):
    make_article(title="Newest story", tags=["Politics"])
    chosen = make_article(title="Editors' pick", tags=["Energy"])
    for n in range(10):
        make_article(title=f"Energy story {n}", tags=["Energy"])
    home = HomePage.objects.get()
    home.lead_story = chosen
    from taggit.models import Tag

    home.tag_sections.add(HomeTagSection(tag=Tag.objects.get(slug="energy"), heading=""))
    home.save_revision().publish()
    html = soup(client.get("/"))
    assert card_titles(html, ".home-lead") == ["Editors' pick"]
    latest = card_titles(html, ".home-latest")
    assert latest[0] == "Newest story" and "Editors' pick" not in latest
    section = html.select_one(".home-section")
    assert text_of(section.select_one("h2")) == "Energy"
    assert section.select_one("h2 a")["href"] == "/news/tag/energy/"
    # Only stories not already shown above, newest first.
    assert card_titles(html, ".home-section") == [f"Energy story {n}" for n in range(7, 10)]


def test_home_empty_state(site_tree, client):
    assert "No articles have been published yet" in text_of(soup(client.get("/")))


# --- images -------------------------------------------------------------------------------


def test_lead_image_is_responsive_with_modern_formats(make_article, client):
    page = make_article(lead_image=demo_image("Responsive test", 4))
    html = soup(client.get(page.url))
    picture = html.select_one(".lead-image picture")
    types = [source["type"] for source in picture.select("source")]
    assert types == ["image/webp"]  # and the <img> a JPEG for browsers without WebP
    img = picture.select_one("img")
    assert img["width"] and img["height"] and "1200w" in img["srcset"]
    assert ".jpg" in img["src"] or ".jpeg" in img["src"]
    assert img.get("loading") != "lazy"  # above the fold

    listing = soup(client.get("/news/"))
    card_img = listing.select_one(".card img")
    assert card_img["loading"] == "lazy" and card_img["width"] and card_img["height"]


# --- private pages and errors -------------------------------------------------------------


def test_private_articles_are_not_listed(make_article, client):
    public = make_article(title="Public story", tags=["Energy"])
    private = make_article(title="Private story", tags=["Energy"])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for path in ["/", "/news/", "/news/tag/energy/", "/news/author/arta-berisha/", public.url]:
        assert "Private story" not in client.get(path).content.decode(), path


def test_branded_500_page(rf, settings):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = soup(response)
    assert text_of(html.select_one("h1")) == "Something went wrong on our side"
    assert html.select_one('meta[name="color-scheme"]')


def test_old_articles_still_have_a_date(make_article, client):
    page = make_article(published=timezone.now() - datetime.timedelta(days=400))
    assert soup(client.get(page.url)).select_one(".article-meta time")["datetime"]


def test_article_page_weight_budget(demo, client):
    """HTML + CSS + JS under 60 KB, no blocking script, no web fonts (bench/page_weight.py)."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    from demo.articles import SEED_SLUG

    html = client.get(f"/news/{SEED_SLUG}/").content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert stylesheets == ["css/site.css"]
    css = Path(finders.find(stylesheets[0])).read_text()
    assert "@font-face" not in css and "@import" not in css
    assert not re.search(r"<script[^>]+src=", html)  # no script files at all
    assert len(html.encode()) + len(css.encode()) < 60 * 1024


def test_editors_can_open_the_home_page_and_article_editors(make_article, admin_client):
    from django.urls import reverse

    page = make_article()
    home = HomePage.objects.get()
    for pk, needle in [(home.pk, "Tag sections"), (page.pk, "Corrections")]:
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[pk]))
        assert response.status_code == 200
        assert needle in response.content.decode()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "Related articles" in response.content.decode()


def test_machine_readable_times_are_valid_html(demo, client):
    """<time datetime> needs at most three digits of fractions of a second (Nu HTML Checker)."""
    import re

    from demo.articles import SEED_SLUG

    for url in ["/", "/news/", f"/news/{SEED_SLUG}/"]:
        html = client.get(url).content.decode()
        stamps = re.findall(r'<time datetime="([^"]+)"', html)
        assert stamps, url
        for stamp in stamps:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d{4})?", stamp), stamp


def test_publishing_an_article_prepares_its_renditions(make_article, client):
    """A reader's first view of a new article creates no rendition: publishing made them."""
    from django.core.cache import cache
    from wagtail.images.models import Rendition

    cache.clear()  # renditions remembered by an earlier test for a reused image id
    image = demo_image("Prepared renditions", 7)
    body_image = demo_image("Prepared body image", 8)
    page = make_article(
        lead_image=image,
        body=[("image", {"image": body_image, "caption": "A caption", "credit": ""})],
    )
    made = Rendition.objects.filter(image__in=[image, body_image]).count()
    assert made > 0
    client.get(page.url)
    client.get("/news/")
    client.get("/")
    assert Rendition.objects.filter(image__in=[image, body_image]).count() == made


def test_an_image_that_cannot_be_processed_does_not_stop_publishing(make_article, client):
    image = demo_image("Broken file", 9)
    image.file.storage.delete(image.file.name)  # the original is gone
    page = make_article(title="Published anyway", lead_image=image)
    assert page.live
    assert client.get("/news/").status_code == 200
