"""The machine translation first draft: MACHINE_TRANSLATOR picks LibreTranslate, DeepL, the dummy
backend or none; LibreTranslate is exercised against a fake server on loopback (no network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.strings import StringValue

from languages.machine import MachineTranslatorSettingError, translator_settings

ROOT = Path(__file__).resolve().parents[2]


def test_unset_means_no_machine_translation():
    assert translator_settings({}) is None
    assert translator_settings({"MACHINE_TRANSLATOR": " "}) is None


def test_libretranslate_from_the_environment():
    config = translator_settings(
        {
            "MACHINE_TRANSLATOR": "LibreTranslate",
            "LIBRETRANSLATE_URL": "https://translate.example.org/",
            "LIBRETRANSLATE_API_KEY": "key-1",
            "MACHINE_TRANSLATOR_TIMEOUT": "4",
        }
    )
    assert config == {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {
            "LIBRETRANSLATE_URL": "https://translate.example.org",
            "API_KEY": "key-1",
            "TIMEOUT": 4.0,
        },
    }


def test_deepl_from_the_environment():
    config = translator_settings({"MACHINE_TRANSLATOR": "deepl", "DEEPL_AUTH_KEY": "abc:fx"})
    assert config["CLASS"] == "wagtail_localize.machine_translators.deepl.DeepLTranslator"
    assert config["OPTIONS"]["AUTH_KEY"] == "abc:fx"


def test_the_tests_use_the_dummy_backend(settings):
    translator = get_machine_translator()
    assert translator.display_name == "Dummy translator"
    assert type(translator).__module__ == "wagtail_localize.machine_translators.dummy"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MACHINE_TRANSLATOR": "google-ish"}, "unknown backend 'google-ish'"),
        ({"MACHINE_TRANSLATOR": "libretranslate"}, "needs LIBRETRANSLATE_URL"),
        (
            {"MACHINE_TRANSLATOR": "libretranslate", "LIBRETRANSLATE_URL": "translate.local"},
            "must start with https://",
        ),
        ({"MACHINE_TRANSLATOR": "deepl", "DEEPL_AUTH_KEY": "  "}, "needs DEEPL_AUTH_KEY"),
        (
            {
                "MACHINE_TRANSLATOR": "deepl",
                "DEEPL_AUTH_KEY": "k",
                "MACHINE_TRANSLATOR_TIMEOUT": "0",
            },
            "positive number of seconds",
        ),
    ],
)
def test_a_wrong_setting_is_refused_with_its_name(env, message):
    with pytest.raises(MachineTranslatorSettingError, match=message):
        translator_settings(env)


def test_a_wrong_setting_stops_the_process_at_start_up():
    env = {
        **os.environ,
        "MACHINE_TRANSLATOR": "deepl",
        "DEEPL_AUTH_KEY": "",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "MACHINE_TRANSLATOR=deepl needs DEEPL_AUTH_KEY" in result.stderr


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """Answers /translate by upper-casing each text; remembers what it was sent."""

    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLibreTranslate.received.append({"path": self.path, **body})
        answer = json.dumps({"translatedText": [text.upper() for text in body["q"]]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def libretranslate(settings):
    FakeLibreTranslate.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_settings(
        {
            "MACHINE_TRANSLATOR": "libretranslate",
            "LIBRETRANSLATE_URL": f"http://127.0.0.1:{server.server_port}/",
            "LIBRETRANSLATE_API_KEY": "secret-key",
            "MACHINE_TRANSLATOR_TIMEOUT": "5",
        }
    )
    yield FakeLibreTranslate
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_libretranslate_gets_the_strings_languages_and_key(libretranslate):
    translator = get_machine_translator()
    assert translator.display_name == "LibreTranslate"
    english = Locale.objects.get(language_code="en-gb")
    albanian = Locale.objects.get(language_code="sq")
    assert translator.can_translate(english, albanian)
    result = translator.translate(english, albanian, [StringValue("Border talks resume")])
    assert [value.data for value in result.values()] == ["BORDER TALKS RESUME"]
    (request,) = libretranslate.received
    assert request["path"] == "/translate"
    assert (request["source"], request["target"]) == ("en", "sq")
    assert request["api_key"] == "secret-key"
    assert request["q"] == ["Border talks resume"]


def test_without_a_backend_the_editor_has_no_machine_translation(
    client, settings, make_article, admin_user
):
    from wagtail_localize.models import Translation, TranslationSource

    from tests.support.helpers import soup

    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
    english = make_article(slug="quiet", title="Quiet day")
    # A translation made by wagtail-localize has a translation editor.
    source, _ = TranslationSource.get_or_create_from_instance(english)
    albanian_locale = Locale.objects.get(language_code="sq")
    translation = Translation.objects.create(source=source, target_locale=albanian_locale)
    translation.save_target(publish=False)
    albanian = english.get_translation(albanian_locale)
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[albanian.pk]))
    assert response.status_code == 200
    props = json.loads(soup(response).find(class_="js-translation-editor")["data-props"])
    assert props["machineTranslator"] is None
    machine = reverse("wagtail_localize:machine_translate", args=[translation.pk])
    assert client.post(machine).status_code == 404
