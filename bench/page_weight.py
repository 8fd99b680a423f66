"""Print the weight of reader pages: HTML + CSS + JS bytes (uncompressed, images excluded).

Run: .venv/bin/python bench/page_weight.py
Builds the demo site in a throw-away test database; the budget for an article is 60 KB.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

BUDGET = 60 * 1024


def asset_bytes(html: str) -> tuple[int, int]:
    css = js = 0
    for href in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html):
        css += Path(finders.find(href)).stat().st_size
    for src in re.findall(r'<script[^>]+src="/static/([^"]+)"', html):
        js += Path(finders.find(src)).stat().st_size
    return css, js


def main() -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from demo.articles import SEED_SLUG
        from demo.build import load_demo

        load_demo()
        client = Client()
        pages = {
            "home": "/",
            "news index": "/news/",
            "tag": "/news/tag/kosova/",
            "author": "/news/author/newsroom/",
            "article (seed)": f"/news/{SEED_SLUG}/",
        }
        print(f"{'page':<16}{'HTML':>9}{'CSS':>9}{'JS':>6}{'total':>9}  blocking scripts")
        for label, path in pages.items():
            html = client.get(path).content.decode()
            css, js = asset_bytes(html)
            blocking = len(re.findall(r"<script(?![^>]*(?:async|defer|ld\+json))[^>]*src=", html))
            total = len(html.encode()) + css + js
            print(f"{label:<16}{len(html.encode()):>9}{css:>9}{js:>6}{total:>9}  {blocking}")
        print(f"budget for an article: {BUDGET} bytes")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
