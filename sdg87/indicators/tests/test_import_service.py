"""observations_import: all or nothing, idempotent, revisions, one batch and one audit entry."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from sdg87.accounts.tests.factories import CuratorFactory, UserFactory
from sdg87.core.errors import InvalidInput, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.indicators.models import (
    ImportBatch,
    NationalMetadata,
    Observation,
    ObservationRevision,
)
from sdg87.indicators.services import ObservationImportError, observations_import
from sdg87.indicators.tests.import_support import (
    FIXTURES,
    csv_text,
    load_indicator_reference,
    write,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

HEADER = ["indicator", "country", "year", "value", "unit", "footnote"]


@pytest.fixture
def reference(db):
    load_indicator_reference()


def table_counts() -> tuple[int, int, int, int, int]:
    return (
        Observation.objects.count(),
        ObservationRevision.objects.count(),
        ImportBatch.objects.count(),
        NationalMetadata.objects.count(),
        AuditEntry.objects.filter(action="import").count(),
    )


def test_a_new_file_creates_its_observations_with_one_batch_and_one_audit_entry(
    reference, tmp_path
):
    path = write(
        tmp_path / "kenya.csv",
        csv_text(
            [
                HEADER,
                ["8.7.1", "KEN", "2019", "8.5", "percent", ""],
                ["8.7.1", "KEN", "2020", "7.9", "percent", ""],
            ]
        ),
    )

    report = observations_import(files=[path], source="KNBS")

    assert (report.created, report.updated, report.unchanged, report.rejected) == (2, 0, 0, 0)
    batch = ImportBatch.objects.get()
    assert (batch.pk, batch.created, batch.file_name) == (report.batch, 2, "kenya.csv")
    assert batch.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    entry = AuditEntry.objects.get(action="import")
    assert entry.object_id == str(batch.pk)
    assert entry.after["created"] == 2
    assert entry.after["files"][0]["sha256"] == batch.file_sha256
    stored = Observation.objects.get(area_code="KEN", year=2020)
    assert (stored.value, stored.unit, stored.source, stored.country.iso3) == (
        7.9,
        "percent",
        "KNBS",
        "KEN",
    )


def test_importing_the_same_file_again_leaves_every_row_unchanged(reference):
    files = [FIXTURES / "open_sdg_nga" / "indicator_8-7-1.csv"]
    first = observations_import(files=files, country="NGA")
    before = list(Observation.objects.order_by("pk").values())

    second = observations_import(files=files, country="NGA")

    assert (first.created, second.created, second.updated, second.unchanged) == (8, 0, 0, 8)
    assert list(Observation.objects.order_by("pk").values()) == before
    assert ObservationRevision.objects.count() == 0


def test_a_changed_value_is_updated_and_the_previous_value_kept(reference, tmp_path):
    path = tmp_path / "data.csv"
    write(path, csv_text([HEADER, ["8.7.1", "KEN", "2020", "7.9", "percent", ""]]))
    observations_import(files=[path])
    write(path, csv_text([HEADER, ["8.7.1", "KEN", "2020", "8.1", "percent", "revised"]]))

    report = observations_import(files=[path])

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    observation = Observation.objects.get()
    assert (observation.value, observation.footnote) == (8.1, "revised")
    revision = observation.revisions.get()
    assert revision.previous == {"value": 7.9, "footnote": ""}
    assert revision.replaced_by_batch_id == report.batch
    assert observation.batch_id == report.batch


def test_a_dry_run_counts_but_writes_nothing(reference):
    before = table_counts()

    report = observations_import(files=[FIXTURES / "sdmx_gha.csv"], dry_run=True, actor=None)

    assert report.dry_run
    assert (report.created, report.batch) == (8, None)
    assert table_counts() == before


BAD_FILES = {
    "unknown indicator": (["9.9.9", "KEN", "2020", "1", "", ""], "indicator"),
    "unknown country": (["8.7.1", "ZZZ", "2020", "1", "", ""], "country"),
    "non-numeric value": (["8.7.1", "KEN", "2020", "seven", "", ""], "value"),
    "conflicting duplicate": (["8.7.1", "KEN", "2019", "2", "percent", ""], "value"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_row_writes_nothing_and_names_row_and_column(reference, tmp_path, case):
    bad_row, column = BAD_FILES[case]
    path = write(
        tmp_path / "data.csv",
        csv_text(
            [
                HEADER,
                ["8.7.1", "KEN", "2019", "1", "percent", ""],
                ["8.7.1", "UGA", "2019", "1", "", ""],
                bad_row,
            ]
        ),
    )
    before = table_counts()

    with pytest.raises(ObservationImportError) as raised:
        observations_import(files=[path])

    error = raised.value.report.errors[0]
    assert (error["file"], error["row"], error["line"], error["column"]) == (
        str(path),
        3,
        4,
        column,
    )
    assert table_counts() == before
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("indicator_8-7-1.csv", b"", "empty"),
        ("indicator_8-7-1.csv", "Year,Value\n2015,1\n2016,é\n".encode("cp1252"), "not UTF-8"),
        ("data.xlsx", None, "formula"),
        ("mixed.csv", None, "mixed units"),
    ],
)
def test_bad_files_write_nothing_even_next_to_good_ones(reference, tmp_path, name, content, reason):
    if name == "data.xlsx":
        content = xlsx_bytes({"data": [HEADER, ["8.7.1", "KEN", 2020, "=2*3", "", ""]]})
    if name == "mixed.csv":
        content = csv_text(
            [
                [*HEADER, "series"],
                ["8.7.1", "KEN", "2019", "3", "percent", "", "SL_TLF_CHLDEC"],
                ["8.7.1", "KEN", "2020", "300000", "number", "", "SL_TLF_CHLDEC"],
            ]
        ).encode()
    bad = write(tmp_path / name, content)
    good = FIXTURES / "tidy_phl.csv"
    before = table_counts()

    with pytest.raises(ObservationImportError) as raised:
        observations_import(files=[good, bad], country="KEN")

    assert reason in raised.value.message
    assert raised.value.report.errors[0]["file"] == str(bad)
    assert table_counts() == before


def test_an_unknown_layout_is_refused_with_the_expected_columns(reference, tmp_path):
    path = write(tmp_path / "data.csv", "Land,Jahr,Wert\nKEN,2020,3\n")

    with pytest.raises(ObservationImportError) as raised:
        observations_import(files=[path])

    assert "unknown layout" in raised.value.message
    assert "SDMX-CSV (SERIES" in raised.value.message


def test_a_header_only_file_imports_nothing_without_error(reference, tmp_path):
    path = write(tmp_path / "indicator_16-2-3.csv", '"Year","Series","Units","Value"\n')

    report = observations_import(files=[path], country="ARM")

    assert (report.created, report.rejected, report.error_count) == (0, 0, 0)
    assert "no data rows" in report.files[0].warnings[0]


def test_unknown_options_are_invalid_input(reference):
    files = [FIXTURES / "tidy_phl.csv"]

    with pytest.raises(InvalidInput, match="--indicator"):
        observations_import(files=files, indicator="99.1.1")
    with pytest.raises(InvalidInput, match="--country"):
        observations_import(files=files, country="XX1")
    with pytest.raises(InvalidInput, match="--format"):
        observations_import(files=files, format="json")
    with pytest.raises(InvalidInput, match="file not found"):
        observations_import(files=[FIXTURES / "missing.csv"])


def test_open_sdg_data_brings_its_metadata_in_each_language(reference, tmp_path):
    folder = tmp_path / "NGA"
    shutil.copytree(FIXTURES / "open_sdg_nga", folder)

    report = observations_import(files=[folder / "indicator_8-7-1.csv"], country="NGA")

    assert report.metadata == {"created": 2, "updated": 0, "unchanged": 0}
    languages = dict(
        NationalMetadata.objects.filter(country__iso3="NGA").values_list("language", "fields")
    )
    assert set(languages) == {"", "fr"}
    assert languages["fr"]["computation_units"] == "Pourcentage (%)"
    again = observations_import(files=[folder / "indicator_8-7-1.csv"], country="NGA")
    assert again.metadata == {"created": 0, "updated": 0, "unchanged": 2}


def test_national_variant_metadata_is_kept_under_its_series(reference, tmp_path):
    write(tmp_path / "indicator_16-2-2-a.csv", "Year,Value\n2019,8\n")
    write(tmp_path / "meta_16-2-2-a.yml", "national_indicator_description: cases\n")
    write(tmp_path / "meta_16-2-2.yml", "computation_units: '%'\n")

    observations_import(
        files=[tmp_path / "indicator_16-2-2-a.csv", tmp_path / "meta_16-2-2.yml"], country="ARM"
    )

    fields = NationalMetadata.objects.get(indicator__code="16.2.2").fields
    assert fields["computation_units"] == "%"
    assert fields["series_metadata"] == {"16.2.2.a": {"national_indicator_description": "cases"}}


def test_only_curators_import_through_the_web_and_api(reference):
    files = [FIXTURES / "tidy_phl.csv"]

    with pytest.raises(PermissionDenied):
        observations_import(files=files, actor=UserFactory())
    report = observations_import(files=files, actor=CuratorFactory())

    assert ImportBatch.objects.get(pk=report.batch).created_by is not None


def test_the_loader_writes_no_batch_when_nothing_changed(reference):
    files = [FIXTURES / "tidy_phl.csv"]
    observations_import(files=files, record_unchanged=False)
    before = table_counts()

    report = observations_import(files=files, record_unchanged=False)

    assert (report.unchanged, report.batch) == (5, None)
    assert table_counts() == before


def test_a_file_without_a_source_keeps_the_stored_source(reference, tmp_path):
    path = write(tmp_path / "data.csv", csv_text([HEADER, ["8.7.1", "KEN", "2020", "7.9", "", ""]]))
    observations_import(files=[path], source="KNBS")

    report = observations_import(files=[path])

    assert report.unchanged == 1
    assert Observation.objects.get().source == "KNBS"
