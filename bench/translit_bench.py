"""Milliseconds per page to write the seed article's page in Serbian Cyrillic and Latin.

Run: .venv/bin/python bench/translit_bench.py [--rounds 30]
Builds the demo site in a throw-away test database, renders the seed article (the English page
from /work/shared/seed, the worst case: every word is Latin text to transliterate) and times
``languages.serbian.html_to_cyrillic`` (what ``/sr/`` pages cost) and ``html_to_latin``
(``/sr-latn/``) on it, the two alternated in each round; the page's Cyrillic copy is timed too
(Cyrillic text to Latin, as a Serbian article written in Cyrillic costs on ``/sr-latn/``).
Only page-cache misses pay this: the cached copy of each script is served as stored.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(function, text: str) -> float:
    start = time.perf_counter()
    function(text)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from demo.articles import SEED_SLUG
        from demo.build import load_demo
        from languages import serbian

        load_demo()
        html = Client().get(f"/news/{SEED_SLUG}/").content.decode()
        cyrillic = serbian.html_to_cyrillic(html, keep=("The Balkan Report",))
        runs = {
            "Latin page to Cyrillic": [],
            "Latin page to Latin": [],
            "Cyrillic page to Latin": [],
        }
        serbian._cyrillic_word.cache_clear()
        first = timed(lambda t: serbian.html_to_cyrillic(t, keep=("The Balkan Report",)), html)
        for _ in range(args.rounds):
            runs["Latin page to Cyrillic"].append(
                timed(lambda t: serbian.html_to_cyrillic(t, keep=("The Balkan Report",)), html)
            )
            runs["Latin page to Latin"].append(timed(serbian.html_to_latin, html))
            runs["Cyrillic page to Latin"].append(timed(serbian.html_to_latin, cyrillic))
        print(f"seed article page: {len(html.encode()):,} bytes of HTML, {args.rounds} rounds")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'conversion':<26}{'median ms':>10}{'min ms':>9}{'max ms':>9}")
        print(f"{'to Cyrillic, cold cache':<26}{first:>10.2f}{first:>9.2f}{first:>9.2f}")
        for label, values in runs.items():
            print(
                f"{label:<26}{statistics.median(values):>10.2f}{min(values):>9.2f}"
                f"{max(values):>9.2f}"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
