"""Newsletters in the reader's language: who gets which article, and the pages and emails in
English, Albanian and Serbian (Cyrillic and Latin)."""

import datetime

import pytest
from django.core import mail
from django.test import Client

from news.models import ArticlePage
from newsletter.digests import send_due_digests
from newsletter.emails import preferences_url
from newsletter.models import Delivery, Subscriber, Subscription
from tests.support.helpers import soup, text_of
from tests.support.languages import translate
from tests.support.newsletter import (
    confirm_link,
    default_newsletter,
    make_newsletter,
    make_subscribers,
    path_of,
    unsubscribe_link,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
# One send's queries (claims, suppression and subscriptions per batch, progress, the end).
SEND_QUERIES = 26

# Per language: the URL prefix, the confirmation email's subject, the confirm page's heading,
# the button that confirms and the page after it, the welcome email's subject.
LANGUAGES = {
    "en-gb": (
        "",
        "Confirm your subscription to The Balkan Report",
        "Confirm your subscription",
        "Confirm my subscription",
        "You are subscribed",
        "Welcome to Morning briefing",
    ),
    "sq": (
        "/sq",
        "Konfirmoni abonimin tuaj në The Balkan Report",
        "Konfirmoni abonimin",
        "Konfirmo abonimin tim",
        "Jeni abonuar",
        "Mirë se vini në Morning briefing",
    ),
    "sr": (
        "/sr",
        "Потврдите претплату на The Balkan Report",
        "Потврдите претплату",
        "Потврђујем претплату",
        "Претплаћени сте",
        "Добро дошли у Морнинг бриефинг",  # Cyrillic pages and emails convert every name
    ),
    "sr-latn": (
        "/sr-latn",
        "Potvrdite pretplatu na The Balkan Report",
        "Potvrdite pretplatu",
        "Potvrđujem pretplatu",
        "Pretplaćeni ste",
        "Dobro došli u Morning briefing",
    ),
}


def email_to(address):
    return next(m for m in mail.outbox if m.to == [address])


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def readers(*languages, newsletters=None):
    """One confirmed reader per language ("" is a reader from before languages)."""
    found = {}
    for language in languages:
        prefix = f"{language or 'none'}-"
        (reader,) = make_subscribers(1, prefix=prefix, newsletters=newsletters)
        Subscriber.objects.filter(pk=reader.pk).update(language=language)
        found[language] = f"{prefix}0@example.org"
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_subscribing_on_a_page_in_a_language_confirms_and_welcomes_in_it(
    language, site_tree, settings
):
    prefix, subject, heading, button, confirmed, welcome = LANGUAGES[language]
    default_newsletter()
    make_newsletter(
        "briefing",
        name="Morning briefing",
        cadence="daily",
        is_default=True,
        welcome_text="Five stories at seven.",
    )
    client = Client()
    response = client.post(f"{prefix}/newsletter/", {"email": "reader@example.org"})
    assert response.status_code == 303
    assert response["Location"] == f"{prefix}/newsletter/check-your-inbox/"
    assert Subscriber.objects.get().language == language

    (confirmation,) = mail.outbox
    assert confirmation.subject == subject
    link = path_of(confirm_link(confirmation))
    assert link.startswith(f"{prefix}/newsletter/confirm/")
    html = confirmation.alternatives[0][0]
    assert button in html and heading in html
    assert path_of(unsubscribe_link(confirmation)).startswith(f"{prefix}/newsletter/unsubscribe/")

    page = soup(client.get(link))
    assert text_of(page.select_one("h1")) == heading
    assert text_of(page.select_one("main button")) == button
    after = soup(client.post(link))
    assert text_of(after.select_one("h1")) == confirmed
    welcome_email = mail.outbox[-1]
    assert welcome_email.subject == welcome
    assert f"{settings.WAGTAILADMIN_BASE_URL}{prefix}/newsletter/preferences/" in (
        welcome_email.body
    )


def test_a_confirmed_reader_keeps_their_language_when_a_form_in_another_is_used(site_tree):
    default_newsletter()
    found = readers("sq")
    make_newsletter("longreads", name="Long reads", cadence="weekly")
    Client().post("/sr/newsletter/", {"email": found["sq"], "newsletters": ["longreads"]})
    assert Subscriber.objects.get(email=found["sq"]).language == "sq"
    # Someone else cannot change a confirmed reader's language; the confirmation is theirs.
    assert mail.outbox[-1].subject == LANGUAGES["sq"][1]


def test_each_article_goes_to_the_readers_of_its_language_in_their_script(publish_new):
    default_newsletter()  # "New articles": any language
    found = readers("", "en-gb", "sq", "sr", "sr-latn")
    article = publish_new(title="Election day", standfirst="Polls closed at seven.")
    assert recipients() == sorted([found[""], found["en-gb"]])
    assert email_to(found["en-gb"]).subject == "Election day"

    mail.outbox.clear()
    translate(article, "sq", title="Dita e zgjedhjeve", standfirst="Votimi u mbyll në shtatë.")
    assert recipients() == [found["sq"]]
    albanian = mail.outbox[0]
    assert albanian.subject == "Dita e zgjedhjeve"
    assert "Lexoni artikullin:" in albanian.body
    assert f"/sq/news/{article.slug}/?src=nl" in albanian.body
    assert '<html lang="sq">' in albanian.alternatives[0][0]
    assert path_of(unsubscribe_link(albanian)).startswith("/sq/newsletter/unsubscribe/")

    mail.outbox.clear()
    # The editor writes Serbian in Latin; Cyrillic readers get it in Cyrillic.
    translate(article, "sr", title="Izborni dan", standfirst="Birališta su zatvorena u sedam.")
    assert recipients() == sorted([found["sr"], found["sr-latn"]])
    cyrillic, latin = email_to(found["sr"]), email_to(found["sr-latn"])
    assert cyrillic.subject == "Изборни дан"
    assert "Биралишта су затворена у седам." in cyrillic.body
    assert "Прочитајте чланак:" in cyrillic.body
    assert f"/sr/news/{article.slug}/?src=nl" in cyrillic.body
    assert "Изборни дан" in cyrillic.alternatives[0][0]
    assert latin.subject == "Izborni dan"
    assert "Pročitajte članak:" in latin.body
    assert f"/sr-latn/news/{article.slug}/?src=nl" in latin.body
    assert "The Balkan Report" in cyrillic.body  # the publication's name stays in Latin
    # Nobody got any article twice, and nobody got a language they do not read.
    assert Delivery.objects.count() == 5


def test_a_newsletter_with_a_language_is_fed_by_that_language_and_sent_to_all_its_readers(
    publish_new,
):
    albanian = make_newsletter("shqip", name="Lajme shqip", language="sq", priority=5)
    found = readers("en-gb", "sq", newsletters=[albanian])
    article = publish_new(title="Election day")
    assert mail.outbox == []  # an English article does not feed an Albanian newsletter
    translate(article, "sq", title="Dita e zgjedhjeve")
    assert recipients() == sorted(found.values())
    # The Albanian newsletter is in Albanian, also for the reader whose language is English.
    english_reader = email_to(found["en-gb"])
    assert "Lexoni artikullin:" in english_reader.body
    assert f"/sq/news/{article.slug}/" in english_reader.body


def test_an_any_language_newsletter_still_sends_what_a_higher_one_does_not(publish_new):
    """A higher-priority newsletter for any language does not take an article from a reader
    it does not send it to (their language is another)."""
    breaking = make_newsletter("breaking", name="Breaking", priority=10)
    albanian = make_newsletter("shqip", name="Lajme shqip", language="sq")
    found = readers("en-gb", newsletters=[breaking, albanian])
    article = publish_new(title="Election day")
    assert recipients() == [found["en-gb"]]
    assert Delivery.objects.get().newsletter == breaking
    mail.outbox.clear()
    translate(article, "sq", title="Dita e zgjedhjeve")
    assert recipients() == [found["en-gb"]]
    assert Delivery.objects.get(article__title="Dita e zgjedhjeve").newsletter == albanian


def test_a_digest_for_any_language_lists_each_reader_their_language_only(publish_new):
    default_newsletter().delete()
    long_ago = datetime.datetime(2025, 1, 1, tzinfo=UTC)
    briefing = make_newsletter(
        "briefing",
        name="Morning briefing",
        cadence="daily",
        send_time=datetime.time(7, 0),
        time_zone="Europe/Belgrade",
        created_at=long_ago,
    )
    found = readers("en-gb", "sq", "sr-latn", newsletters=[briefing])
    Subscription.objects.update(activated_at=long_ago)
    english = publish_new(title="Election day")
    albanian = translate(english, "sq", title="Dita e zgjedhjeve")
    serbian = translate(english, "sr", title="Изборни дан")
    friday = datetime.datetime(2026, 3, 27, 12, tzinfo=UTC)
    ArticlePage.objects.filter(pk__in=[english.pk, albanian.pk, serbian.pk]).update(
        first_published_at=friday
    )
    mail.outbox.clear()
    assert send_due_digests(datetime.datetime(2026, 3, 28, 6, tzinfo=UTC)) == "briefing: created"
    assert recipients() == sorted(found.values())
    en, sq, sr_latn = (email_to(found[code]) for code in ("en-gb", "sq", "sr-latn"))
    assert en.subject == "Morning briefing, 28 March 2026"
    assert "Election day" in en.body and "Dita" not in en.body and "Izborni" not in en.body
    assert sq.subject == "Morning briefing, 28 mars 2026"
    assert "Dita e zgjedhjeve" in sq.body and "Election day" not in sq.body
    assert sr_latn.subject == "Morning briefing, 28. mart 2026."
    assert "Izborni dan" in sr_latn.body and "Election day" not in sr_latn.body


@pytest.mark.parametrize(
    "language, prefix, heading",
    [
        ("en-gb", "", "Unsubscribe"),
        ("sq", "/sq", "Çregjistrohuni"),
        ("sr", "/sr", "Одјавите се"),
        ("sr-latn", "/sr-latn", "Odjavite se"),
    ],
)
def test_unsubscribe_pages_in_the_readers_language(publish_new, language, prefix, heading):
    default_newsletter()
    found = readers(language)
    article = publish_new(title="Election day")
    if language != "en-gb":
        translate(article, language.removesuffix("-latn"), title="Translated")
    link = path_of(unsubscribe_link(email_to(found[language])))
    assert link.startswith(f"{prefix}/newsletter/unsubscribe/")
    client = Client()
    assert text_of(soup(client.get(link)).select_one("h1")) == heading
    client.post(link)
    assert Subscriber.objects.get(email=found[language]).status == "unsubscribed"


def test_choosing_another_language_on_the_preferences_page_shows_it_in_that_language(
    site_tree,
):
    default_newsletter()
    found = readers("en-gb")
    reader = Subscriber.objects.get(email=found["en-gb"])
    link = path_of(preferences_url(reader))
    client = Client(enforce_csrf_checks=True)
    page = soup(client.get(link))
    options = {
        box["value"]: text_of(page.select_one(f"label[for={box['id']}]"))
        for box in page.select("input[name=language]")
    }
    assert options == {"en-gb": "English", "sq": "Shqip", "sr": "Српски", "sr-latn": "Srpski"}
    assert page.select_one("input[name=language][checked]")["value"] == "en-gb"

    response = client.post(link, {"newsletters": ["new-articles"], "language": "sq"})
    assert response.status_code == 303
    assert response["Location"] == link.replace("/newsletter/", "/sq/newsletter/", 1) + "?saved=1"
    albanian = soup(client.get(response["Location"]))
    assert text_of(albanian.select_one("h1")) == "Buletinet tuaja"
    assert "Zgjedhjet tuaja u ruajtën." in text_of(albanian.select_one("main"))
    assert albanian.select_one("input[name=language][checked]")["value"] == "sq"
    assert Subscriber.objects.get(pk=reader.pk).language == "sq"


def test_the_serbian_pages_keep_each_language_name_in_its_own_script(site_tree):
    default_newsletter()
    found = readers("sr")
    reader = Subscriber.objects.get(email=found["sr"])
    link = "/sr" + path_of(preferences_url(reader))
    page = soup(Client().get(link))
    labels = [text_of(label) for label in page.select("fieldset label[translate=no]")]
    assert labels == ["English", "Shqip", "Српски", "Srpski"]
    assert text_of(page.select_one("h1")) == "Ваши билтени"


def test_a_send_in_two_scripts_costs_the_same_queries_for_four_times_the_readers(publish_new):
    """Each language's email is rendered once per send; readers cost no queries of their own
    (within a batch)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsletter.models import Mailing
    from newsletter.sending import deliver_mailing

    default_newsletter()
    counts = []
    # The first round warms the data cache (the publication's name); then 2 readers, then 8.
    for round_number, per_script in ((1, 1), (2, 1), (3, 4)):
        article = publish_new(title=f"Story {round_number}")
        serbian = translate(article, "sr", title=f"Vest {round_number}")
        Delivery.objects.all().delete()
        mail.outbox.clear()
        for language in ("sr", "sr-latn"):
            made = make_subscribers(per_script, prefix=f"{language}-{round_number}-")
            Subscriber.objects.filter(pk__in=[s.pk for s in made]).update(language=language)
        mailing = Mailing.objects.get(article=serbian)
        with CaptureQueriesContext(connection) as queries:
            deliver_mailing(mailing.pk)
        assert len(mail.outbox) == Subscriber.objects.count()
        counts.append(len(queries))
    assert counts[1:] == [SEND_QUERIES, SEND_QUERIES]


def test_editors_see_and_filter_subscribers_by_language(admin_client, site_tree):
    default_newsletter()
    found = readers("", "sq", "sr-latn")
    page = soup(admin_client.get("/admin/subscribers/", {"language": "sq"}))
    listed = [text_of(a) for a in page.select("tbody td a") if "@" in text_of(a)]
    assert listed == [found["sq"]]
    export = admin_client.get("/admin/subscribers/", {"export": "csv"})
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].split(",")[:3] == ["Email", "Status", "Language"]
    assert any(row.startswith(f"{found['sr-latn']},confirmed,sr-latn,") for row in rows)


def test_the_newsletter_preview_of_an_albanian_article_is_in_albanian(publish_new, admin_user):
    from django.test import RequestFactory

    article = publish_new(title="Election day")
    albanian = translate(article, "sq", title="Dita e zgjedhjeve")
    request = RequestFactory().get("/")
    request.user = admin_user
    html = albanian.serve_preview(request, "newsletter").content.decode()
    assert "Dita e zgjedhjeve" in html and "Lexoni artikullin" in html
    assert '<html lang="sq">' in html


def test_the_newsletter_page_offers_the_newsletters_in_its_language_or_any(site_tree):
    default_newsletter()
    make_newsletter("shqip", name="Lajme shqip", language="sq")
    make_newsletter("srpski", name="Vesti", language="sr")

    def offered(path):
        page = soup(Client().get(path))
        return sorted(box["value"] for box in page.select("main input[name=newsletters]"))

    assert offered("/newsletter/") == ["new-articles"]
    assert offered("/sq/newsletter/") == ["new-articles", "shqip"]
    assert (
        offered("/sr/newsletter/") == offered("/sr-latn/newsletter/") == ["new-articles", "srpski"]
    )
