"""The importers as pure functions: files in, rows and precisely located problems out."""

from __future__ import annotations

import pytest

from sdg87.indicators.importers import detect_format, read_files
from sdg87.indicators.importers.base import (
    ImportProblem,
    clean_text,
    parse_number,
    parse_period,
    parse_unit_multiplier,
)
from sdg87.indicators.tests.import_support import (
    context,
    csv_text,
    fixture,
    source,
    xlsx_bytes,
)


def read_one(file, **options):
    [parsed] = read_files([file], context(**options))
    return parsed


def only_problem(parsed) -> ImportProblem:
    assert parsed.problem_count == 1, [str(problem) for problem in parsed.problems]
    return parsed.problems[0]


# --- cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", ("2019", 2019, "")),
        ("2013-14", ("2013-14", 2014, "")),
        ("2018/19", ("2018/19", 2019, "")),
        ("1999/00", ("1999/00", 2000, "")),
        ("2013-2014", ("2013-2014", 2014, "")),
        ("2019/20 [Note 5]", ("2019/20", 2020, "[Note 5]")),
        ("2021-2022*", ("2021-2022", 2022, "*")),
    ],
)
def test_periods_keep_their_text_and_date_to_the_end_year(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2015Q1", "15", "2019-05-01", "2020-2010", "There is not data"])
def test_texts_that_are_not_periods_are_refused(text):
    assert parse_period(text) is None


@pytest.mark.parametrize("text", ["1_000", "nan", "inf", "1,5", "12%", "abc", ""])
def test_only_plain_finite_numbers_are_values(text):
    assert parse_number(text) is None


def test_negative_and_exponent_numbers_are_values():
    assert parse_number("-2.5") == -2.5
    assert parse_number("1e3") == 1000.0


def test_unit_multipliers_are_powers_of_ten_or_words():
    assert parse_unit_multiplier("Units") == 0
    assert parse_unit_multiplier("Thousands") == 3
    assert parse_unit_multiplier("6") == 6
    assert parse_unit_multiplier("dozens") is None


def test_the_exports_anti_formula_apostrophe_is_removed_on_import():
    assert clean_text("'=SUM(A1:A3)") == "=SUM(A1:A3)"
    assert clean_text("'-") == "-"
    assert clean_text("'16'") == "'16'"


# --- Open SDG --------------------------------------------------------------------------


def test_open_sdg_file_of_a_country_not_bundled_is_read_with_its_quirks():
    parsed = read_one(fixture("open_sdg_nga/indicator_8-7-1.csv"), country="NGA")

    assert parsed.problems == []
    assert parsed.format == "open-sdg"
    assert len(parsed.rows) == 8
    first = parsed.rows[0]
    assert (first.indicator, first.area, first.period, first.year) == (
        "8.7.1",
        "NGA",
        "2016-17",
        2017,
    )
    assert (first.value, first.unit, first.dimensions) == (31.5, "%", {})
    lagos = next(row for row in parsed.rows if row.dimensions.get("GeoCode"))
    assert lagos.dimensions == {"GeoCode": "NG-LA"}
    assert parsed.skipped == {"empty value: no observation": 1}
    assert parsed.skipped_examples["empty value: no observation"] == [7]


def test_a_total_column_labels_totals_and_is_not_a_disaggregation():
    parsed = read_one(fixture("open_sdg_zmb/indicator_16-2-2.csv"), country="ZMB")

    totals = [row for row in parsed.rows if not row.dimensions]
    assert [(row.year, row.value) for row in totals] == [(2019, 87.0), (2020, 102.0)]
    assert {row.dimensions_key for row in parsed.rows} == {
        "",
        "Disaggregation=Female",
        "Disaggregation=Male",
    }


def test_placeholder_rows_of_a_not_started_indicator_are_skipped_and_reported():
    parsed = read_one(fixture("open_sdg_zmb/indicator_8-8-2.csv"), country="ZMB")

    assert parsed.rows == []
    assert parsed.problems == []
    assert sum(parsed.skipped.values()) == 6
    assert any("notstarted" in warning for warning in parsed.warnings)


def test_a_header_only_file_imports_nothing_and_says_so():
    parsed = read_one(source("indicator_16-2-3.csv", "Year,Series,Units,Value\n"), country="ARM")

    assert parsed.rows == []
    assert parsed.problems == []
    assert parsed.warnings == ["the file has a header but no data rows: nothing to import"]


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_is_an_error(content):
    problem = only_problem(read_one(source("indicator_8-7-1.csv", content), country="ARM"))

    assert problem.file == "indicator_8-7-1.csv"
    assert "empty" in problem.message


def test_a_file_not_in_utf8_is_an_error_naming_the_line():
    content = "Year,Sex,Value\n2015,Male,1\n2016,Fémale,2\n".encode("latin-1")

    problem = only_problem(read_one(source("indicator_8-7-1.csv", content), country="ARM"))

    assert problem.line == 3
    assert "not UTF-8" in problem.message


def test_a_utf16_file_is_an_error_but_a_utf8_bom_is_fine():
    utf16 = "Year,Value\n2015,1\n".encode("utf-16")
    bom = b"\xef\xbb\xbfYear,Value\n2015,1\n"

    assert (
        "UTF-16"
        in only_problem(read_one(source("indicator_8-7-1.csv", utf16), country="ARM")).message
    )
    assert len(read_one(source("indicator_8-7-1.csv", bom), country="ARM").rows) == 1


def test_a_non_numeric_value_names_file_row_line_and_column():
    text = "Year,Sex,Value\n2015,,4.5\n2016,,n/a\n"

    problem = only_problem(read_one(source("indicator_8-7-1.csv", text), country="ARM"))

    assert (problem.file, problem.row, problem.line, problem.column) == (
        "indicator_8-7-1.csv",
        2,
        3,
        "Value",
    )
    assert str(problem) == (
        "indicator_8-7-1.csv row 2 (line 3), column 'Value': 'n/a' is not a number"
    )


def test_a_year_that_is_not_a_period_is_an_error_in_the_year_column():
    problem = only_problem(
        read_one(source("indicator_8-7-1.csv", "Year,Value\n2015Q1,3\n"), country="ARM")
    )

    assert (problem.row, problem.column) == (1, "Year")


def test_an_unknown_indicator_in_the_file_name_is_an_error():
    problem = only_problem(
        read_one(source("indicator_99-9-9.csv", "Year,Value\n2015,3\n"), country="ARM")
    )

    assert problem.column == "file name"
    assert "unknown indicator code '99.9.9'" in problem.message


def test_a_file_without_country_needs_the_country_option():
    problem = only_problem(read_one(source("indicator_8-7-1.csv", "Year,Value\n2015,3\n")))

    assert problem.column == "--country"


def test_an_unknown_country_option_is_an_error():
    problem = only_problem(
        read_one(source("indicator_8-7-1.csv", "Year,Value\n2015,3\n"), country="XYZ")
    )

    assert problem.column == "--country"


def test_an_iso3_column_names_the_country_of_each_row():
    text = "Year,ISO3,Value\n2015,KEN,3\n2015,UGA,4\n2015,XXX,5\n"

    parsed = read_one(source("indicator_8-7-1.csv", text))

    assert [row.area for row in parsed.rows] == ["KEN", "UGA"]
    problem = only_problem(parsed)
    assert (problem.row, problem.column) == (3, "ISO3")


def test_a_national_variant_file_goes_to_its_sdg_indicator_as_a_series():
    parsed = read_one(source("indicator_16-2-2-a.csv", "Year,Value\n2019,8\n"), country="ARM")

    [row] = parsed.rows
    assert (row.indicator, row.series) == ("16.2.2", "16.2.2.a")


def test_a_period_note_goes_to_the_footnote():
    parsed = read_one(
        source("indicator_8-8-1.csv", "Year,Value\n2019/20 [Note 5],6.26\n"), country="GBR"
    )

    [row] = parsed.rows
    assert (row.period, row.year, row.footnote) == ("2019/20", 2020, "[Note 5]")


def test_units_separate_series_in_open_sdg_files():
    text = "Year,Units,Value\n2015,number,39300\n2015,%,8.7\n2016,number,38000\n"

    parsed = read_one(source("indicator_8-7-1.csv", text), country="ARM")

    assert parsed.problems == []
    assert len(parsed.rows) == 3


# --- SDMX-CSV -----------------------------------------------------------------------------


def test_sdmx_file_of_a_country_not_bundled_is_read():
    parsed = read_one(fixture("sdmx_gha.csv"))

    assert parsed.problems == []
    chldec = [row for row in parsed.rows if row.series == "SL_TLF_CHLDEC"]
    assert len(chldec) == 6
    total = chldec[0]
    assert (total.indicator, total.area, total.year, total.value) == ("8.7.1", "GHA", 2017, 21.8)
    assert total.dimensions == {"AGE": "Y5T17"}
    assert total.attributes == {
        "FREQ": "A",
        "NATURE": "C",
        "REPORTING_TYPE": "N",
        "TIME_DETAIL": "2017-2018",
    }
    assert total.source == "GLSS 7"
    northern = chldec[-1]
    assert (northern.area, northern.dimensions["REF_AREA"]) == ("GHA", "GH02")
    assert northern.footnote == "Northern region"
    victims = [row for row in parsed.rows if row.series == "VC_HTF_DETV"]
    assert [(row.indicator, row.year, row.value) for row in victims] == [
        ("16.2.2", 2021, 436.0),
        ("16.2.2", 2022, 512.0),
    ]
    assert parsed.skipped["empty OBS_VALUE: no observation"] == 1
    assert parsed.skipped["series SI_POV_DAY9 is not linked to an indicator of this platform"] == 1


def test_an_sdmx_file_of_unknown_series_only_is_refused_with_the_series_column():
    text = "SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\nXX_UNKNOWN,KE,2020,1\n"

    problem = only_problem(read_one(source("data.csv", text)))

    assert (problem.row, problem.line, problem.column) == (1, 2, "SERIES")
    assert "--indicator" in problem.message


def test_the_indicator_option_takes_series_no_indicator_lists():
    text = "SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\nXX_NATIONAL,KE,2020,1\n"

    [row] = read_one(source("data.csv", text), indicator="8.7.1").rows

    assert (row.indicator, row.series) == ("8.7.1", "XX_NATIONAL")


def test_numeric_ref_areas_are_un_m49_codes_of_countries_and_regions():
    text = (
        "SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\nSL_TLF_CHLDEC,1,2020,9.6\nSL_TLF_CHLDEC,4,2020,13\n"
    )

    rows = read_one(source("data.csv", text)).rows

    assert [(row.area, row.is_region) for row in rows] == [("001", True), ("AFG", False)]


def test_letter_codes_mixed_with_short_numbers_need_the_country_option():
    text = (
        "SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\n"
        "SL_TLF_CHLDEA,RW,2017,3.6\nSL_TLF_CHLDEA,11,2017,2.1\n"
    )

    refused = read_one(source("rwa.csv", text))
    accepted = read_one(source("rwa.csv", text), country="RWA")

    assert refused.problems[0].column == "REF_AREA"
    assert "--country" in refused.problems[0].message
    assert [(row.area, row.dimensions) for row in accepted.rows] == [
        ("RWA", {}),
        ("RWA", {"REF_AREA": "11"}),
    ]


def test_another_country_than_the_country_option_is_an_error():
    text = "SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\nSL_TLF_CHLDEA,KZ,2017,3.6\n"

    problem = only_problem(read_one(source("data.csv", text), country="KGZ"))

    assert (problem.row, problem.column) == (1, "REF_AREA")


def test_mixed_units_within_one_sdmx_series_are_an_error():
    text = (
        "SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
        "VC_HTF_DETV,KE,2020,40,NUMBER\nVC_HTF_DETV,KE,2021,0.8,PER_100000_POP\n"
    )

    problem = only_problem(read_one(source("data.csv", text)))

    assert (problem.row, problem.line, problem.column) == (2, 3, "UNIT_MEASURE")
    assert "mixed units" in problem.message


# --- the tidy template ------------------------------------------------------------------


def test_tidy_file_with_dimensions_and_bounds_is_read():
    parsed = read_one(fixture("tidy_phl.csv"))

    assert parsed.problems == []
    assert len(parsed.rows) == 5
    male = parsed.rows[1]
    assert (male.area, male.value, male.lower_bound, male.upper_bound) == ("PHL", 3.1, 2.6, 3.6)
    assert male.dimensions == {"sex": "Male"}
    assert parsed.rows[3].dimensions == {"age": "15-17"}
    assert parsed.rows[4].indicator == "gsi-prevalence"


def test_an_unknown_tidy_column_is_refused_by_name():
    text = "indicator,country,year,value,foot_note\n8.7.1,KEN,2020,3,x\n"

    problem = only_problem(read_one(source("data.csv", text)))

    assert problem.column == "foot_note"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["9.9.9", "KEN", "2020", "3"], "indicator", "unknown indicator code '9.9.9'"),
        (["8.7.1", "KENYA", "2020", "3"], "country", "unknown country 'KENYA'"),
        (["8.7.1", "KEN", "twenty", "3"], "year", "'twenty' is not a year"),
        (["8.7.1", "KEN", "2020", "3,5"], "value", "'3,5' is not a number"),
    ],
)
def test_a_bad_tidy_cell_is_named_by_row_and_column(row, column, reason):
    text = csv_text([["indicator", "country", "year", "value"], ["8.7.1", "KEN", "2019", "1"], row])

    problem = only_problem(read_one(source("data.csv", text)))

    assert (problem.row, problem.line, problem.column) == (2, 3, column)
    assert reason in problem.message


def test_conflicting_duplicates_are_an_error_naming_both_rows():
    text = csv_text(
        [
            ["indicator", "country", "year", "value", "dim:sex"],
            ["8.7.1", "KEN", "2020", "3", "Male"],
            ["8.7.1", "KEN", "2020", "3", "Female"],
            ["8.7.1", "KEN", "2020", "4", "Male"],
        ]
    )

    problem = only_problem(read_one(source("data.csv", text)))

    assert (problem.row, problem.column) == (3, "value")
    assert "conflicting duplicate of row 1" in problem.message


def test_exact_duplicates_are_skipped_and_reported():
    text = csv_text(
        [
            ["indicator", "country", "year", "value"],
            ["8.7.1", "KEN", "2020", "3"],
            ["8.7.1", "KEN", "2020", "3"],
        ]
    )

    parsed = read_one(source("data.csv", text))

    assert len(parsed.rows) == 1
    assert parsed.skipped == {"exact duplicate of an earlier row": 1}


def test_duplicates_across_two_files_name_the_other_file():
    header = ["indicator", "country", "year", "value"]
    first = source("a.csv", csv_text([header, ["8.7.1", "KEN", "2020", "3"]]))
    second = source("b.csv", csv_text([header, ["8.7.1", "KEN", "2020", "5"]]))

    parsed = read_files([first, second], context())

    assert parsed[0].problems == []
    assert "row 1 of a.csv" in parsed[1].problems[0].message


def test_mixed_units_within_one_tidy_series_are_an_error():
    text = csv_text(
        [
            ["indicator", "country", "year", "value", "unit", "series"],
            ["8.7.1", "KEN", "2019", "3", "percent", "SL_TLF_CHLDEC"],
            ["8.7.1", "KEN", "2020", "300000", "number", "SL_TLF_CHLDEC"],
        ]
    )

    problem = only_problem(read_one(source("data.csv", text)))

    assert (problem.row, problem.column) == (2, "unit")


def test_regions_are_areas_by_their_m49_code():
    text = "indicator,area,year,value\n8.7.1,001,2020,9.6\n8.7.1,KEN,2020,3\n"

    rows = read_one(source("data.csv", text)).rows

    assert [(row.area, row.is_region) for row in rows] == [("001", True), ("KEN", False)]


# --- XLSX --------------------------------------------------------------------------------

HEADER = ["indicator", "country", "year", "value", "footnote"]


def test_a_tidy_workbook_is_read():
    content = xlsx_bytes({"data": [HEADER, ["8.7.1", "KEN", 2020, 3.5, "ok"]], "empty": []})

    [row] = read_one(source("data.xlsx", content)).rows

    assert (row.area, row.year, row.value, row.footnote) == ("KEN", 2020, 3.5, "ok")


def test_a_formula_in_a_workbook_is_refused_with_sheet_and_cell():
    content = xlsx_bytes({"data": [HEADER, ["8.7.1", "KEN", 2020, "=1+2", ""]]})

    problem = only_problem(read_one(source("data.xlsx", content)))

    assert (problem.sheet, problem.cell) == ("data", "D2")
    assert "formula" in problem.message


def test_a_workbook_with_two_data_sheets_is_refused():
    content = xlsx_bytes({"a": [HEADER, ["8.7.1", "KEN", 2020, 1, ""]], "b": [HEADER]})

    problem = only_problem(read_one(source("data.xlsx", content)))

    assert "2 sheets with data" in problem.message


def test_a_date_where_a_year_is_expected_is_refused():
    import datetime

    content = xlsx_bytes({"data": [HEADER, ["8.7.1", "KEN", datetime.date(2020, 1, 1), 1, ""]]})

    problem = only_problem(read_one(source("data.xlsx", content)))

    assert problem.cell == "C2"


def test_a_broken_workbook_is_refused():
    problem = only_problem(read_one(source("data.xlsx", b"PK\x03\x04 not really a zip")))

    assert "not an XLSX" in problem.message or "cannot be read" in problem.message


# --- formats -----------------------------------------------------------------------------


def test_formats_are_detected_from_the_header_row():
    assert detect_format(fixture("sdmx_gha.csv")) == "sdmx-csv"
    assert detect_format(fixture("open_sdg_nga/indicator_8-7-1.csv")) == "open-sdg"
    assert detect_format(fixture("tidy_phl.csv")) == "csv"
    assert detect_format(fixture("open_sdg_nga/meta_8-7-1.yml")) == "open-sdg"


def test_an_unknown_layout_is_refused_with_the_columns_each_format_expects():
    problem = detect_format(source("data.csv", "Land,Jahr,Wert\nKEN,2020,3\n"))

    assert isinstance(problem, ImportProblem)
    message = problem.message
    assert "Land, Jahr, Wert" in message
    for expected in ("Open SDG (Year, Value", "SDMX-CSV (SERIES", "tidy template (indicator"):
        assert expected in message


def test_metadata_needs_a_country_and_keeps_its_language():
    english = read_one(fixture("open_sdg_nga/meta_8-7-1.yml"), country="NGA")
    french = read_one(fixture("open_sdg_nga/meta_fr_8-7-1.yml"), country="NGA")
    no_country = read_one(fixture("open_sdg_nga/meta_8-7-1.yml"))

    assert english.metadata[0].language == ""
    assert french.metadata[0].language == "fr"
    assert english.metadata[0].fields["source_date_1"] == "2022-05-01"
    assert only_problem(no_country).column == "--country"


def test_invalid_yaml_names_the_line():
    problem = only_problem(
        read_one(source("meta_8-7-1.yml", "title: ok\nbroken: [unclosed\n"), country="NGA")
    )

    assert problem.line is not None


def test_a_semicolon_separated_open_sdg_file_is_read():
    parsed = read_one(
        source("indicator_8-7-1.csv", "Year;Sex;Value\n2015;;3,5\n2016;Male;4\n"), country="ARM"
    )

    assert [row.value for row in parsed.rows] == [4.0]
    assert only_problem(parsed).column == "Value"


def test_a_lower_case_open_sdg_header_is_still_an_open_sdg_file():
    file = source("indicator_8-7-1.csv", "year,value\n2015.0,3\n")

    [row] = read_one(file, country="ARM").rows

    assert detect_format(file) == "open-sdg"
    assert (row.indicator, row.year, row.period) == ("8.7.1", 2015, "2015")


def test_sdmx_csv_with_labels_is_read_by_its_codes():
    text = (
        "STRUCTURE,STRUCTURE_ID,ACTION,SERIES: Series,REF_AREA: Reference area,"
        "TIME_PERIOD: Time,OBS_VALUE: Observation value,SEX: Sex\n"
        "DATAFLOW,UN:DF_SDG_GLC(1.0),I,SL_TLF_CHLDEC: Proportion of children engaged in "
        "economic activity and household chores,KG: Kyrgyzstan,2023,19.6,F: Female\n"
    )

    file = source("sdg.csv", text)
    [row] = read_one(file).rows

    assert detect_format(file) == "sdmx-csv"
    assert (row.indicator, row.area, row.value, row.dimensions) == (
        "8.7.1",
        "KGZ",
        19.6,
        {"SEX": "F"},
    )
