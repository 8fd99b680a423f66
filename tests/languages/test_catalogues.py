"""The interface catalogues: complete in every language, compiled, sr_Latn in step with sr."""

import gettext
import os
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from languages.catalogues import (
    LANGUAGES,
    MAKEMESSAGES_IGNORE,
    SOURCE,
    TARGET,
    latin_catalogue,
    parse_po,
    po_path,
)
from languages.serbian import to_latin

PLURAL_FORMS = {"sq": 2, "sr": 3, "sr_Latn": 3}


def entries(language):
    return parse_po(po_path(language).read_text(encoding="utf-8"))[1:]  # without the header


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    found = entries(language)
    assert len(found) > 140
    for entry in found:
        assert "fuzzy" not in entry.flags, entry.msgid
        forms = PLURAL_FORMS[language] if entry.msgid_plural else 1
        assert len(entry.msgstr) == forms, entry.msgid
        assert all(text.strip() for text in entry.msgstr), f"{language}: {entry.msgid!r}"
        for text in entry.msgstr:  # same placeholders as the English
            assert sorted(_placeholders(text)) == sorted(_placeholders(entry.msgid)), text


def _placeholders(text):
    return re.findall(r"%\(\w+\)[sd]", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_po_file(language):
    path = po_path(language).with_suffix(".mo")
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    for entry in entries(language):
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            for index, text in enumerate(entry.msgstr):
                assert catalog[(key, index)] == text, (language, entry.msgid)
        else:
            assert catalog[key] == entry.msgstr[0], (language, entry.msgid)


def test_the_cyrillic_catalogue_is_cyrillic_and_the_latin_one_latin():
    for cyrillic, latin in zip(entries(SOURCE), entries(TARGET), strict=True):
        assert cyrillic.key == latin.key
        assert [to_latin(text) for text in cyrillic.msgstr] == latin.msgstr
        assert not any("\u0400" <= ch <= "\u04ff" for text in latin.msgstr for ch in text)
    assert any("\u0400" <= ch <= "\u04ff" for e in entries(SOURCE) for ch in e.msgstr[0])


def test_sr_latn_is_in_step_with_sr():
    call_command("translit_catalogue", "--check")


def test_the_check_fails_when_sr_changes(tmp_path, settings):
    for language in (SOURCE, TARGET):
        (tmp_path / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(po_path(language), tmp_path / language / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [tmp_path]
    call_command("translit_catalogue", "--check")
    source = tmp_path / SOURCE / "LC_MESSAGES" / "django.po"
    source.write_text(
        source.read_text().replace('msgstr "Повезани чланци"', 'msgstr "Сродни чланци"')
    )
    with pytest.raises(CommandError, match="out of step"):
        call_command("translit_catalogue", "--check")
    call_command("translit_catalogue", "--no-compile")
    call_command("translit_catalogue", "--check")
    latin = (tmp_path / TARGET / "LC_MESSAGES" / "django.po").read_text()
    assert 'msgstr "Srodni članci"' in latin
    assert '"Language: sr_Latn\\n"' in latin


def test_latin_catalogue_keeps_msgids_and_placeholders():
    po = 'msgid ""\nmsgstr ""\n"Language: sr\\n"\n\n'
    po += 'msgid "Follow %(name)s:"\nmsgstr "Пратите %(name)s:"\n'
    assert latin_catalogue(po) == (
        'msgid ""\nmsgstr ""\n"Language: sr_Latn\\n"\n\n'
        'msgid "Follow %(name)s:"\nmsgstr "Pratite %(name)s:"\n'
    )


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_every_template_and_code_string_is_in_the_catalogues(tmp_path, settings):
    """makemessages, run afresh on a copy of the sources, finds what the catalogues hold."""
    from django.conf import settings as django_settings

    committed = {language: {e.key for e in entries(language)} for language in LANGUAGES}
    copy = tmp_path / "project"
    shutil.copytree(
        django_settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "media", "staticfiles", ".test-media", ".*cache", ".hypothesis",
            "*.sqlite3", "tests", "bench", "locale", "node_modules",
        ),
    )  # fmt: skip
    (copy / "locale" / "sq" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [copy / "locale"]
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        call_command(
            "makemessages",
            locale=["sq"],
            ignore_patterns=MAKEMESSAGES_IGNORE,
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    fresh = parse_po((copy / "locale" / "sq" / "LC_MESSAGES" / "django.po").read_text())[1:]
    for language in LANGUAGES:
        assert {e.key for e in fresh} == committed[language], language


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("sq", "Nuk e gjetëm këtë faqe", "Kërko"),
        ("sr", "Нисмо пронашли ту страницу", "Претрага"),
        ("sr-latn", "Nismo pronašli tu stranicu", "Pretraga"),
        ("en", "We couldn't find that page", "Search"),
    ],
)
def test_a_reader_page_in_each_language(client, site_tree, language, heading, button):
    from tests.support.helpers import soup, text_of

    prefix = "" if language == "en" else f"/{language}"
    response = client.get(f"{prefix}/news/no-such-article/")
    assert response.status_code == 404
    page = soup(response)
    assert text_of(page.select_one("h1")) == heading
    assert text_of(page.select_one(".error-page button")) == button


@pytest.mark.parametrize(
    ("language", "text"), [("sr", "за 30 секунди"), ("sq", "pas 30 sekondash")]
)
def test_the_503_page_counts_seconds_in_each_language(language, text):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        html = render_to_string("core/503.html", {"retry_after": "30"})  # a header value: text
    assert text in html
