"""The country page shows the profile's sections: pathfinder roadmap and funding, latest
published report, active partners and key resources, each with an empty state."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sdg87.accounts.tests.factories import country
from sdg87.library.models import ResourceStatus
from sdg87.partners.models import Organisation, PledgeStatus
from sdg87.partners.tests.factories import OrganisationFactory, PledgeFactory
from sdg87.pathfinders.models import AnnualReport
from sdg87.pathfinders.tests import factories as pathfinders
from sdg87.profiles.tests.support import resource

pytestmark = pytest.mark.django_db


def section(html: str, heading_id: str) -> str:
    """The HTML of the section labelled by ``heading_id``."""
    match = re.search(rf'(?s)<section aria-labelledby="{heading_id}"[^>]*>.*?</section>', html)
    assert match, f"no section labelled by {heading_id}"
    return match.group(0)


def page(client, iso3: str = "KEN", language: str = "en") -> str:
    response = client.get(f"/{language}/countries/{iso3}/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_links_to_the_pdf_profile(client):
    country("KEN")

    html = page(client)

    assert 'href="/en/countries/KEN/profile.pdf"' in html
    assert "Download profile (PDF)" in html


def test_each_section_has_a_heading_and_an_empty_state(client):
    country("KEN")

    html = page(client)

    assert "Kenya is not a pathfinder country of Alliance 8.7." in section(
        html, "pathfinder-heading"
    )
    assert "this country has none" in section(html, "latest-report-heading")
    assert "No approved partner is based in Kenya" in section(html, "partners-heading")
    assert "The library has no published resource on Kenya yet." in section(
        html, "resources-heading"
    )


def test_active_partners_are_approved_and_based_here_or_pledging(client):
    kenya, france = country("KEN"), country("FRA")
    OrganisationFactory(name="Example Kenyan Network", country=kenya)
    OrganisationFactory(name="Example Applicant", country=kenya, status=Organisation.Status.APPLIED)
    pledging = OrganisationFactory(name="Example French Fund", acronym="EFF", country=france)
    PledgeFactory(owner=pledging).countries.add(kenya)
    done = OrganisationFactory(name="Example Finished Donor", country=france)
    PledgeFactory(owner=done, status=PledgeStatus.COMPLETED).countries.add(kenya)
    OrganisationFactory(name="Example Paris Office", country=france)

    partners = section(page(client), "partners-heading")

    assert "Example Kenyan Network" in partners
    assert "Example French Fund</a> (EFF)" in partners
    assert 'data-reason="pledge"' in partners
    for absent in ("Example Applicant", "Example Finished Donor", "Example Paris Office"):
        assert absent not in partners
    assert partners.index("Example Kenyan Network") < partners.index("Example French Fund")


def test_key_resources_are_published_ones_newest_first(client):
    kenya = country("KEN")
    resource(kenya, title="Example older study", year=2018)
    resource(kenya, title="Example newer study", year=2023)
    resource(kenya, title="Example draft study", year=2024, status=ResourceStatus.DRAFT)
    resource(country("FRA"), title="Example study on France", year=2024)

    resources = section(page(client), "resources-heading")

    assert resources.index("Example newer study") < resources.index("Example older study")
    assert "Example draft study" not in resources
    assert "Example study on France" not in resources


def test_key_resources_are_limited_to_ten(client):
    kenya = country("KEN")
    for year in range(2000, 2012):
        resource(kenya, title=f"Example study of {year}", year=year)

    resources = section(page(client), "resources-heading")

    assert resources.count("<li>") == 10
    assert "Example study of 2011" in resources
    assert "Example study of 2001" not in resources


def test_pathfinder_section_shows_roadmap_funding_timeliness_and_example_badge(client):
    pathfinders.pathfinder("KEN", example=True)
    roadmap = pathfinders.roadmap("KEN", title="Example national action plan")
    pathfinders.action(roadmap, planned="1000", secured="400")
    pathfinders.action(roadmap, planned="500", secured="500")
    report = pathfinders.report_through(AnnualReport.Status.PUBLISHED, iso3="KEN", year=2024)

    html = page(client)
    pathfinder = section(html, "pathfinder-heading")

    assert '<span class="badge-example">Example</span>' in pathfinder
    assert "Example national action plan (2022–2026)" in pathfinder
    assert "<strong>600</strong>" in pathfinder  # gap: 1,500 planned - 900 secured
    assert "light light-green" in pathfinder
    assert f'href="{reverse("pathfinders:detail", kwargs={"iso3": "KEN"})}"' in pathfinder
    latest = section(html, "latest-report-heading")
    assert "Annual report 2024 (version 1)" in latest
    assert f'href="{reverse("pathfinders:report", kwargs={"pk": report.pk})}"' in latest


def test_an_unpublished_report_stays_off_the_page(client):
    pathfinders.roadmap("KEN")
    pathfinders.report_through(AnnualReport.Status.SUBMITTED, iso3="KEN", year=2024)

    report = section(page(client), "latest-report-heading")

    assert "No annual report has been published yet." in report
    assert "Annual report 2024" not in report


def test_page_shows_the_sections_in_french(client):
    country("KEN")

    html = page(client, language="fr")

    assert 'href="/fr/countries/KEN/profile.pdf"' in html
    assert section(html, "partners-heading")


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return len(queries)


def test_page_queries_do_not_grow_with_partners_and_resources(
    client, django_assert_max_num_queries
):
    kenya = country("KEN")
    pathfinders.action(pathfinders.roadmap("KEN"))
    pathfinders.report_through(AnnualReport.Status.PUBLISHED, iso3="KEN")
    OrganisationFactory(country=kenya)
    PledgeFactory().countries.add(kenya)
    resource(kenya)
    with_one_each = _page_queries(client)
    for _ in range(5):
        OrganisationFactory(country=kenya)
        PledgeFactory().countries.add(kenya)
        resource(kenya)

    with django_assert_max_num_queries(with_one_each):
        html = page(client)

    assert section(html, "partners-heading").count('<th scope="row">') == 12
    assert with_one_each <= 40
