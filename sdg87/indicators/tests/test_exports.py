"""Exports: every format re-imports to identical observations; spreadsheets are safe."""

from __future__ import annotations

import csv
import io

import pytest

from sdg87.indicators import selectors
from sdg87.indicators.exports import format_number, neutralise
from sdg87.indicators.models import Observation
from sdg87.indicators.services import observations_import
from sdg87.indicators.tests.import_support import (
    FIXTURES,
    csv_text,
    load_indicator_reference,
    write,
)

pytestmark = pytest.mark.django_db

FIELDS = (
    "indicator__code",
    "area_code",
    "country__iso3",
    "region__m49",
    "year",
    "period",
    "value",
    "unit",
    "unit_multiplier",
    "series",
    "dimensions",
    "dimensions_key",
    "lower_bound",
    "upper_bound",
    "observation_status",
    "source",
    "footnote",
    "attributes",
)
HOSTILE = '=HYPERLINK("http://example.org/x","click")'


def snapshot() -> list[tuple]:
    return sorted(Observation.objects.values_list(*FIELDS), key=lambda row: tuple(map(str, row)))


@pytest.fixture
def varied_data(db, tmp_path):
    """Countries and a region, periods, bounds, dimensions, attributes, sub-national areas,
    negative numbers and text that a spreadsheet would run as a formula."""
    load_indicator_reference()
    observations_import(files=[FIXTURES / "open_sdg_nga" / "indicator_8-7-1.csv"], country="NGA")
    observations_import(files=[FIXTURES / "sdmx_gha.csv"])
    observations_import(files=[FIXTURES / "tidy_phl.csv"])
    observations_import(files=[FIXTURES / "open_sdg_zmb" / "indicator_16-2-2.csv"], country="ZMB")
    tricky = write(
        tmp_path / "tricky.csv",
        csv_text(
            [
                [
                    "indicator",
                    "area",
                    "period",
                    "value",
                    "unit",
                    "footnote",
                    "dim:group",
                    "attr:NOTE",
                ],
                ["8.7.1", "001", "2012", "-2.5", "-", HOSTILE, "+ve", "@risk"],
                ["8.7.1", "001", "2013-14", "1e-07", "percent", "@mention", "-1", ""],
                ["8.7.1", "KEN", "2019/20", "123456789012", "number", "line\nbreak", "", ""],
            ]
        ),
    )
    observations_import(files=[tricky], source="=cmd|' /C calc'!A0")
    return snapshot()


@pytest.mark.parametrize("fmt", ["csv", "sdmx-csv", "xlsx"])
def test_an_exported_file_reimports_to_identical_observations(varied_data, tmp_path, fmt):
    indicators = sorted(set(Observation.objects.values_list("indicator__code", flat=True)))
    files = []
    for code in indicators:
        indicator = selectors.indicator_get(code)
        export = selectors.observations_export(
            selectors.observation_list(indicator=indicator), fmt=fmt, indicator=indicator
        )
        files.append(write(tmp_path / f"{code}-{export.filename}", export.content))
    Observation.objects.all().delete()

    report = observations_import(files=files)

    assert report.created == len(varied_data)
    assert snapshot() == varied_data


def test_reimporting_an_export_over_the_data_changes_nothing(varied_data, tmp_path):
    indicator = selectors.indicator_get("8.7.1")
    export = selectors.observations_export(
        selectors.observation_list(indicator=indicator), fmt="sdmx-csv", indicator=indicator
    )

    report = observations_import(files=[write(tmp_path / "export.csv", export.content)])

    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == Observation.objects.filter(indicator=indicator).count()


def test_csv_cells_that_would_run_as_formulas_are_neutralised(varied_data):
    indicator = selectors.indicator_get("8.7.1")
    export = selectors.observations_export(
        selectors.observation_list(indicator=indicator, area="001"), fmt="csv", indicator=indicator
    )

    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8"))))
    hostile = next(row for row in rows if row["period"] == "2012")
    assert hostile["footnote"] == "'" + HOSTILE
    assert hostile["source"] == "'=cmd|' /C calc'!A0"
    assert hostile["dim:group"] == "'+ve"
    assert hostile["attr:NOTE"] == "'@risk"
    assert hostile["unit"] == "'-"
    assert hostile["value"] == "-2.5"
    tabbed = next(row for row in rows if row["period"] == "2013-14")
    assert tabbed["footnote"] == "'@mention"
    assert tabbed["dim:group"] == "'-1"
    assert tabbed["value"] == "1e-07"


def test_xlsx_cells_hold_no_formula_and_numbers_stay_numbers(varied_data):
    from openpyxl import load_workbook

    indicator = selectors.indicator_get("8.7.1")
    export = selectors.observations_export(
        selectors.observation_list(indicator=indicator, area="001"), fmt="xlsx", indicator=indicator
    )

    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [cell.value for cell in sheet[1]]
    cells = {
        row[header.index("period")].value: {name: row[i] for i, name in enumerate(header)}
        for row in sheet.iter_rows(min_row=2)
    }
    hostile = cells["2012"]
    assert hostile["footnote"].data_type == "s"
    assert hostile["footnote"].value == "'" + HOSTILE
    assert hostile["value"].value == -2.5
    assert hostile["value"].data_type == "n"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_neutralise_only_touches_text_starting_with_a_trigger():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("Female") == "Female"
    assert neutralise("") == ""


def test_numbers_are_written_so_that_they_read_back_exactly():
    for value in (39300.0, 0.84, -2.5, 1e-07, 123456789012.0, 0.1 + 0.2):
        assert float(format_number(value)) == value
    assert format_number(39300.0) == "39300"


def test_the_file_name_says_indicator_country_and_format(varied_data):
    indicator = selectors.indicator_get("8.7.1")
    export = selectors.observations_export(
        selectors.observation_list(indicator=indicator, country="NGA"),
        fmt="sdmx-csv",
        indicator=indicator,
        country="NGA",
    )

    assert export.filename == "sdg87_8-7-1_nga-sdmx.csv"
