"""A pathfinder country's year in a real browser: its focal point builds the roadmap and
writes the annual report, a curator reviews it (changes requested, then approved and
published), and the report's value reaches the indicator page. The overview, country and
report pages pass axe-core without a serious or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sdg87.indicators.models import Observation
from sdg87.pathfinders.models import AnnualReport
from sdg87.pathfinders.services.reports import REPORT_SERIES
from sdg87.pathfinders.tests import factories
from tests.browser.support import axe_violations, save_screenshot, sign_in

pytestmark = pytest.mark.browser

SOURCE = "Pathfinder annual report FRA 2024, version 1"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def review(page: Page, report_url: str, button: str, comment: str = "") -> None:
    page.goto(report_url)
    if comment:
        page.get_by_label(f"Comment for “{button}”", exact=False).fill(comment)
    page.get_by_role("button", name=button, exact=True).click()


def test_a_report_goes_from_draft_to_the_indicator_page(page, page_errors):
    factories.pathfinder("FRA")
    factories.indicator("8.7.1")
    focal_point = factories.FocalPointFactory(
        username="focal-fra", countries=[factories.country("FRA")]
    )
    curator = factories.CuratorFactory(username="curator-one")

    # The focal point builds the roadmap: the roadmap, a priority, an action.
    sign_in(page, focal_point.username)
    page.goto("/en/pathfinders/FRA/")
    page.get_by_role("link", name="Create the roadmap").click()
    page.get_by_label("Title").fill("National action plan 2024–2028")
    page.get_by_label("First year").fill("2024")
    page.get_by_label("Last year").fill("2028")
    page.get_by_label("Status").select_option("adopted")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#roadmap")).to_contain_text("National action plan 2024–2028")

    page.get_by_role("link", name="Add a priority").click()
    page.get_by_label("Title").fill("Prevention in agriculture")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Title").fill("Train labour inspectors")
    page.get_by_label("Lead agency").fill("Ministry of Labour")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label("Budget planned").fill("250000")
    page.get_by_label("Budget secured").fill("100000")
    page.get_by_role("button", name="Save").click()
    priority = page.locator("section.priority")
    expect(priority).to_contain_text("Train labour inspectors")
    expect(priority).to_contain_text("150,000")  # the gap in USD
    save_screenshot(page, "pathfinder-roadmap-built")
    assert axe_violations(page) == []

    # … and writes the 2024 report with a value of 8.7.1, then submits it.
    page.get_by_role("link", name="New annual report").click()
    page.get_by_label("Year reported on").fill("2024")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator("#report-status")).to_have_text("Draft")
    report_url = page.url
    page.get_by_label("Progress:").fill("Inspections doubled in rural areas.")
    page.get_by_label("Indicator (row 1)").select_option("8.7.1")
    page.get_by_label("Year (row 1)").fill("2024")
    page.get_by_label("Value (row 1)").fill("4.5")
    page.get_by_role("button", name="Save the report").click()
    expect(page.locator("#values")).to_contain_text("4.5")
    save_screenshot(page, "pathfinder-report-draft")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#report-status")).to_have_text("Submitted")
    sign_out(page)

    # A curator asks for changes, with a comment.
    sign_in(page, curator.username)
    page.goto("/en/pathfinders/review/")
    expect(page.locator("main table")).to_contain_text("France 2024, version 1")
    review(page, report_url, "Request changes", comment="Please say which regions.")
    expect(page.locator("#report-status")).to_have_text("Changes requested")
    sign_out(page)

    # The focal point resubmits.
    sign_in(page, focal_point.username)
    page.goto(report_url)
    expect(page.locator("#history")).to_contain_text("Please say which regions.")
    page.get_by_label("Progress:").fill("Inspections doubled in the north and west.")
    page.get_by_role("button", name="Save the report").click()
    review(page, report_url, "Resubmit for review")
    expect(page.locator("#report-status")).to_have_text("Resubmitted")
    sign_out(page)

    # The curator approves and publishes.
    sign_in(page, curator.username)
    review(page, report_url, "Approve")
    expect(page.locator("#report-status")).to_have_text("Approved")
    review(page, report_url, "Publish")
    expect(page.locator("#report-status")).to_have_text("Published")
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(5)
    expect(page.locator("#history")).to_contain_text("curator-one")
    save_screenshot(page, "pathfinder-report-published")
    assert axe_violations(page) == []
    sign_out(page)

    # Anyone now reads the report, and the value is on the indicator page for France.
    page.goto(report_url)
    expect(page.locator("#report-status")).to_have_text("Published")
    page.goto("/en/indicators/8.7.1/?country=FRA")
    expect(page.locator("#data-heading")).to_contain_text("France")
    expect(page.locator("#indicator-table tbody")).to_contain_text("4.5")
    save_screenshot(page, "pathfinder-value-on-indicator-page")
    # The indicator page shows no observation source (only the indicator's own source), so
    # the report as source is checked where it is stored: on the observation itself.
    observation = Observation.objects.get(series=REPORT_SERIES, area_code="FRA")
    assert (observation.value, observation.source) == (4.5, SOURCE)
    assert AnnualReport.objects.get().status == AnnualReport.Status.PUBLISHED

    # The overview shows France with its map; no serious accessibility problem.
    page.goto("/en/pathfinders/")
    expect(page.locator("#pathfinder-map")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#pathfinder-table")).to_contain_text("Reported within a year")
    save_screenshot(page, "pathfinder-overview")
    assert axe_violations(page) == []
    page.goto("/en/pathfinders/FRA/")
    assert axe_violations(page) == []
    assert page_errors == []
