"""The whole report flow through the services: draft → published, values become
observations whose source is the report."""

import pytest

from sdg87.indicators.models import Observation
from sdg87.pathfinders.models import AnnualReport
from sdg87.pathfinders.services.reports import REPORT_SERIES
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db


def test_published_report_values_become_observations_with_the_report_as_source():
    factories.indicator("8.7.1")
    report = factories.report_through(
        AnnualReport.Status.PUBLISHED,
        values=[{"indicator": "8.7.1", "year": 2024, "value": 4.5}],
    )
    observation = Observation.objects.get(series=REPORT_SERIES, area_code="FRA")
    assert report.status == AnnualReport.Status.PUBLISHED
    assert observation.value == 4.5
    assert observation.source == "Pathfinder annual report FRA 2024, version 1"
    assert [t.action for t in report.transitions.all()] == ["submit", "approve", "publish"]


def test_the_indicator_page_names_the_report_as_the_source_of_its_value(client):
    factories.indicator("8.7.1")
    factories.report_through(
        AnnualReport.Status.PUBLISHED,
        values=[{"indicator": "8.7.1", "year": 2024, "value": 4.5}],
    )

    page = client.get("/en/indicators/8.7.1/?country=FRA").content.decode()

    assert "Source of these values: Pathfinder annual report FRA 2024, version 1" in page
