"""Coverage and data gaps: the selectors on a small hand-made dataset, the page and the API
(``/api/v1/coverage``, ``/api/v1/countries/{iso3}/data-gaps``)."""

from __future__ import annotations

import pytest

from sdg87.countries.models import Country, Region
from sdg87.indicators import coverage
from sdg87.indicators.models import Indicator
from sdg87.indicators.tests.test_pages import make_country, make_indicator, observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset() -> dict[str, object]:
    """Kenya has 8.7.1 (3 points, latest 2021) and 16.2.2 (1 point, 2019); France has 16.2.2
    only; Germany has nothing; the world total of 8.7.1 is not a country and does not count."""
    africa = Region.objects.create(m49="002", level=Region.Level.REGION, name_en="Africa")
    europe = Region.objects.create(m49="150", level=Region.Level.REGION, name_en="Europe")
    world = Region.objects.create(m49="001", level=Region.Level.WORLD, name_en="World")
    kenya, france, germany = make_country("KEN"), make_country("FRA"), make_country("DEU")
    Country.objects.filter(pk=kenya.pk).update(region=africa)
    Country.objects.filter(pk__in=[france.pk, germany.pk]).update(region=europe)
    child_labour = make_indicator("8.7.1", position=1)
    trafficking = make_indicator("16.2.2", target="16.2", position=2, title_en="Trafficking")
    slavery = make_indicator(
        "gsi-prevalence", target=None, kind=Indicator.Kind.AGREED, position=3, title_en="GSI"
    )
    observe(child_labour, kenya, 2015, 30)
    observe(child_labour, kenya, 2021, 20)
    observe(child_labour, kenya, 2021, 22, sex="M")
    observe(child_labour, world, 2024, 7.8)
    observe(trafficking, kenya, 2019, 150)
    observe(trafficking, france, 2012, 900)
    return {
        "indicators": [child_labour, trafficking, slavery],
        "countries": {"KEN": kenya, "FRA": france, "DEU": germany},
    }


def cell_of(matrix: coverage.CoverageMatrix, iso3: str, code: str):
    row = next(row for row in matrix.rows if row.country.iso3 == iso3)
    position = [indicator.code for indicator in matrix.indicators].index(code)
    return row.cells[position]


def test_matrix_cell_has_latest_year_and_every_data_point(dataset):
    matrix = coverage.coverage_matrix()

    assert cell_of(matrix, "KEN", "8.7.1") == coverage.CoverageCell(latest_year=2021, data_points=3)
    assert cell_of(matrix, "FRA", "16.2.2") == coverage.CoverageCell(
        latest_year=2012, data_points=1
    )
    assert cell_of(matrix, "FRA", "8.7.1") is None


def test_matrix_has_every_country_and_indicator_in_catalogue_order(dataset):
    matrix = coverage.coverage_matrix()

    assert [row.country.iso3 for row in matrix.rows] == ["DEU", "FRA", "KEN"]
    assert [indicator.code for indicator in matrix.indicators] == [
        "8.7.1",
        "16.2.2",
        "gsi-prevalence",
    ]
    assert matrix.countries_with_data == [1, 2, 0]
    assert matrix.countries_with_any_data == 2


def test_matrix_leaves_regional_aggregates_out(dataset):
    matrix = coverage.coverage_matrix()

    assert sum(cell.data_points for row in matrix.rows for cell in row.cells if cell) == 5


def test_matrix_filters_countries_by_region(dataset):
    matrix = coverage.coverage_matrix(region="150")

    assert [row.country.iso3 for row in matrix.rows] == ["DEU", "FRA"]


def test_matrix_filters_indicators_by_kind(dataset):
    matrix = coverage.coverage_matrix(kind=Indicator.Kind.AGREED)

    assert [indicator.code for indicator in matrix.indicators] == ["gsi-prevalence"]
    assert all(row.indicators_with_data == 0 for row in matrix.rows)


def test_matrix_can_keep_only_countries_with_data(dataset):
    matrix = coverage.coverage_matrix(with_data_only=True)

    assert [row.country.iso3 for row in matrix.rows] == ["FRA", "KEN"]


def test_gaps_are_the_indicators_without_any_data_for_the_country(dataset):
    countries = dataset["countries"]

    assert [i.code for i in coverage.data_gaps(country=countries["KEN"])] == ["gsi-prevalence"]
    assert [i.code for i in coverage.data_gaps(country=countries["FRA"])] == [
        "8.7.1",
        "gsi-prevalence",
    ]
    assert len(coverage.data_gaps(country=countries["DEU"])) == 3
    assert coverage.data_gaps(country=countries["DEU"], kind=Indicator.Kind.SDG)[0].code == "8.7.1"


@pytest.mark.parametrize(
    ("language", "germany"), [("en", "Germany"), ("fr", "Allemagne"), ("es", "Alemania")]
)
def test_coverage_page_is_an_accessible_matrix_in_the_page_language(
    client, dataset, language, germany
):
    response = client.get(f"/{language}/indicators/coverage/")

    html = response.content.decode()
    assert response.status_code == 200
    assert germany in html
    assert "<caption" in html
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    assert "2021<span" in html
    assert 'id="availability-data"' in html


def test_coverage_page_filters_by_region(client, dataset):
    html = client.get("/en/indicators/coverage/", {"region": "002"}).content.decode()

    assert '<a href="/en/countries/KEN/">Kenya</a>' in html
    assert '<a href="/en/countries/FRA/">France</a>' not in html


def test_coverage_page_lists_the_gaps_of_the_chosen_country(client, dataset):
    html = client.get("/fr/indicators/coverage/", {"gaps": "FRA"}).content.decode()

    gaps = html[html.index('id="gap-list"') : html.index("</ul>", html.index('id="gap-list"'))]
    assert "8.7.1" in gaps
    assert "gsi-prevalence" in gaps
    assert "16.2.2" not in gaps


def test_coverage_page_map_counts_indicators_with_data(client, dataset):
    html = client.get("/en/indicators/coverage/").content.decode()

    assert '"KEN": {"value": 2' in html
    assert '"FRA": {"value": 1' in html
    assert '"DEU"' not in html.split('id="availability-data"')[1].split("</script>")[0]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_coverage_page_explains_how_to_load_data_when_empty(client, language):
    response = client.get(f"/{language}/indicators/coverage/")

    assert response.status_code == 200
    assert "sdg87 load-data" in response.content.decode()


@pytest.mark.parametrize("query", [{"region": "x"}, {"kind": "bogus"}, {"gaps": "ZZZZ"}])
def test_coverage_page_ignores_malformed_filters(client, dataset, query):
    assert client.get("/en/indicators/coverage/", query).status_code == 200


def test_coverage_page_query_count_is_constant(client, dataset, django_assert_max_num_queries):
    for number in range(4, 10):
        make_indicator(f"8.7.{number}", position=number)

    with django_assert_max_num_queries(8):
        client.get("/en/indicators/coverage/", {"gaps": "KEN"})


# --- API ----------------------------------------------------------------------------------------


def test_coverage_lists_one_row_per_country_with_cells_and_gaps(client, dataset):
    response = client.get("/api/v1/coverage", {"lang": "fr"})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    kenya = next(row for row in body["results"] if row["country"] == "KEN")
    assert kenya == {
        "country": "KEN",
        "name": "Kenya",
        "indicators_with_data": 2,
        "indicators_without_data": 1,
        "cells": [
            {"indicator": "8.7.1", "latest_year": 2021, "data_points": 3},
            {"indicator": "16.2.2", "latest_year": 2019, "data_points": 1},
        ],
        "gaps": ["gsi-prevalence"],
    }
    assert next(row for row in body["results"] if row["country"] == "DEU")["name"] == "Allemagne"


def test_coverage_filters_and_paginates(client, dataset):
    body = client.get("/api/v1/coverage", {"region": "150", "page_size": 1}).json()

    assert body["count"] == 2
    assert [row["country"] for row in body["results"]] == ["DEU"]


def test_coverage_refuses_a_malformed_region(client, dataset):
    response = client.get("/api/v1/coverage", {"region": "Europe"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_data_gaps_of_a_country(client, dataset):
    response = client.get("/api/v1/countries/fra/data-gaps", {"lang": "es"})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert body["results"][0] == {
        "code": "8.7.1",
        "title": "Niños en situación de trabajo infantil",
        "kind": "sdg",
        "target": "8.7",
    }


def test_data_gaps_of_an_unknown_country_is_not_found(client, dataset):
    response = client.get("/api/v1/countries/QQQ/data-gaps")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "no country" in response.json()["error"]["message"]
