"""The Atom feed of published annual reports: published ones only, whoever asks."""

from __future__ import annotations

import pytest

from sdg87.core.tests.atom import ATOM, atom_entries
from sdg87.pathfinders.models import AnnualReport
from sdg87.pathfinders.tests import factories

FEED = "/en/pathfinders/reports/feed/"


def entry_links(response) -> list[str]:
    return [entry.find(f"{ATOM}link").get("href") for entry in atom_entries(response)]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "focal point", "curator"])
def test_only_published_reports_are_in_the_feed_whoever_asks(client, who):
    reports = {
        status: factories.report_through(status, year=2010 + number)
        for number, status in enumerate(AnnualReport.Status.values)
    }
    kenyan = factories.report_through("published", iso3="KEN", year=2024)
    if who == "focal point":
        client.force_login(factories.FocalPointFactory(countries=[factories.country("FRA")]))
    elif who == "curator":
        client.force_login(factories.CuratorFactory())

    links = entry_links(client.get(FEED))

    assert sorted(links) == sorted(
        f"http://testserver/en/pathfinders/reports/{report.pk}/"
        for report in (reports["published"], kenyan)
    )


@pytest.mark.django_db
def test_the_feed_narrows_to_some_countries(client):
    french = factories.report_through("published", year=2023)
    factories.report_through("published", iso3="KEN", year=2023)

    links = entry_links(client.get(FEED, {"country": "fra"}))

    assert links == [f"http://testserver/en/pathfinders/reports/{french.pk}/"]


@pytest.mark.django_db
def test_an_unknown_country_is_refused_by_name(client):
    factories.pathfinder("FRA")
    response = client.get(FEED, {"country": ["FRA", "XXX"]})
    assert response.status_code == 400
    assert "XXX" in response.content.decode()


@pytest.mark.django_db
def test_entries_name_the_country_and_year_in_the_page_language(client):
    report = factories.report_through("published", year=2022)
    response = client.get("/fr/pathfinders/reports/feed/")
    (entry,) = atom_entries(response)
    assert "2022" in entry.find(f"{ATOM}title").text
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/fr/pathfinders/reports/{report.pk}/")
