"""Browser fixtures: Debian's Chromium (/usr/bin/chromium) driven by Playwright.

One Chromium runs for the whole session; each test gets a fresh browser `context` (its own
cookies and storage) and a `page` in it. Every test in this folder is marked `browser`.

Chromium and Playwright are required in CI (CI=true or MOTBOT_REQUIRE_BROWSER=1): there a
missing or broken browser fails the run. On a developer machine without them, browser tests
are skipped. `make test` installs both; never `playwright install`, which downloads browsers.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# As root, on a machine whose network is closed: no sandbox (it needs an unprivileged user),
# no GPU, and none of Chromium's own connections to Google, refused here many at a time.
# launch() gives every run a new empty --user-data-dir of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright waits 30 s by default; a local page that has not answered in 10 s never will.
TIMEOUT_MS = 10_000
HERE = Path(__file__).parent


def browser_required() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.environ.get(
        "MOTBOT_REQUIRE_BROWSER", ""
    ) in ("1", "true", "yes")


def _unavailable(message: str) -> NoReturn:
    """Fail (in CI) or skip (elsewhere) when the browser cannot be had."""
    if browser_required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    missing = [name for name in ("playwright", "PIL") if importlib.util.find_spec(name) is None]
    if missing:
        _unavailable(f"Python packages missing: {', '.join(missing)} (pip install -e '.[test]')")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium; `make test` does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:
        _unavailable(f"{CHROMIUM} does not start under Playwright: {error}")
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile for one test: no cookies, no storage, English, 1280x720."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
