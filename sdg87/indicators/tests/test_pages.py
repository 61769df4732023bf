"""The indicator pages: list, indicator page (chart, table, map, metadata, downloads, progress)
and a country's data section, in the three page languages."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from sdg87.accounts.tests.factories import CountryFactory
from sdg87.countries.models import Country, Region
from sdg87.framework.models import Goal, Target, TargetSynergy
from sdg87.indicators import page_selectors
from sdg87.indicators.models import Indicator, NationalMetadata, Observation

pytestmark = pytest.mark.django_db

# --- small factories ----------------------------------------------------------------------------

NAMES = {
    "KEN": ("KE", "404", "Kenya", "Kenya", "Kenia"),
    "FRA": ("FR", "250", "France", "France", "Francia"),
    "BRA": ("BR", "076", "Brazil", "Brésil", "Brasil"),
    "DEU": ("DE", "276", "Germany", "Allemagne", "Alemania"),
    "KGZ": ("KG", "417", "Kyrgyzstan", "Kirghizistan", "Kirguistán"),
}


def make_country(iso3: str) -> Country:
    iso2, numeric, english, french, spanish = NAMES[iso3]
    return CountryFactory(
        iso3=iso3, iso2=iso2, numeric=numeric, name_en=english, name_fr=french, name_es=spanish
    )


def make_target(code: str = "8.7", *, deadline: int | None = 2025, synergy: bool = False) -> Target:
    goal_code = code.split(".")[0]
    goal, _created = Goal.objects.get_or_create(
        code=goal_code,
        defaults={"title_en": f"Goal {goal_code}", "short_en": f"Goal {goal_code}"},
    )
    target, _created = Target.objects.get_or_create(
        code=code,
        defaults={
            "goal": goal,
            "position": int(goal_code) * 100 + len(code),
            "title_en": f"Target {code} in English",
            "title_fr": f"Cible {code} en français",
            "title_es": f"Meta {code} en español",
            "deadline_year": deadline,
        },
    )
    if synergy:
        TargetSynergy.objects.get_or_create(
            source=make_target("8.7"), related=target, defaults={"description_en": "works with"}
        )
    return target


def make_indicator(code: str = "8.7.1", *, target: str | None = "8.7", **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "kind": Indicator.Kind.SDG,
        "title_en": "Children in child labour",
        "title_fr": "Enfants astreints au travail",
        "title_es": "Niños en situación de trabajo infantil",
        "definition_en": "Share of children aged 5 to 17 in child labour.",
        "definition_fr": "Part des enfants de 5 à 17 ans astreints au travail.",
        "definition_es": "Proporción de niños de 5 a 17 años en trabajo infantil.",
        "unit": "percent",
        "source": "ILO and UNICEF",
        "target_value": 0,
        "target_year": 2025,
    }
    defaults.update(fields)
    return Indicator.objects.create(
        code=code, target=make_target(target) if target else None, **defaults
    )


def observe(
    indicator: Indicator,
    area: Country | Region,
    year: int,
    value: float,
    *,
    series: str = "",
    unit: str = "",
    period: str = "",
    **dimensions: str,
) -> Observation:
    is_country = isinstance(area, Country)
    return Observation.objects.create(
        indicator=indicator,
        area_code=area.iso3 if is_country else area.m49,
        country=area if is_country else None,
        region=None if is_country else area,
        year=year,
        period=period or str(year),
        series=series,
        unit=unit,
        dimensions=dimensions,
        dimensions_key="|".join(f"{key}={dimensions[key]}" for key in sorted(dimensions)),
        value=value,
    )


def chart_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the chart data block is missing"
    return json.loads(match.group(1))


@pytest.fixture
def child_labour() -> Indicator:
    """8.7.1 with Kenyan totals 2015–2021 and by sex, a French total, and a world value."""
    indicator = make_indicator()
    kenya, france = make_country("KEN"), make_country("FRA")
    for year, value in [(2015, 30.0), (2018, 25.5), (2021, 20.25)]:
        observe(indicator, kenya, year, value, series="SL_TLF_CHLDEC", unit="PT")
        observe(indicator, kenya, year, value + 2, series="SL_TLF_CHLDEC", unit="PT", sex="M")
        observe(indicator, kenya, year, value - 2, series="SL_TLF_CHLDEC", unit="PT", sex="F")
    observe(indicator, france, 2021, 1.5, series="SL_TLF_CHLDEC", unit="PT")
    return indicator


# --- indicator list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "heading"),
    [
        ("en", "Children in child labour", "Target 8.7"),
        ("fr", "Enfants astreints au travail", "Cible 8.7"),
        ("es", "Niños en situación de trabajo infantil", "Meta 8.7"),
    ],
)
def test_indicator_list_groups_indicators_by_target_in_the_page_language(
    client, child_labour, language, title, heading
):
    response = client.get(f"/{language}/indicators/")

    html = response.content.decode()
    assert response.status_code == 200
    assert title in html
    assert heading in html
    assert f'href="/{language}/indicators/8.7.1/"' in html


def test_indicator_list_shows_countries_with_data_and_latest_year(client, child_labour):
    summary = page_selectors.indicator_groups()[0].indicators[0]

    assert (summary.countries_with_data, summary.latest_year) == (2, 2021)
    html = client.get("/en/indicators/").content.decode()
    assert '<td class="num">2</td>' in html
    assert '<td class="num">2021</td>' in html


def test_indicator_list_puts_target_87_first_then_agreed_indicators_then_synergies(client):
    make_indicator("16.2.2", target="16.2", title_en="Victims of trafficking")
    make_target("16.2", synergy=True)
    make_indicator("8.7.1")
    make_indicator("gsi-prevalence", target=None, kind=Indicator.Kind.AGREED, title_en="GSI")

    groups = page_selectors.indicator_groups()

    assert [group.target.code if group.target else None for group in groups] == [
        "8.7",
        None,
        "16.2",
    ]
    assert groups[2].is_synergy


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_indicator_list_explains_how_to_load_data_when_empty(client, language):
    response = client.get(f"/{language}/indicators/")

    assert response.status_code == 200
    assert "sdg87 load-data" in response.content.decode()


def test_indicator_list_query_count_is_constant(
    client, child_labour, django_assert_max_num_queries
):
    for number in range(2, 8):
        make_indicator(f"8.7.{number}")

    with django_assert_max_num_queries(4):
        client.get("/en/indicators/")


# --- indicator page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "definition", "target"),
    [
        ("en", "Children in child labour", "Share of children aged 5", "Target 8.7 in English"),
        ("fr", "Enfants astreints au travail", "Part des enfants de 5", "Cible 8.7 en français"),
        ("es", "Niños en situación de trabajo infantil", "Proporción de niños", "Meta 8.7 en"),
    ],
)
def test_indicator_page_shows_texts_in_the_page_language(
    client, child_labour, language, title, definition, target
):
    response = client.get(f"/{language}/indicators/8.7.1/")

    html = response.content.decode()
    assert response.status_code == 200
    for text in (title, definition, target, "ILO and UNICEF", "2025"):
        assert text in html


def test_indicator_page_shows_the_country_with_most_data_first(client, child_labour):
    html = client.get("/en/indicators/8.7.1/").content.decode()

    assert "Data for Kenya" in html
    assert '<option value="KEN" selected>' in html


def test_indicator_page_shows_the_chosen_country(client, child_labour):
    html = client.get("/fr/indicators/8.7.1/", {"country": "fra"}).content.decode()

    assert "France" in html
    assert [row["value"] for row in chart_data(html)["rows"]] == [1.5]


def test_indicator_page_builds_a_selector_per_disaggregation(client, child_labour):
    html = client.get("/en/indicators/8.7.1/", {"country": "KEN"}).content.decode()

    data = chart_data(html)
    assert [dimension["key"] for dimension in data["dimensions"]] == ["sex"]
    assert data["dimensions"][0]["values"] == {"F": "Female", "M": "Male"}
    assert 'data-dimension="sex"' in html
    assert '<option value="" selected>Total</option>' in html
    assert len(data["rows"]) == 9


def test_indicator_page_table_has_every_value_with_a_caption(client, child_labour):
    html = client.get("/es/indicators/8.7.1/", {"country": "KEN"}).content.decode()

    table = html[
        html.index('<table id="indicator-table"') : html.index(
            "</table>", html.index('<table id="indicator-table"')
        )
    ]
    assert "<caption" in table
    assert table.count('<tr data-index="') == 9
    assert '<th scope="row">2018</th>' in table
    assert "25,5" in table  # Spanish decimal comma
    assert "Femenino" in table  # the sex dimension, labelled in Spanish


def test_indicator_page_offers_series_and_unit_selectors_when_they_vary(client):
    indicator = make_indicator()
    kenya = make_country("KEN")
    observe(indicator, kenya, 2019, 10, series="SL_TLF_CHLDEC", unit="PT")
    observe(indicator, kenya, 2019, 900000, series="SL_TLF_CHLDEA", unit="NUMBER")

    data = chart_data(client.get("/en/indicators/8.7.1/").content.decode())

    assert [dimension["key"] for dimension in data["dimensions"]] == ["__series", "__unit"]


def test_indicator_page_map_shows_country_totals_of_a_year(client, child_labour):
    html = client.get("/en/indicators/8.7.1/").content.decode()

    assert "data-choropleth" in html
    map_data = json.loads(
        re.search(
            r'<script id="indicator-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert map_data["values"]["KEN"]["value"] == 20.25
    assert map_data["values"]["FRA"]["value"] == 1.5
    assert '<option value="2021" selected>2021</option>' in html


def test_indicator_map_fragment_follows_the_chosen_year(client, child_labour):
    response = client.get("/en/indicators/8.7.1/map/", {"year": "2015"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert '"KEN": {"value": 30.0' in html
    assert '"FRA"' not in html


def test_indicator_page_shows_national_metadata_in_the_page_language(client, child_labour):
    kenya = Country.objects.get(iso3="KEN")
    for language, text in [("en", "Survey of households"), ("fr", "Enquête auprès des ménages")]:
        NationalMetadata.objects.create(
            indicator=child_labour,
            country=kenya,
            language=language,
            fields={"STAT_CONC_DEF": f"<p>{text}</p>", "indicator_name": "global_indicators.x"},
        )

    french = client.get("/fr/indicators/8.7.1/").content.decode()
    spanish = client.get("/es/indicators/8.7.1/").content.decode()

    assert "Enquête auprès des ménages" in french
    assert "<p>Enquête" not in french
    assert "global_indicators.x" not in french
    assert "Survey of households" in spanish  # no Spanish metadata: English, said so


def test_indicator_page_links_downloads_in_three_formats(client, child_labour):
    html = client.get("/en/indicators/8.7.1/", {"country": "KEN"}).content.decode()

    for file_format in ("csv", "sdmx-csv", "xlsx"):
        assert f"/api/v1/indicators/8.7.1/observations?country=KEN&amp;format={file_format}" in html
        assert f"/api/v1/indicators/8.7.1/observations?format={file_format}" in html


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv"),
        ("sdmx-csv", "application/vnd.sdmx.data+csv"),
        ("xlsx", "application/vnd.openxmlformats"),
    ],
)
def test_indicator_page_download_links_return_the_files(
    client, child_labour, file_format, content_type
):
    html = client.get("/en/indicators/8.7.1/", {"country": "KEN"}).content.decode()
    link = re.search(rf'href="([^"]*country=KEN&amp;format={file_format})"', html).group(1)

    response = client.get(link.replace("&amp;", "&"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_indicator_page_shows_both_progress_methods_for_the_country(client, child_labour):
    html = client.get("/en/indicators/8.7.1/", {"country": "KEN"}).content.decode()

    assert 'data-method="open_sdg"' in html
    assert 'data-method="unsd"' in html
    assert "/api/v1/indicators/8.7.1/progress?country=KEN" in html


def test_indicator_page_shows_no_progress_for_a_region(client, child_labour):
    world = Region.objects.create(m49="001", level=Region.Level.WORLD, name_en="World")
    observe(child_labour, world, 2020, 9.6)

    html = client.get("/en/indicators/8.7.1/", {"country": "001"}).content.decode()

    assert "Data for World" in html
    assert 'data-method="open_sdg"' not in html


def test_indicator_page_explains_when_there_is_no_data(client):
    make_indicator()

    response = client.get("/fr/indicators/8.7.1/")

    assert response.status_code == 200
    assert 'id="indicator-chart"' not in response.content.decode()
    assert "/fr/indicators/coverage/" in response.content.decode()


def test_indicator_page_with_a_dashed_code_redirects_to_the_dotted_one(client, child_labour):
    response = client.get("/fr/indicators/8-7-1/", {"country": "KEN"})

    assert response.status_code == 301
    assert response["Location"] == "/fr/indicators/8.7.1/?country=KEN"


def test_indicator_page_falls_back_to_the_national_platforms_own_language(client, child_labour):
    NationalMetadata.objects.create(
        indicator=child_labour,
        country=Country.objects.get(iso3="KEN"),
        language="",
        fields={"un_custodian_agency": "ILO, UNICEF"},
    )

    html = client.get("/es/indicators/8.7.1/").content.decode()

    assert "ILO, UNICEF" in html


def test_indicator_page_of_an_unknown_code_is_not_found(client):
    assert client.get("/en/indicators/99.9.9/").status_code == 404


@pytest.mark.parametrize("query", [{"country": "<script>"}, {"year": "abcd"}, {"year": "1800"}])
def test_indicator_page_ignores_malformed_parameters(client, child_labour, query):
    assert client.get("/en/indicators/8.7.1/", query).status_code == 200


def test_indicator_page_query_count_does_not_grow_with_the_data(
    client, child_labour, django_assert_max_num_queries
):
    for number in range(20):
        country = CountryFactory()
        for year in (2016, 2019, 2022):
            observe(
                child_labour, country, year, number + year / 1000, series="SL_TLF_CHLDEC", unit="PT"
            )
            observe(child_labour, country, year, number, series="SL_TLF_CHLDEC", unit="PT", sex="F")
        NationalMetadata.objects.create(
            indicator=child_labour, country=country, language="en", fields={"DATA_COMP": "x"}
        )

    with django_assert_max_num_queries(10):
        response = client.get("/en/indicators/8.7.1/", {"country": "KEN"})
    assert response.status_code == 200


# --- a country's data section -------------------------------------------------------------------


def test_country_data_lists_latest_totals_progress_and_gaps(child_labour):
    make_indicator("gsi-prevalence", target=None, kind=Indicator.Kind.AGREED, title_en="GSI")

    data = page_selectors.country_data(Country.objects.get(iso3="KEN"))

    (row,) = data.with_data
    assert (row.indicator.code, row.latest_year, row.latest_value, row.data_points) == (
        "8.7.1",
        2021,
        20.25,
        9,
    )
    assert row.progress is not None
    assert {badge.method for badge in row.progress.badges} == {"open_sdg", "unsd"}
    assert [indicator.code for indicator in data.gaps] == ["gsi-prevalence"]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_country_page_includes_the_data_section(client, child_labour, language):
    make_indicator("gsi-prevalence", target=None, kind=Indicator.Kind.AGREED, title_en="GSI")

    html = client.get(f"/{language}/countries/KEN/").content.decode()

    assert 'id="country-data-heading"' in html
    assert f'href="/{language}/indicators/8.7.1/?country=KEN#data"' in html
    assert f'href="/{language}/indicators/gsi-prevalence/"' in html


def test_country_page_says_when_no_indicator_is_loaded(client):
    make_country("KEN")

    html = client.get("/en/countries/KEN/").content.decode()

    assert "No indicator is loaded yet." in html
    assert "Every indicator of the catalogue has data" not in html


# --- a series without a total: a breakdown stands for it ---------------------------------------


@pytest.fixture
def kyrgyz_sdmx_file(child_labour) -> Indicator:
    """As Kyrgyzstan's SDMX file: AGE=Y5T17 on every headline row, no row without dimensions."""
    kyrgyzstan = make_country("KGZ")
    for year, value in [(2014, 25.8), (2018, 26.7), (2023, 19.6)]:
        series = {"series": "SL_TLF_CHLDEC", "unit": "PT"}
        observe(child_labour, kyrgyzstan, year, value, **series, AGE="Y5T17")
        observe(child_labour, kyrgyzstan, year, value + 5, **series, AGE="Y15T17")
        observe(child_labour, kyrgyzstan, year, value - 5, **series, AGE="Y5T11")
        observe(child_labour, kyrgyzstan, year, 15.5, **series, AGE="Y5T17", REF_AREA="KG02")
    return child_labour


def test_country_data_uses_the_widest_age_band_when_there_is_no_total(kyrgyz_sdmx_file):
    data = page_selectors.country_data(Country.objects.get(iso3="KGZ"))

    (row,) = data.with_data
    assert (row.latest_value, row.latest_period, row.unit) == (19.6, "2023", "PT")
    assert row.breakdown == {"AGE": "Y5T17"}
    assert row.breakdown_label == "Age: 5–17 (AGE=Y5T17)"
    assert row.progress is not None
    assert {badge.status for badge in row.progress.badges} == {
        "limited_progress",
        "acceleration_needed",
    }


def test_country_data_names_no_breakdown_for_totals(child_labour):
    (row,) = page_selectors.country_data(Country.objects.get(iso3="KEN")).with_data

    assert (row.breakdown, row.breakdown_label) == ({}, "")


def test_country_page_shows_the_value_with_the_breakdown_it_comes_from(client, kyrgyz_sdmx_file):
    html = client.get("/en/countries/KGZ/").content.decode()

    assert "19.6" in html
    assert "breakdown used as headline: Age: 5–17 (AGE=Y5T17)" in html
    assert "disaggregated only" not in html
    assert "Limited progress" in html


def test_country_profile_api_has_the_latest_value_of_the_breakdown(client, kyrgyz_sdmx_file):
    profile = client.get("/api/v1/countries/KGZ").json()

    (indicator,) = profile["indicators"]
    assert indicator["latest_value"] == 19.6
    assert indicator["progress"] == {"open_sdg": "limited_progress", "unsd": "acceleration_needed"}


def test_indicator_map_shows_the_breakdown_standing_for_a_missing_total(client, kyrgyz_sdmx_file):
    html = client.get("/en/indicators/8.7.1/map/", {"year": "2018"}).content.decode()

    map_data = json.loads(
        re.search(
            r'<script id="indicator-map-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert map_data["values"]["KGZ"]["value"] == 26.7
    assert map_data["values"]["KGZ"]["label"] == "26.7 (Age: 5–17 (AGE=Y5T17))"
    assert map_data["values"]["KEN"]["label"] == "25.5"
    assert "For 1 of them the source publishes no total" in html
    assert "breakdown used as headline: Age: 5–17 (AGE=Y5T17)" in html


def test_indicator_page_first_shows_the_breakdown_standing_for_a_missing_total(
    client, kyrgyz_sdmx_file
):
    html = client.get("/en/indicators/8.7.1/", {"country": "KGZ"}).content.decode()

    page = page_selectors.indicator_page("8.7.1", area_code="KGZ")
    assert {dimension.key: dimension.selected for dimension in page.series.dimensions} == {
        "AGE": "Y5T17",
        "REF_AREA": "",
    }
    assert "The source publishes no total: the breakdown Age: 5–17 (AGE=Y5T17)" in html
    assert 'data-status="limited_progress"' in html


def test_country_data_runs_two_queries_whatever_the_number_of_indicators(
    child_labour, django_assert_num_queries
):
    kenya = Country.objects.get(iso3="KEN")
    with django_assert_num_queries(2):
        page_selectors.country_data(kenya)

    for number in range(12):
        indicator = make_indicator(f"agreed-{number}", target=None, kind=Indicator.Kind.AGREED)
        for year in (2016, 2019, 2022):
            observe(indicator, kenya, year, number + year / 1000)
            observe(indicator, kenya, year, number, sex="F")

    with django_assert_num_queries(2):
        data = page_selectors.country_data(kenya)
    assert len(data.with_data) == 13
    assert all(row.progress and row.progress.badges for row in data.with_data)


def test_country_page_query_count_does_not_grow_with_the_indicators(client, child_labour):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kenya = Country.objects.get(iso3="KEN")
    client.get("/en/countries/KEN/")  # warm caches (session, site, translations)
    with CaptureQueriesContext(connection) as one_indicator:
        assert client.get("/en/countries/KEN/").status_code == 200
    for number in range(10):
        indicator = make_indicator(f"agreed-{number}", target=None, kind=Indicator.Kind.AGREED)
        for year in (2016, 2022):
            observe(indicator, kenya, year, number + 1, series="S", unit="number")
    with CaptureQueriesContext(connection) as eleven_indicators:
        assert client.get("/en/countries/KEN/").status_code == 200

    assert len(eleven_indicators.captured_queries) == len(one_indicator.captured_queries)
