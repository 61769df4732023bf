"""Real-browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Run with ``make test-browser`` (``pytest -m browser -p no:xdist tests/browser``). Playwright never
downloads a browser here: it starts ``/usr/bin/chromium`` (``apt-get install chromium``), or the
executable named by ``CHROMIUM``. Every journey leaves screenshots in ``var/screenshots/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.browser.support import CHROMIUM_FLAGS, chromium_executable, save_screenshot


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM
    # calls there unless told it is safe (it is: each test's ORM use is plain synchronous code).
    # Set for the browser tests only, so the default suite keeps Django's safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_allow_orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_locale() -> str:
    """The browser's language (Accept-Language and navigator.language); override per test."""
    return "en-GB"


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors of the test's page, in order."""
    return []


@pytest.fixture
def page(request, browser, browser_locale, page_errors, live_server, transactional_db):
    """A fresh page in its own browser context, on the live server, screenshotted at the end.

    Relative addresses (``page.goto("/fr/")``) go to the live server.
    """
    context = browser.new_context(
        locale=browser_locale, viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    yield page
    try:
        save_screenshot(page, f"{request.node.name}-end")
    finally:
        context.close()
