"""Indicator journeys in a real browser: the chart, its disaggregation selectors and its table,
the map by year, the coverage map, and a country's data section — all drawn from this server
alone, without console errors."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from sdg87.countries.models import Country
from sdg87.indicators.models import Indicator
from sdg87.indicators.tests.test_pages import make_country, make_indicator, observe
from tests.browser.support import axe_violations, save_screenshot

pytestmark = pytest.mark.browser


def small_dataset() -> Indicator:
    """8.7.1 for Kenya (totals and by sex, 2015–2021) and Brazil and France (totals)."""
    indicator = make_indicator()
    kenya, brazil, france = make_country("KEN"), make_country("BRA"), make_country("FRA")
    for year, value in [(2015, 30.0), (2018, 25.5), (2021, 20.25)]:
        observe(indicator, kenya, year, value, series="SL_TLF_CHLDEC", unit="PT")
        observe(indicator, kenya, year, value + 3, series="SL_TLF_CHLDEC", unit="PT", sex="M")
        observe(indicator, kenya, year, value - 3, series="SL_TLF_CHLDEC", unit="PT", sex="F")
        observe(indicator, brazil, year, value / 3, series="SL_TLF_CHLDEC", unit="PT")
    observe(indicator, france, 2021, 1.5, series="SL_TLF_CHLDEC", unit="PT")
    make_indicator(
        "gsi-prevalence", target=None, kind=Indicator.Kind.AGREED, title_en="Modern slavery"
    )
    return indicator


@pytest.fixture
def watch(page: Page, live_server) -> Callable[[], dict[str, list[str]]]:
    """Collects console errors and requests to any other host; call it to read them. (The
    browser's own request for /favicon.ico, which the site does not have, is not an error.)"""
    seen: dict[str, list[str]] = {"console": [], "elsewhere": []}

    def on_console(message) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            seen["console"].append(f"{message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else seen["elsewhere"].append(request.url)
        ),
    )
    return lambda: seen


def visible_rows(page: Page) -> list[str]:
    return page.locator("#indicator-table tbody tr:not([hidden])").all_inner_texts()


def test_indicator_page_draws_chart_and_map_and_follows_the_selectors(page, watch, page_errors):
    small_dataset()

    page.goto("/en/indicators/8.7.1/?country=KEN")

    chart = page.locator("#indicator-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(page.locator("#indicator-map")).to_have_attribute("data-rendered", "true")
    expect(chart.locator("svg path").first).to_be_attached()
    assert json.loads(chart.get_attribute("data-selection")) == {"sex": ""}
    assert len(visible_rows(page)) == 3
    save_screenshot(page, "indicator-page-totals")
    assert axe_violations(page, impacts=()) == []

    page.get_by_label("Sex").select_option("F")

    expect(chart).to_have_attribute("data-selection", '{"sex":"F"}')
    rows = visible_rows(page)
    assert len(rows) == 3
    assert all("Female" in row for row in rows)
    assert "17" in rows[-1]  # 20.25 − 3
    expect(page.locator("#table-status")).to_contain_text("3 of 9")

    page.get_by_label("Sex").select_option("*")

    expect(chart).to_have_attribute("data-series-count", "3")
    assert len(visible_rows(page)) == 9
    expect(chart.locator("svg text").filter(has_text="Male").first).to_be_attached()
    save_screenshot(page, "indicator-page-compare-by-sex")

    assert watch()["elsewhere"] == []
    assert watch()["console"] == []
    assert page_errors == []


def test_the_map_follows_the_chosen_year(page, watch, page_errors):
    small_dataset()
    page.goto("/fr/indicators/8.7.1/?country=KEN")
    expect(page.locator("#indicator-map")).to_have_attribute("data-rendered", "true")

    page.locator("#map-year").select_option("2015")

    caption = page.locator("#map-result caption")
    expect(caption).to_contain_text("2015")
    expect(page.locator("#indicator-map")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#map-result tbody tr")).to_have_count(2)  # Kenya and Brazil, not France
    save_screenshot(page, "indicator-map-2015-fr")
    assert watch()["elsewhere"] == []
    assert watch()["console"] == []
    assert page_errors == []


def test_a_country_chosen_on_the_map_table_opens_its_series(page, page_errors):
    small_dataset()
    page.goto("/es/indicators/8.7.1/")

    page.locator("#map-result summary").click()
    page.locator("#map-result tbody").get_by_role("link", name="Brasil").click()

    expect(page.locator("#data-heading")).to_contain_text("Brasil")
    expect(page.locator("#indicator-chart")).to_have_attribute("data-rendered", "true")
    assert page_errors == []


def test_the_coverage_page_maps_data_availability(page, watch, page_errors):
    small_dataset()

    page.goto("/en/indicators/coverage/?gaps=FRA")

    expect(page.locator("#availability-map")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#coverage-table")).to_contain_text("Kenya")
    expect(page.locator("#gap-list")).to_contain_text("gsi-prevalence")
    save_screenshot(page, "coverage-and-gaps")
    assert axe_violations(page, impacts=()) == []
    assert watch()["elsewhere"] == []
    assert watch()["console"] == []
    assert page_errors == []


def test_the_country_page_shows_its_indicator_data_and_gaps(page, page_errors):
    small_dataset()
    assert Country.objects.filter(iso3="KEN").exists()

    page.goto("/fr/countries/KEN/")

    section = page.locator("section.country-data")
    expect(section).to_contain_text("8.7.1")
    expect(section).to_contain_text("20,25")
    expect(section.locator(".gap-list")).to_contain_text("gsi-prevalence")
    save_screenshot(page, "country-data-section-fr")
    assert page_errors == []
