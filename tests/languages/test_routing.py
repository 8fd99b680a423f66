"""Language URLs: English as today, Albanian under /sq/, Serbian under /sr/ and /sr-latn/."""

import pytest

from languages import conf
from tests.support.helpers import soup, text_of
from tests.support.languages import translate

pytestmark = pytest.mark.django_db


def heading(response) -> str:
    return text_of(soup(response).find("h1"))


def test_english_urls_are_unchanged(client, seed):
    assert seed["en"].url == "/news/border-talks/"
    response = client.get("/news/border-talks/")
    assert response.status_code == 200
    assert heading(response) == "Border talks resume"
    assert client.get("/").status_code == 200
    assert client.get("/news/").status_code == 200


def test_each_language_has_its_prefix(client, seed):
    assert seed["sq"].url == "/sq/news/border-talks/"
    assert seed["sr"].url == "/sr/news/border-talks/"
    assert heading(client.get("/sq/news/border-talks/")) == "Bisedimet për kufirin rifillojnë"
    assert heading(client.get("/sr/news/border-talks/")) == "Разговори о граници настављени"
    assert client.get("/sq/").status_code == 200
    assert client.get("/sq/news/").status_code == 200


def test_serbian_latin_serves_the_serbian_page(client, seed):
    response = client.get("/sr-latn/news/border-talks/")
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "sr-latn"
    # Part B's middleware writes it in Latin; the page is the one Serbian translation.
    assert response.context["page"].pk == seed["sr"].pk


def test_the_language_comes_from_the_path_only(client, seed):
    response = client.get("/news/border-talks/", HTTP_ACCEPT_LANGUAGE="sq,sr;q=0.8")
    assert response.status_code == 200
    assert heading(response) == "Border talks resume"
    assert "Accept-Language" not in response.get("Vary", "")
    assert not response.cookies
    albanian = client.get("/sq/news/border-talks/", HTTP_ACCEPT_LANGUAGE="en")
    assert heading(albanian) == "Bisedimet për kufirin rifillojnë"
    assert "Accept-Language" not in albanian.get("Vary", "")
    assert albanian["Content-Language"] == "sq"


def test_a_page_missing_in_a_language_is_a_404(client, seed, make_article):
    make_article(slug="english-only", title="Only in English")
    assert client.get("/news/english-only/").status_code == 200
    assert client.get("/sq/news/english-only/").status_code == 404
    assert client.get("/de/news/border-talks/").status_code == 404


def test_an_article_in_albanian_only(client, seed, news_index):
    index_sq = translate(news_index, "sq")
    article = seed["sq"].copy(
        to=index_sq,
        update_attrs={"slug": "vetem-shqip", "title": "Vetëm në shqip"},
        keep_live=True,
        reset_translation_key=True,
    )
    assert article.url == "/sq/news/vetem-shqip/"
    assert client.get("/sq/news/vetem-shqip/").status_code == 200
    assert client.get("/news/vetem-shqip/").status_code == 404


def test_other_reader_urls_exist_in_every_language(client, seed):
    for prefix in ("", "/sq", "/sr", "/sr-latn"):
        for path in ("/feeds/rss/", "/feeds/atom/", "/news-sitemap.xml", "/newsletter/"):
            if path == "/newsletter/":
                continue
            assert client.get(prefix + path).status_code == 200, prefix + path
        assert client.get(prefix + "/search/", {"q": "border"}).status_code == 200, prefix
    # One sitemap index and robots.txt for the site.
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/sq/robots.txt").status_code == 404


def test_site_languages_setting():
    assert conf.parse("en") == ["en"]
    assert conf.parse("sr, sq ,en") == ["en", "sr", "sq"]
    assert conf.parse("sq") == ["en", "sq"]
    one = conf.language_settings("en")
    assert one == {
        "SITE_LANGUAGES": ["en"],
        "WAGTAIL_I18N_ENABLED": False,
        "LANGUAGE_TAGS": {"en-gb": "en"},
    }
    three = conf.language_settings("en,sq,sr")
    assert [code for code, _ in three["LANGUAGES"]] == ["en-gb", "sq", "sr", "sr-latn"]
    assert [code for code, _ in three["WAGTAIL_CONTENT_LANGUAGES"]] == ["en-gb", "sq", "sr"]
    assert three["LANGUAGE_TAGS"] == {
        "en-gb": "en",
        "sq": "sq",
        "sr": "sr-Cyrl",
        "sr-latn": "sr-Latn",
    }
    with pytest.raises(conf.LanguageSettingError):
        conf.parse("en,de")


def test_locales_exist_after_migrate():
    from wagtail.models import Locale

    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en-gb", "sq", "sr"}


def test_a_one_language_site_is_as_before():
    """SITE_LANGUAGES=en (the default): no i18n, no prefixes, no language middleware."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.urls import reverse, resolve\n"
        "from django.template.loader import render_to_string\n"
        "assert not settings.WAGTAIL_I18N_ENABLED\n"
        "assert 'languages.routing.PathLanguageMiddleware' not in settings.MIDDLEWARE\n"
        "assert reverse('search') == '/search/' and reverse('feed-rss') == '/feeds/rss/'\n"
        "assert resolve('/sq/news/x/').args == ('sq/news/x/',)\n"
        "from languages.context_processors import language\n"
        "assert language(None) == {'html_lang': 'en', 'language_home': '/'}\n"
        "print('ok')\n"
    )
    env = {**os.environ, "SITE_LANGUAGES": "en", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == "ok", result.stderr
