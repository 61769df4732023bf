"""The headline rule (pure, no database): which rows of a country's series stand for the whole."""

from __future__ import annotations

import math

import pytest

from sdg87.indicators.headline import (
    age_band,
    breakdown_code,
    headline_rows,
    headlines_by_series,
    is_total_code,
    widest_age,
)


def row(period: str, value: float = 1.0, **dimensions: str) -> dict:
    return {"period": period, "value": value, "dimensions": dimensions}


def kyrgyz_rows() -> list[dict]:
    """Kyrgyzstan's 8.7.1 SDMX rows: AGE on every row, no row without dimensions."""
    rows = []
    for period, total in (("2014", 25.8), ("2018", 26.7), ("2023", 19.6)):
        rows.append(row(period, total, AGE="Y5T17"))
        rows += [row(period, 20.0, AGE=band) for band in ("Y5T11", "Y12T14", "Y15T17")]
        rows.append(row(period, 27.5, AGE="Y5T17", COMPOSITE_BREAKDOWN="_L_SCH_ATT"))
        rows.append(row(period, 15.5, AGE="Y5T17", REF_AREA="KG02"))
    return rows


def test_totals_win_over_any_breakdown():
    rows = [row("2020", 5.0), row("2020", 9.0, AGE="Y5T17"), row("2021", 4.0, SEX="_T")]

    headline = headline_rows(rows)

    assert [item["value"] for item in headline.rows] == [5.0]
    assert headline.breakdown == {}
    assert not headline.from_breakdown


def test_without_totals_the_widest_age_band_stands_for_the_whole():
    headline = headline_rows(kyrgyz_rows())

    assert [(item["period"], item["value"]) for item in headline.rows] == [
        ("2014", 25.8),
        ("2018", 26.7),
        ("2023", 19.6),
    ]
    assert headline.breakdown == {"AGE": "Y5T17"}
    assert headline.from_breakdown


def test_rows_with_a_real_breakdown_beside_the_widest_band_are_left_out():
    rows = [row("2020", 1.0, AGE="Y5T17", REF_AREA="KG02")]

    assert not headline_rows(rows).found


@pytest.mark.parametrize("total", ["_T", "BOTHSEX", "Both sexes", "total"])
def test_a_sex_total_stands_for_the_whole(total):
    rows = [row("2020", 3.0, SEX="F"), row("2020", 5.0, SEX=total), row("2020", 7.0, SEX="M")]

    headline = headline_rows(rows)

    assert [item["value"] for item in headline.rows] == [5.0]
    assert headline.breakdown == {"SEX": total}


def test_each_dimension_takes_its_total_or_widest_value():
    rows = [
        row("2020", 1.0, AGE="Y5T17", SEX="_T", URBANISATION="ALLAREA"),
        row("2020", 2.0, AGE="Y5T17", SEX="F", URBANISATION="ALLAREA"),
        row("2020", 3.0, AGE="Y5T14", SEX="_T", URBANISATION="ALLAREA"),
        row("2020", 4.0, AGE="Y5T17", SEX="_T", URBANISATION="U"),
    ]

    headline = headline_rows(rows)

    assert [item["value"] for item in headline.rows] == [1.0]
    assert headline.breakdown == {"AGE": "Y5T17", "SEX": "_T", "URBANISATION": "ALLAREA"}


def test_age_bands_without_one_covering_the_others_give_no_headline():
    rows = [row("2020", 1.0, age="5-14 years"), row("2020", 2.0, age="15-17 years")]

    assert not headline_rows(rows).found


def test_two_candidate_rows_for_one_period_are_ambiguous():
    # Both describe the whole population, but which one is the headline is not ours to guess.
    rows = [row("2020", 1.0, AGE="Y5T17"), row("2020", 1.1, AGE="Y5T17", SEX="_T")]

    headline = headline_rows(rows)

    assert not headline.found
    assert headline.breakdown == {}


def test_every_period_keeps_its_headline_row():
    rows = [row(period, float(index), SEX="_T") for index, period in enumerate(("2015", "2019"))]
    rows += [row("2015", 9.0, SEX="F"), row("2019", 9.0, SEX="M")]

    headline = headline_rows(rows)

    assert [item["period"] for item in headline.rows] == ["2015", "2019"]


def test_a_dimension_other_than_age_without_a_total_gives_no_headline():
    rows = [row("2020", 1.0, SEX="F"), row("2020", 2.0, SEX="M")]

    assert not headline_rows(rows).found


def test_an_empty_dimension_value_is_no_disaggregation():
    headline = headline_rows([{"period": "2020", "dimensions": {"sex": ""}}])

    assert headline.found
    assert headline.breakdown == {}


def test_headlines_are_chosen_per_series_and_series_without_one_are_left_out():
    rows = [
        {**row("2020", 1.0, AGE="Y5T17"), "series": "A"},
        {**row("2020", 2.0, SEX="F"), "series": "B"},
        {**row("2020", 3.0), "series": "C"},
    ]

    headlines = headlines_by_series(rows, key=lambda item: item["series"])

    assert {key: value.breakdown for key, value in headlines.items()} == {
        "A": {"AGE": "Y5T17"},
        "C": {},
    }


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("Y5T17", (5, 17)),
        ("Y_GE15", (15, math.inf)),
        ("YGE15", (15, math.inf)),
        ("Y_LT5", (0, 4)),
        ("Y15", (15, 15)),
        ("5-17 years", (5, 17)),
        ("aged 12-15 years", (12, 15)),
        ("15 - 19 years", (15, 19)),
        ("16 to 24", (16, 24)),
        ("Under 15 years", (0, 14)),
        ("15+", (15, math.inf)),
        ("15 years and over", (15, math.inf)),
        ("before age 15", None),
        ("'14'", None),
    ],
)
def test_age_bands_are_read_from_codes_and_text(value, band):
    assert age_band(value) == band


def test_the_widest_band_must_cover_every_other_band():
    assert widest_age(["Y5T11", "Y12T14", "Y15T17", "Y5T17"]) == "Y5T17"
    assert widest_age(["Y5T17", "Y_GE5"]) == "Y_GE5"
    assert widest_age(["Y5T14", "Y15T17"]) is None
    assert widest_age(["Y5T17", "unknown"]) is None


@pytest.mark.parametrize(
    ("value", "total"),
    [
        ("_T", True),
        ("_z", True),
        ("ALLAREA", True),
        ("All Migratory Statuses", True),
        ("Total, gender", True),
        ("Both", True),
        ("All other sectors", False),
        ("F", False),
        ("Tot", False),
    ],
)
def test_total_codes_and_labels(value, total):
    assert is_total_code(value) is total


def test_breakdown_code_reads_like_a_dimensions_key():
    assert breakdown_code({"SEX": "_T", "AGE": "Y5T17"}) == "AGE=Y5T17|SEX=_T"
