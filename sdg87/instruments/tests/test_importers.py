"""The file adapters on small fixture files (no database)."""

from datetime import date
from pathlib import Path

import pytest

from sdg87.core.errors import InvalidInput
from sdg87.instruments.importers import PARTY
from sdg87.instruments.importers.country_names import name_key
from sdg87.instruments.importers.hr_status import read_hr_status
from sdg87.instruments.importers.ilab import read_ilab
from sdg87.instruments.importers.treaty_table import read_treaty_table

HEADER = "country,instrument,date,kind,status,source\n"


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read_table(tmp_path, text, **options):
    options.setdefault("instrument", None)
    options.setdefault("source", None)
    return read_treaty_table(write(tmp_path, text), data_dir=tmp_path, **options)


def test_a_treaty_table_row_keeps_its_country_date_precision_and_source(tmp_path):
    result = read_table(tmp_path, HEADER + "FRA,C029,1937-06-24,ratification,in_force,NORMLEX\n")

    (record,) = result.records
    assert (record.country, record.country_scheme, record.instrument) == ("FRA", "iso3", "C029")
    assert (record.date, record.date_precision) == (date(1937, 6, 24), "day")
    assert record.source == "NORMLEX"


def test_a_year_is_stored_as_the_first_of_january_with_year_precision(tmp_path):
    result = read_table(tmp_path, HEADER + "Albania,C029,1957,ratification,ratified,NORMLEX\n")

    (record,) = result.records
    assert (record.date, record.date_precision) == (date(1957, 1, 1), "year")
    assert (record.country, record.country_scheme) == ("Albania", "name")
    assert record.status == PARTY


def test_normlex_denounced_cells_become_a_denounced_status_with_its_year(tmp_path):
    result = read_table(tmp_path, HEADER + "MYS,C105,1958,ratification,denounced 1990,NORMLEX\n")

    (record,) = result.records
    assert record.status == "denounced"
    assert (record.denounced_on, record.denounced_precision) == (date(1990, 1, 1), "year")


def test_a_full_denunciation_date_is_read_with_day_precision(tmp_path):
    result = read_table(
        tmp_path, HEADER + "MYS,C105,1958-03-11,ratification,denounced 1990-01-10,NORMLEX\n"
    )

    assert result.records[0].denounced_on == date(1990, 1, 10)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("a", "accession"),
        ("A", "acceptance"),
        ("AA", "approval"),
        ("d", "succession"),
        ("definitive_signature_or_acceptance_of_protocol", "definitive_signature"),
        ("Ratification", "ratification"),
    ],
)
def test_untc_markers_and_source_kinds_map_to_our_kinds(tmp_path, kind, expected):
    result = read_table(tmp_path, HEADER + f"FRA,PALERMO,2002-08-21,{kind},party,UNTC\n")

    assert result.records[0].kind == expected


def test_not_ratified_rows_and_the_european_union_are_skipped_with_reasons(tmp_path):
    text = (
        "country_name,iso3,date,kind,status\n"
        "Afghanistan,AFG,,,not_ratified\n"
        "European Union,,2006-07-21,approval,party\n"
        "Albania,ALB,2002-08-21,ratification,party\n"
    )

    result = read_table(tmp_path, text, instrument="PALERMO", source="UNTC XVIII-12-a")

    assert [record.country for record in result.records] == ["ALB"]
    assert result.skipped == {
        "not a party according to the source": 1,
        "not a country: European Union": 1,
    }


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("FRA,C029,1950-02-30,ratification,in_force,X", "date", "not a real date"),
        ("FRA,C029,02/03/1950,ratification,in_force,X", "date", "not a date"),
        ("FRA,C029,1950,adoption,in_force,X", "kind", "not a kind"),
        ("FRA,C029,1950,ratification,perhaps,X", "status", "not a status"),
        ("FRA,C029,1950,,in_force,X", "kind", "required"),
        ("FRA,C029,1950,ratification,,X", "status", "required"),
        ("FRA,C029,1950,ratification,signed_only,X", "status", "signature row"),
        ("FRA,C029,1950,signature,denounced 1960,X", "status", "cannot be denounced"),
        ("FRA,C029,1950,ratification,in_force,", "source", "required"),
        (",C029,1950,ratification,in_force,X", "country", "required"),
    ],
)
def test_a_bad_cell_names_file_row_and_field(tmp_path, line, field, message):
    with pytest.raises(InvalidInput) as caught:
        read_table(tmp_path, HEADER + "FRA,C029,1937,ratification,in_force,X\n" + line + "\n")

    assert caught.value.details == {"file": "table.csv", "row": 2, "line": 3, "field": field}
    assert message in caught.value.message


def test_a_file_without_an_instrument_column_needs_the_instrument_option(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        read_table(tmp_path, "iso3,date,kind,status,source\nFRA,1937,ratification,ratified,X\n")

    assert caught.value.details["field"] == "instrument"


def test_the_source_option_fills_rows_without_a_source(tmp_path):
    text = "iso3,date,kind,status\nFRA,1937,ratification,ratified\n"

    result = read_table(tmp_path, text, instrument="C029", source="ILO NORMLEX")

    assert (result.records[0].source, result.records[0].instrument) == ("ILO NORMLEX", "C029")


HR_HEADER = (
    "iso2,member,state party,year ratification or accession,signatory,no action,status,note\n"
)


def test_hr_status_reads_namibia_as_na_and_records_signatories_without_a_date(tmp_path):
    path = write(
        tmp_path,
        HR_HEADER
        + "NA,Namibia,1,1990,0,0,state party,\n"
        + "US,United States,0,,1,0,signatory state,\n"
        + "PW,Palau,0,,0,1,no action,\n",
        "hr_status_crc.csv",
    )

    result = read_hr_status(path, data_dir=tmp_path, instrument="CRC", source="HR")

    namibia, usa = result.records
    assert (namibia.country, namibia.country_scheme) == ("NA", "iso2")
    assert (namibia.kind, namibia.status, namibia.date) == (
        "ratification_or_accession",
        PARTY,
        date(1990, 1, 1),
    )
    assert (usa.kind, usa.status, usa.date) == ("signature", "signed_only", None)
    assert result.skipped == {"no action according to the source": 1}


ILAB_HEADER = (
    "country,iso3_derived,reporting_year,entry_index,C_138_Ratified,C_182_Ratified,"
    "Convention_on_the_Rights_of_the_Child_Ratified,"
    "CRC_Commercial_Sexual_Exploitation_of_Children_Ratified,CRC_Armed_Conflict_Ratified,"
    "Palermo_Ratified\n"
)


def test_ilab_uses_the_latest_reporting_year_with_a_value(tmp_path):
    path = write(
        tmp_path,
        ILAB_HEADER
        + "Kenya,KEN,2016,0,Yes,Yes,Yes,Yes,Yes,No\n"
        + "Kenya,KEN,2017,0,Yes,Yes,Yes,No,Yes,\n"
        + "Kenya,KEN,2018,0,,,,,,Yes\n",
        "ilab.csv",
    )

    result = read_ilab(path, data_dir=tmp_path, instrument=None, source="ILAB")

    by_instrument = {record.instrument: record for record in result.records}
    assert set(by_instrument) == {"C138", "C182", "CRC", "CRC-OP-AC", "PALERMO"}
    assert "reporting year 2018" in by_instrument["PALERMO"].source_detail
    assert all(r.status == "reported_ratified" and r.date is None for r in result.records)
    assert result.skipped == {"ILAB 'No' (latest reporting year)": 1}  # CRC-OP-SC, 2017


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("The former Yugoslav Republic of Macedonia", "former yugoslav republic of macedonia"),
        ("Côte d'Ivoire", "COTE D IVOIRE"),
        ("Bolivia (Plurinational State of)", "Bolivia, Plurinational State of"),
    ],
)
def test_country_names_match_across_accents_case_and_punctuation(first, second):
    assert name_key(first) == name_key(second)
