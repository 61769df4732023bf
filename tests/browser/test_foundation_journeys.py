"""Foundation journeys in a real browser: language, navigation by keyboard, API docs, figures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sdg87.loading import load_bundled_data
from tests.browser.support import save_screenshot

pytestmark = pytest.mark.browser

french_visitor = pytest.mark.parametrize("browser_locale", ["fr-FR"], ids=["fr-FR"])


@french_visitor
def test_a_french_visitor_is_sent_from_the_root_to_the_french_site(page, live_server):
    page.goto("/")

    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    save_screenshot(page, "french-visitor-home")


@french_visitor
def test_the_french_home_page_shows_the_modern_slavery_estimate_with_its_source(page, page_errors):
    load_bundled_data()

    page.goto("/fr/")

    # 49.6 million people in modern slavery (2021), written the French way, beside its source.
    figure = (
        page.locator("li, figure, article, tr").filter(has_text="49,6").filter(has_text="Walk Free")
    )
    expect(figure.first).to_be_visible()
    save_screenshot(page, "french-home-estimates")
    assert page_errors == []


@french_visitor
def test_the_language_switcher_goes_to_the_spanish_version_of_the_same_page(page, live_server):
    page.goto("/fr/")

    page.get_by_role("link", name="ES", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    save_screenshot(page, "language-switch-to-spanish")


def test_the_first_tab_focuses_the_skip_to_content_link(page):
    page.goto("/en/")

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to content")
    expect(focused).to_be_visible()
    save_screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main")).to_be_focused()


def test_the_api_docs_page_loads_without_anything_from_another_host(page, live_server, page_errors):
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )

    response = page.goto("/api/v1/docs")

    assert response is not None
    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("sdg87 API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    save_screenshot(page, "api-docs")
    assert elsewhere == []
    assert page_errors == []
