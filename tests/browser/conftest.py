"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server.

- Chromium comes from Debian (``apt-get install chromium``); ``scripts/test`` installs it and
  exports ``CHROMIUM_PATH``. Playwright's own browser downloads are never used.
- On CI (``CI=true``) a missing Chromium is a failure, never a skip.
- Screenshots go to ``test-artifacts/`` (override with ``TEST_ARTIFACTS_DIR``).
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS_DIR = Path(
    os.environ.get("TEST_ARTIFACTS_DIR", Path(__file__).resolve().parents[2] / "test-artifacts")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    return path if path and Path(path).exists() else None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: browser tests must run on CI")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def live_site(live_server, transactional_db):
    """The demo publication served by the live server. Returns the server's base URL.

    live_server flushes the database after each test, so the tree is rebuilt every time.
    """
    from demo.build import load_demo

    load_demo()
    return live_server.url


@pytest.fixture
def screenshot(page, artifacts_dir):
    """screenshot("name") saves a full-page PNG of the current page into test-artifacts/."""

    def _shot(name: str) -> Path:
        path = artifacts_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def axe(page):
    """axe() runs axe-core on the current page and returns the list of violations."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def _run() -> list[dict]:
        results = checker.run(page)
        return results.response["violations"]

    return _run
