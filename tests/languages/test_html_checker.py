"""The Nu HTML Checker finds 0 errors on a home page, an article, a live page and a search page in
every language (English, Albanian, Serbian in Cyrillic and in Latin).

The checker is npm's ``vnu-jar`` (pinned in ``package.json``) run by Java; ``scripts/test``
installs both and exports ``VNU_JAR``. Without them the test is skipped, except on CI
(``CI=true``), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.articles import SEED_SLUG
from demo.live import LIVE_SLUG
from live.models import LivePage
from tests.support.languages import translate

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = {"en": "", "sq": "/sq", "sr": "/sr", "sr-latn": "/sr-latn"}
SEED_ARTICLES = {
    "en": SEED_SLUG,
    "sq": "nato-nuk-do-te-lejoje-vakum-sigurie-ne-ballkan",
    "sr": "nato-nece-dozvoliti-bezbednosni-vakuum-na-balkanu",
    "sr-latn": "nato-nece-dozvoliti-bezbednosni-vakuum-na-balkanu",
}
LIVE_TITLES = {
    "sq": "Drejtpërdrejt: pikat kufitare të mbyllura në veri të Kosovës",
    "sr": "Уживо: гранични прелази затворени на северу Косова",
}


def vnu_command() -> list[str] | None:
    jar = Path(os.environ.get("VNU_JAR") or ROOT / "node_modules/vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    if not jar.is_file() or java is None:
        return None
    return [java, "-Xss8m", "-jar", str(jar)]


@pytest.fixture(scope="module")
def vnu():
    command = vnu_command()
    if command is None:
        message = "Nu HTML Checker missing: run scripts/test (npm ci for vnu-jar, a Java runtime)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return command


def pages() -> dict[str, str]:
    urls = {}
    for language, prefix in PREFIXES.items():
        urls[f"home-{language}"] = f"{prefix}/"
        urls[f"article-{language}"] = f"{prefix}/news/{SEED_ARTICLES[language]}/"
        urls[f"live-{language}"] = f"{prefix}/news/{LIVE_SLUG}/"
        urls[f"search-{language}"] = f"{prefix}/search/?q=KFOR"
    return urls


@pytest.mark.html_checker
def test_a_page_of_each_kind_in_each_language_has_no_html_errors(db, client, vnu, tmp_path):
    call_command("load_demo", verbosity=0)
    live = LivePage.objects.get(slug=LIVE_SLUG, locale__language_code="en-gb")
    for language, title in LIVE_TITLES.items():
        translate(live, language, title=title)

    files = {}
    for name, url in pages().items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[path.as_uri()] = url

    result = subprocess.run(  # noqa: S603 - the pinned checker on our own files
        [
            *vnu,
            "--errors-only",
            "--format",
            "json",
            *[str(tmp_path / p) for p in sorted(f"{n}.html" for n in pages())],
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") in {"error", "non-document-error"}]
    assert errors == [], "\n".join(
        f"{files.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in errors
    )
    assert result.returncode == 0
    # The checker saw every page (a wrong path would be a non-document error above).
    assert len(files) == 16
