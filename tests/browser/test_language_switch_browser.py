"""A reader switches language and script on the seed article (Chromium): English -> Albanian ->
Serbian in Cyrillic -> Serbian in Latin -> English, landing on the article's translation each
time, with axe-core clean in every language and a screenshot of each."""

import pytest

from demo.articles import SEED_SLUG
from tests.support.browser import VIEWPORTS

# (switcher link's hreflang, URL it lands on, <html lang>, headline)
STEPS = [
    (
        "sq",
        "/sq/news/nato-nuk-do-te-lejoje-vakum-sigurie-ne-ballkan/",
        "sq",
        "NATO nuk do të lejojë vakum sigurie në Ballkan, KFOR mbetet i fortë",
    ),
    (
        "sr-Cyrl",
        "/sr/news/nato-nece-dozvoliti-bezbednosni-vakuum-na-balkanu/",
        "sr-Cyrl",
        "НАТО неће дозволити безбедносни вакуум на Балкану, КФОР остаје снажан",
    ),
    (
        "sr-Latn",
        "/sr-latn/news/nato-nece-dozvoliti-bezbednosni-vakuum-na-balkanu/",
        "sr-Latn",
        "NATO neće dozvoliti bezbednosni vakuum na Balkanu, KFOR ostaje snažan",
    ),
    (
        "en",
        f"/news/{SEED_SLUG}/",
        "en",
        "NATO will not allow a security vacuum in the Balkans, KFOR remains strong",
    ),
]

DEMO_NOTES = {
    "sq": "(Përkthim demonstrues nga anglishtja.)",
    "sr-Cyrl": "(Демо превод са енглеског.)",
    "sr-Latn": "(Demo prevod sa engleskog.)",
}


def assert_axe_clean(axe, name):
    violations = axe()
    assert violations == [], f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_switches_language_and_script_on_the_seed_article(
    live_site, page, axe, screenshot, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_site + f"/news/{SEED_SLUG}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_axe_clean(axe, f"article en ({viewport})")

    for hreflang, path, lang, headline in STEPS:
        switcher = page.locator(f'.language-switcher a[hreflang="{hreflang}"]')
        switcher.click()
        page.wait_for_url(live_site + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == headline
        current = page.locator('.language-switcher a[aria-current="true"]')
        assert current.get_attribute("hreflang") == lang
        if lang in DEMO_NOTES:
            # A demo translation says so under the headline.
            assert page.locator(".standfirst").inner_text().endswith(DEMO_NOTES[lang])
        screenshot(f"language-switch-{lang}-{viewport}")
        assert_axe_clean(axe, f"article {lang} ({viewport})")


def test_the_albanian_only_article_sends_other_languages_home(live_site, page, axe):
    page.goto(live_site + "/sq/news/panairi-i-librit-ne-prishtine/")
    assert_axe_clean(axe, "albanian-only article")
    page.locator('.language-switcher a[hreflang="sr-Cyrl"]').click()
    page.wait_for_url(live_site + "/sr/")
    assert page.locator("html").get_attribute("lang") == "sr-Cyrl"
    assert_axe_clean(axe, "serbian home")
