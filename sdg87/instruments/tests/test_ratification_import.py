"""``sdg87 import-ratifications``: all or nothing, idempotent, errors naming file, row and field."""

import json
from datetime import date
from pathlib import Path

import pytest

from sdg87 import cli
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditEntry
from sdg87.instruments.models import Ratification, RatificationBatch
from sdg87.instruments.services import ratifications_import

HEADER = "country,instrument,date,kind,status,source\n"
GOOD_ROWS = (
    "FRA,C029,1937-06-24,ratification,in_force,NORMLEX pages\n"
    "Malaysia,C105,1958-03-11,ratification,denounced 1990-01-10,NORMLEX pages\n"
    "St. Lucia,PALERMO,2000-12-13,signature,signatory_not_party,UNTC 2024\n"
)


def write(tmp_path: Path, text: str, name: str = "ratifications.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot() -> tuple[int, int, int]:
    return (
        Ratification.objects.count(),
        RatificationBatch.objects.count(),
        AuditEntry.objects.count(),
    )


def test_an_import_creates_rows_with_their_source_and_batch(ratification_data, tmp_path):
    summary = ratifications_import(path=write(tmp_path, HEADER + GOOD_ROWS))

    assert (summary.created, summary.updated, summary.unchanged, summary.rejected) == (3, 0, 0, 0)
    malaysia = Ratification.objects.get(source="NORMLEX pages", country__iso3="MYS")
    assert (malaysia.status, malaysia.denounced_display) == ("denounced", "1990-01-10")
    assert malaysia.first_batch_id == summary.batch
    saint_lucia = Ratification.objects.get(source="UNTC 2024")
    assert (saint_lucia.country.iso3, saint_lucia.status) == ("LCA", "signed_only")


def test_importing_the_same_file_again_changes_nothing(ratification_data, tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS)
    ratifications_import(path=path)
    before = snapshot()

    summary = ratifications_import(path=path)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert summary.batch is None
    assert snapshot() == before


def test_a_corrected_date_updates_the_row_and_audits_the_old_value(ratification_data, tmp_path):
    ratifications_import(path=write(tmp_path, HEADER + GOOD_ROWS))
    corrected = GOOD_ROWS.replace("1937-06-24", "1937-06-25")

    summary = ratifications_import(path=write(tmp_path, HEADER + corrected))

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    france = Ratification.objects.get(source="NORMLEX pages", country__iso3="FRA")
    assert france.date_display == "1937-06-25"
    assert france.last_batch_id == summary.batch != france.first_batch_id
    entry = AuditEntry.objects.filter(action="update", object_id=str(france.pk)).get()
    assert entry.before == {"date": "1937-06-24"}


def test_a_dry_run_counts_but_writes_nothing(ratification_data, tmp_path):
    before = snapshot()

    summary = ratifications_import(path=write(tmp_path, HEADER + GOOD_ROWS), dry_run=True)

    assert (summary.created, summary.dry_run, summary.batch) == (3, True, None)
    assert snapshot() == before


def test_ilo_ratifications_less_than_a_year_old_are_not_yet_in_force(ratification_data, tmp_path):
    path = write(tmp_path, HEADER + "ITA,C029,2026-03-01,ratification,ratified,NORMLEX pages\n")

    ratifications_import(path=path, as_of=None)

    assert Ratification.objects.get(source="NORMLEX pages").status == "not_yet_in_force"


BAD_ROWS = [
    pytest.param(
        "ZZZ,C029,1950,ratification,in_force,X", "country", "unknown country code", id="code"
    ),
    pytest.param(
        "Atlantis,C029,1950,ratification,in_force,X", "country", "unknown country name", id="name"
    ),
    pytest.param(
        "FRA,C999,1950,ratification,in_force,X", "instrument", "unknown instrument", id="instrument"
    ),
    pytest.param(
        "FRA,C029,1920,ratification,in_force,X",
        "date",
        "before C029 was adopted",
        id="before-adoption",
    ),
    pytest.param(
        "FRA,PALERMO,2000-11-01,signature,signed_only,X",
        "date",
        "before PALERMO was adopted",
        id="before-adoption-day",
    ),
    pytest.param("FRA,C029,2099,ratification,in_force,X", "date", "in the future", id="future"),
    pytest.param(
        "FRA,C029,1950-13-01,ratification,in_force,X", "date", "not a real date", id="month-13"
    ),
    pytest.param(
        "FRA,C029,1950-02-30,ratification,in_force,X", "date", "not a real date", id="feb-30"
    ),
    pytest.param(
        "FRA,C029,12.5.1950,ratification,in_force,X", "date", "not a date", id="malformed"
    ),
    pytest.param("FRA,C029,1950,adoption,in_force,X", "kind", "not a kind", id="kind"),
    pytest.param("FRA,C029,1950,ratification,perhaps,X", "status", "not a status", id="status"),
    pytest.param(
        "FRA,C105,1965,ratification,denounced 1960,X",
        "status",
        "precedes the consent",
        id="denounced-before",
    ),
    pytest.param(
        "FRA,C029,1937-06-24,ratification,in_force,NORMLEX pages",
        "country",
        "repeats row 1",
        id="duplicate",
    ),
]


@pytest.mark.parametrize(("line", "field", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_with_file_row_and_field_and_nothing_written(
    ratification_data, tmp_path, line, field, message
):
    path = write(tmp_path, HEADER + GOOD_ROWS + line + "\n")
    before = snapshot()

    with pytest.raises(InvalidInput) as caught:
        ratifications_import(path=path)

    assert message in caught.value.message
    assert caught.value.details["field"] == field
    assert caught.value.details["row"] == 4
    assert "ratifications.csv" in caught.value.details["file"]
    assert snapshot() == before


def test_the_command_prints_a_json_summary_and_exits_0(ratification_data, tmp_path, capsys):
    path = write(tmp_path, HEADER + GOOD_ROWS)

    code = cli.main(["import-ratifications", str(path), "--json"])

    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert {key: summary[key] for key in ("created", "updated", "unchanged", "rejected")} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }


def test_the_command_exits_2_naming_the_row_and_field_and_writes_nothing(
    ratification_data, tmp_path, capsys
):
    path = write(tmp_path, HEADER + GOOD_ROWS + "FRA,C029,1920,ratification,in_force,X\n")
    before = snapshot()

    code = cli.main(["import-ratifications", str(path), "--json"])

    captured = capsys.readouterr()
    assert code == 2
    error = json.loads(captured.out)["error"]
    assert error["code"] == "invalid_input"
    assert (error["details"]["row"], error["details"]["field"]) == (4, "date")
    assert captured.err.count("\n") == 1
    assert snapshot() == before


def test_the_command_takes_the_instrument_and_source_for_a_bundled_style_file(
    ratification_data, tmp_path, capsys
):
    text = (
        "country_name,iso3,date,kind,status,source_url_or_repo_path,retrieved_note\n"
        "Greece,GRC,2024,ratification,ratified,normlex.ilo.org,raw cell '2024'\n"
        "Afghanistan,AFG,,,not_ratified,normlex.ilo.org,empty cell\n"
    )
    path = write(tmp_path, text)

    code = cli.main(
        ["import-ratifications", str(path), "--instrument", "C029", "--source", "NORMLEX 2024"]
    )

    assert code == 0
    assert "1 created" in capsys.readouterr().out
    greece = Ratification.objects.get(source="NORMLEX 2024")
    assert (greece.country.iso3, greece.date_display) == ("GRC", "2024")
    assert "raw cell '2024'" in greece.source_detail


def test_a_row_dated_after_the_as_of_date_is_refused(ratification_data, tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS)

    with pytest.raises(InvalidInput) as caught:
        ratifications_import(path=path, as_of=date(1950, 1, 1))

    assert (caught.value.details["row"], caught.value.details["field"]) == (2, "date")
