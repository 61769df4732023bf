"""``progress_service`` on observations in the database, and ``sdg87 progress`` on top of it.

The arithmetic is tested in test_progress.py; here: which observations are assessed, how series
are formed and aggregated, the errors, and the document both interfaces return.
"""

import json

import pytest

from sdg87 import cli
from sdg87.core.errors import Conflict, InvalidInput, NotFound
from sdg87.countries.models import Country
from sdg87.indicators import progress_service
from sdg87.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def kyrgyzstan():
    return Country.objects.create(iso3="KGZ", iso2="KG", numeric="417", name_en="Kyrgyzstan")


@pytest.fixture
def child_labour():
    return Indicator.objects.create(
        code="8.7.1",
        kind=Indicator.Kind.SDG,
        title_en="Children engaged in child labour",
        unit="percent",
        desired_direction="down",
        target_value=0,
        target_year=2025,
    )


def observe(indicator, country, year, value, *, series="", unit="", dimensions_key="", **extra):
    return Observation.objects.create(
        indicator=indicator,
        country=country,
        area_code=country.iso3,
        period=extra.pop("period", str(year)),
        year=year,
        value=value,
        series=series,
        unit=unit,
        dimensions_key=dimensions_key,
        **extra,
    )


@pytest.fixture
def kyrgyz_series(child_labour, kyrgyzstan):
    """Kyrgyzstan's SL_TLF_CHLDEC totals (SDMX file), plus disaggregations that must be ignored."""
    for year, value in ((2014, 25.8), (2018, 26.7), (2023, 19.6)):
        observe(child_labour, kyrgyzstan, year, value, series="SL_TLF_CHLDEC", unit="PT")
        observe(
            child_labour,
            kyrgyzstan,
            year,
            value * 1.4,
            series="SL_TLF_CHLDEC",
            unit="PT",
            dimensions_key="sex=M",
            dimensions={"sex": "M"},
        )
    return child_labour


def test_only_totals_are_assessed_one_series_per_code_and_unit(kyrgyz_series, kyrgyzstan):
    result = progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="kgz")

    assert [(item.series, item.unit, item.observations) for item in result.series] == [
        ("SL_TLF_CHLDEC", "PT", 3)
    ]
    # The numbers of test_progress.py's Kyrgyzstan examples: the totals, not the boys.
    assert result.series[0].assessment.open_sdg.progress_value == pytest.approx(0.0781830, 1e-4)
    assert result.series[0].assessment.unsd.progress_ratio == pytest.approx(0.285321, 1e-4)
    assert result.goal.target_value == 0
    assert result.goal.target_year == 2025
    assert result.goal.percent_unit is True


def test_each_series_is_assessed_and_the_indicator_aggregates_them(child_labour, kyrgyzstan):
    # Percent: 25.8 → 19.6 (2015 → 2023), Open SDG score −2.27940 (test_progress.py).
    # Number: 20 → 12 (2015 → 2020) with target 0 by 2025: CAGR = −0.0971195,
    #   CAGR_T = (0.001/20)^(1/10) − 1 = exp(−0.990349) − 1 = −0.628552,
    #   R = 0.0971195/0.628552 = 0.154513 → limited; score = 4.1667·0.154513 − 2.5 = −1.85619
    # Indicator score = (−2.27940 − 1.85619)/2 = −2.06780 → limited progress
    for year, value in ((2015, 25.8), (2023, 19.6)):
        observe(child_labour, kyrgyzstan, year, value, unit="%")
    for year, value in ((2015, 20), (2020, 12)):
        observe(child_labour, kyrgyzstan, year, value, unit="number")

    result = progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")

    assert len(result.series) == 2
    assert result.open_sdg.score == pytest.approx(-2.06780, rel=1e-4)
    assert result.open_sdg.status == "limited_progress"
    assert result.open_sdg.series_assessed == 2
    assert result.headline.unit == "%"


def observe_by(indicator, country, year, value, **dimensions):
    """An observation of SL_TLF_CHLDEC in PT with these dimensions (as the SDMX importer)."""
    return observe(
        indicator,
        country,
        year,
        value,
        series="SL_TLF_CHLDEC",
        unit="PT",
        dimensions=dimensions,
        dimensions_key="|".join(f"{name}={dimensions[name]}" for name in sorted(dimensions)),
    )


@pytest.fixture
def kyrgyz_sdmx_file(child_labour, kyrgyzstan):
    """As Kyrgyzstan's national SDMX file: AGE on every row, no row without dimensions."""
    for year, value in ((2014, 25.8), (2018, 26.7), (2023, 19.6)):
        observe_by(child_labour, kyrgyzstan, year, value, AGE="Y5T17")
        for band, share in (("Y5T11", 24.5), ("Y12T14", 25.0), ("Y15T17", 30.4)):
            observe_by(child_labour, kyrgyzstan, year, share, AGE=band)
        observe_by(child_labour, kyrgyzstan, year, 27.5, AGE="Y5T17", COMPOSITE_BREAKDOWN="_L")
        observe_by(child_labour, kyrgyzstan, year, 15.5, AGE="Y5T17", REF_AREA="KG02")
    return child_labour


def test_without_totals_the_widest_age_band_is_assessed_and_named(kyrgyz_sdmx_file):
    result = progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")

    assert [(item.series, item.observations, item.breakdown) for item in result.series] == [
        ("SL_TLF_CHLDEC", 3, {"AGE": "Y5T17"})
    ]
    # The same numbers as the totals of test_only_totals_are_assessed_one_series_per_code_and_unit.
    assert result.series[0].assessment.open_sdg.progress_value == pytest.approx(0.0781830, 1e-4)
    assert result.open_sdg.status == "limited_progress"
    assert result.unsd.status == "acceleration_needed"
    document = progress_service.progress_document(result)
    assert document["headline_series"] == {
        "series": "SL_TLF_CHLDEC",
        "unit": "PT",
        "breakdown": {"AGE": "Y5T17"},
    }
    assert document["methods"]["unsd"]["series"][0]["breakdown"] == {"AGE": "Y5T17"}
    assert document["series"][0]["breakdown"] == {"AGE": "Y5T17"}


def test_totals_are_named_with_an_empty_breakdown(kyrgyz_series):
    document = progress_service.progress_document(
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")
    )

    assert document["headline_series"]["breakdown"] == {}


def test_age_bands_without_a_widest_one_are_still_unable_to_assess(child_labour, kyrgyzstan):
    for year in (2015, 2020):
        observe_by(child_labour, kyrgyzstan, year, 20.0, AGE="Y5T14")
        observe_by(child_labour, kyrgyzstan, year, 30.0, AGE="Y15T17")

    result = progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")

    assert result.series == []
    assert result.open_sdg.status == "no_result"


def test_the_api_returns_the_breakdown_assessed(client, kyrgyz_sdmx_file):
    response = client.get("/api/v1/indicators/8.7.1/progress", {"country": "KGZ"})

    assert response.status_code == 200
    document = response.json()
    assert document["headline_series"]["breakdown"] == {"AGE": "Y5T17"}
    assert document["methods"]["open_sdg"]["status"] == "limited_progress"


def test_a_country_without_data_has_no_result(child_labour, kyrgyzstan):
    document = progress_service.progress_document(
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")
    )

    for method in ("open_sdg", "unsd"):
        assert document["methods"][method]["status"] == "no_result"
        assert document["methods"][method]["reason"] == "no_data"
        assert document["methods"][method]["series"] == []
    assert document["years_to_target"] is None
    assert document["series"] == []


def test_unknown_indicator_is_not_found(kyrgyzstan):
    with pytest.raises(NotFound, match=r"9\.9\.9"):
        progress_service.indicator_progress(indicator_code="9.9.9", country_iso3="KGZ")


def test_unknown_country_is_not_found(child_labour):
    with pytest.raises(NotFound, match="QQQ"):
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="QQQ")


@pytest.mark.parametrize("iso3", ["", "KG", "KGZZ", "K1Z"])
def test_malformed_country_is_invalid_input(child_labour, iso3):
    with pytest.raises(InvalidInput):
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3=iso3)


def test_dashed_code_reads_as_the_dotted_code(kyrgyz_series):
    result = progress_service.indicator_progress(indicator_code="8-7-1", country_iso3="KGZ")

    assert result.indicator.code == "8.7.1"


def test_two_values_for_one_year_are_a_conflict(child_labour, kyrgyzstan):
    observe(child_labour, kyrgyzstan, 2013, 5.5, period="2013")
    observe(child_labour, kyrgyzstan, 2013, 5.6, period="2013-14")
    observe(child_labour, kyrgyzstan, 2016, 3.6, period="2016-17")

    with pytest.raises(Conflict) as error:
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")

    assert error.value.code == "duplicate_years"
    assert error.value.details["years"] == [2013]


def test_indicator_without_target_uses_the_no_target_variants(kyrgyzstan):
    # 100 → 95 (2015 → 2020), decrease desirable, no target: Open SDG P = 0.0102062 → moderate;
    # UNSD CAGR −0.0102062 → acceleration needed (test_progress.py).
    indicator = Indicator.objects.create(
        code="gsi-prevalence", kind=Indicator.Kind.AGREED, title_en="Prevalence"
    )
    observe(indicator, kyrgyzstan, 2015, 100)
    observe(indicator, kyrgyzstan, 2020, 95)

    document = progress_service.progress_document(
        progress_service.indicator_progress(indicator_code="gsi-prevalence", country_iso3="KGZ")
    )

    assert document["methods"]["open_sdg"]["status"] == "moderate_progress"
    assert document["methods"]["open_sdg"]["progress_measure"] == "P"
    assert document["methods"]["unsd"]["status"] == "acceleration_needed"
    assert document["goal"]["target_value"] is None
    assert document["years_to_target"] is None


def test_bounds_from_observations_reach_the_document(child_labour, kyrgyzstan):
    observe(child_labour, kyrgyzstan, 2015, 25.8, lower_bound=24.0, upper_bound=27.6)
    observe(child_labour, kyrgyzstan, 2023, 19.6, lower_bound=18.0, upper_bound=21.2)

    document = progress_service.progress_document(
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")
    )

    open_sdg = document["methods"]["open_sdg"]
    assert open_sdg["robust"] is True
    assert open_sdg["series"][0]["bounds"]["pessimistic"] == {
        "status": "limited_progress",
        "base_value": 24.0,
        "current_value": 21.2,
    }


def test_the_document_names_each_method_with_its_status_and_components(kyrgyz_series):
    document = progress_service.progress_document(
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")
    )

    assert (document["indicator"], document["country"]) == ("8.7.1", "KGZ")
    open_sdg, unsd = document["methods"]["open_sdg"], document["methods"]["unsd"]
    assert open_sdg["status"] == "limited_progress"
    assert open_sdg["label_key"] == "progress.open_sdg.limited_progress"
    assert (open_sdg["base_year"], open_sdg["base_value"]) == (2018, 26.7)
    assert (open_sdg["current_year"], open_sdg["current_value"]) == (2023, 19.6)
    assert (open_sdg["target_year"], open_sdg["target_value"]) == (2025, 0.001)
    assert (open_sdg["direction"], open_sdg["sign"]) == (-1, 1)
    assert open_sdg["thresholds"] == {"high": 0.95, "medium": 0.6, "low": 0.0}
    assert open_sdg["progress_measure"] == "R"
    assert open_sdg["score"] == pytest.approx(-2.17424, rel=1e-4)
    assert open_sdg["notes"] == ["target_zero_replaced"]
    assert unsd["status"] == "acceleration_needed"
    assert unsd["score"] == 2
    assert unsd["base_year"] == 2014
    assert unsd["progress_ratio"] == pytest.approx(0.285321, rel=1e-4)
    assert unsd["series"][0]["series"] == "SL_TLF_CHLDEC"
    # Outlook from 2014 (Method B's base): linear (0 − 19.6)/((19.6 − 25.8)/9) = 28.4516 years;
    # required: (0 − 19.6)/(2025 − 2023) = −9.8 a year.
    assert document["years_to_target_linear"] == pytest.approx(28.4516, rel=1e-4)
    assert document["required_annual_change"] == pytest.approx(-9.8)
    json.dumps(document)  # plain JSON types only


# --- sdg87 progress ---------------------------------------------------------------------------


def test_cli_json_has_both_methods(kyrgyz_series, capsys):
    code = cli.main(["progress", "8.7.1", "--country", "KGZ", "--json"])

    captured = capsys.readouterr()
    assert code == 0, captured.err
    document = json.loads(captured.out)
    assert set(document["methods"]) == {"open_sdg", "unsd"}
    assert document["methods"]["open_sdg"]["status"] == "limited_progress"
    assert document["methods"]["unsd"]["status"] == "acceleration_needed"


def test_cli_text_shows_a_table_per_series_and_method(kyrgyz_series, capsys):
    code = cli.main(["progress", "8.7.1", "--country", "KGZ"])

    out = capsys.readouterr().out
    assert code == 0
    assert "Series SL_TLF_CHLDEC, unit PT: 3 observations, 2014-2023" in out
    assert "Open SDG  limited_progress" in out
    assert "UNSD      acceleration_needed" in out
    assert "Annual rate now required" in out


@pytest.mark.parametrize(
    ("indicator", "country", "message"),
    [("9.9.9", "KGZ", "no indicator"), ("8.7.1", "QQQ", "no country"), ("8.7.1", "K", "ISO")],
)
def test_cli_unknown_or_malformed_input_exits_2(
    child_labour, kyrgyzstan, capsys, indicator, country, message
):
    code = cli.main(["progress", indicator, "--country", country, "--json"])

    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err
    assert captured.err.count("\n") == 1
    assert json.loads(captured.out)["error"]["code"] == "invalid_input"


def test_cli_country_without_data_exits_0_with_no_result(child_labour, kyrgyzstan, capsys):
    code = cli.main(["progress", "8.7.1", "--country", "KGZ", "--json"])

    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["methods"]["open_sdg"]["status"] == "no_result"
    assert document["methods"]["open_sdg"]["reason"] == "no_data"


def test_cli_country_without_data_says_so_in_text(child_labour, kyrgyzstan, capsys):
    code = cli.main(["progress", "8.7.1", "--country", "KGZ"])

    assert code == 0
    assert "No data: no_data." in capsys.readouterr().out
