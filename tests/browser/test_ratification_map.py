"""Ratification journeys in a real browser: the C182 map and parties-over-time chart drawn from
this server alone, the table beside them, and a click from the map to a country's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from sdg87.countries.services import countries_load_bundled
from sdg87.instruments.services import instruments_load_bundled, ratifications_load_bundled
from tests.browser.support import save_screenshot

pytestmark = pytest.mark.browser


def load_ratifications() -> None:
    data_dir = Path(settings.DATA_DIR)
    countries_load_bundled(data_dir)
    instruments_load_bundled(data_dir)
    ratifications_load_bundled(data_dir)


def test_the_c182_page_draws_the_ratification_map_and_the_parties_chart(
    page, live_server, page_errors
):
    load_ratifications()
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )

    page.goto("/en/instruments/C182/")

    expect(page.locator("#ratification-map")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#parties-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#ratification-map svg path").first).to_be_attached()
    expect(page.locator("#ratification-table tbody tr[data-iso3='FRA']")).to_contain_text(
        "In force"
    )
    save_screenshot(page, "ratification-map-c182")
    assert elsewhere == []
    assert page_errors == []


@pytest.mark.parametrize("browser_locale", ["fr-FR"], ids=["fr-FR"])
def test_the_timeline_draws_its_chart_in_french(page, page_errors):
    load_ratifications()

    page.goto("/fr/instruments/timeline/")

    expect(page.locator("#timeline-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    save_screenshot(page, "ratification-timeline-fr")
    assert page_errors == []
