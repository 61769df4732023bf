"""Loading the bundled ratification sources: counts from the files, known facts, idempotence."""

import csv
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditEntry
from sdg87.countries.services import countries_load_bundled
from sdg87.instruments import selectors
from sdg87.instruments.bundled_sources import BUNDLED_SOURCES
from sdg87.instruments.models import Ratification, RatificationBatch
from sdg87.instruments.services import (
    instruments_load_bundled,
    ratifications_import,
    ratifications_load_bundled,
)
from sdg87.loading import load_bundled_data

DATA_DIR = Path(settings.DATA_DIR)
RATIFICATION_DIR = DATA_DIR / "ratification"
ILO_CODES = ("C029", "P029", "C105", "C138", "C182")


def file_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def standing_of(iso3: str, code: str) -> selectors.Standing:
    return next(s for s in selectors.ratifications_for_country(iso3) if s.instrument.code == code)


@pytest.mark.parametrize("code", ILO_CODES)
def test_every_normlex_ratification_is_loaded(ratification_data, code):
    rows = file_rows(RATIFICATION_DIR / f"ilo_{code}_ratifications.csv")
    ratified = [row for row in rows if row["status"] != "not_ratified"]

    stored = Ratification.objects.filter(instrument__code=code, source="ILO NORMLEX")

    assert stored.count() == len(ratified)
    assert set(stored.values_list("country__iso3", flat=True)) == {r["iso3"] for r in ratified}


@pytest.mark.parametrize(
    ("code", "ratifications", "denounced"),
    [("C182", 187, 0), ("C029", 181, 0), ("C105", 178, 2), ("P029", 65, 0), ("C138", 177, 0)],
)
def test_normlex_counts_match_those_stated_in_sources_md(
    ratification_data, code, ratifications, denounced
):
    stored = Ratification.objects.filter(instrument__code=code, source="ILO NORMLEX")

    assert stored.count() == ratifications
    assert stored.filter(status="denounced").count() == denounced


def test_the_parties_of_c105_exclude_the_two_denunciations(ratification_data):
    summary = selectors.instrument_ratification_summary(selectors.instrument_get("C105"))

    assert (summary.parties, summary.denounced) == (176, 2)


def test_malaysia_denounced_c105_in_1990(ratification_data):
    malaysia = standing_of("MYS", "C105")

    assert malaysia.category == "denounced"
    assert malaysia.chosen.date_display == "1958"
    assert malaysia.chosen.denounced_display == "1990"


def test_the_united_states_is_not_party_to_c029(ratification_data):
    assert standing_of("USA", "C029").records == []
    assert not standing_of("USA", "C029").is_party


def test_ilo_ratifications_of_the_snapshot_year_are_not_yet_in_force(ratification_data):
    greece = standing_of("GRC", "P029")

    assert (greece.chosen.date_display, greece.category) == ("2026", "not_yet_in_force")


def test_untc_dates_are_kept_to_the_day_with_signatures_as_separate_rows(ratification_data):
    albania = standing_of("ALB", "PALERMO")

    assert (albania.chosen.kind, albania.chosen.date_display) == ("ratification", "2002-08-21")
    assert {r.kind for r in albania.records} >= {"ratification", "signature"}


def test_the_european_union_is_skipped_and_reported(ratification_data):
    (report,) = [r for r in ratification_data["datasets"] if "palermo" in r["name"]]

    assert report["skipped_reasons"] == {"not a country: European Union": 2}
    palermo_rows = file_rows(RATIFICATION_DIR / "untc_palermo_protocol_parties.csv")
    stored = Ratification.objects.filter(instrument__code="PALERMO", source="UNTC XVIII-12-a")
    assert stored.count() == len(palermo_rows) - 2


def test_ilab_fills_in_only_palermo_accessions_after_the_untc_snapshot(ratification_data):
    from_ilab = {
        s.country.iso3
        for s in selectors.ratification_list(instrument="PALERMO")
        if s.chosen.source == "US DOL ILAB"
    }

    # data/SOURCES.md: ILAB's "Yes" for these are accessions after the 2014/15 snapshot.
    expected = {"AFG", "AGO", "BGD", "COM", "ERI", "FJI", "MDV", "NPL", "SLE", "LKA", "PSE"}
    assert from_ilab == expected
    assert all(
        s.category == "reported_ratified"
        for s in selectors.ratification_list(instrument="PALERMO")
        if s.country.iso3 in expected
    )


def test_ilab_never_speaks_for_an_ilo_member_on_c138_or_c182(ratification_data):
    for code in ("C138", "C182"):
        chosen_sources = {s.chosen.source for s in selectors.ratification_list(instrument=code)}
        assert chosen_sources == {"ILO NORMLEX"}


def test_territories_do_not_inherit_their_administering_states_ratifications(ratification_data):
    assert standing_of("AIA", "CRC").records == []
    assert standing_of("NIU", "CRC").category == "reported_ratified"


def test_the_1926_convention_counts_successions_before_the_1953_protocol(ratification_data):
    cameroon = standing_of("CMR", "SLAVERY-1926")

    assert (cameroon.chosen.source, cameroon.chosen.date_display) == ("UNTC XVIII-3", "1962-03-07")
    assert {r.source for r in cameroon.records} == {"UNTC XVIII-2", "UNTC XVIII-3"}


def test_hr_status_iso2_codes_include_east_timor_and_namibia(ratification_data):
    assert standing_of("TLS", "CRC").chosen.date_display == "2003"
    assert standing_of("NAM", "CRC").chosen.source == "UN HR treaty status"
    assert standing_of("USA", "CRC").category == "signed_only"


def test_every_load_is_audited_and_every_row_names_its_batch(ratification_data):
    batches = RatificationBatch.objects.all()
    audited = AuditEntry.objects.filter(
        object_type="instruments.ratificationbatch", action="create"
    )

    assert batches.count() == len(BUNDLED_SOURCES)
    assert set(audited.values_list("object_id", flat=True)) == {str(b.pk) for b in batches}
    assert sum(batch.created for batch in batches) == Ratification.objects.count()
    assert not Ratification.objects.filter(first_batch__isnull=True).exists()


def ratification_rows_batches_and_audit() -> tuple[int, int, int]:
    audit = AuditEntry.objects.filter(
        object_type__in=["instruments.ratification", "instruments.ratificationbatch"]
    )
    return Ratification.objects.count(), RatificationBatch.objects.count(), audit.count()


def test_reloading_changes_nothing_and_writes_no_batch_or_audit_entry(ratification_data):
    before = ratification_rows_batches_and_audit()

    reports = ratifications_load_bundled(DATA_DIR)

    assert sum(r.created + r.updated for r in reports) == 0
    assert sum(r.unchanged for r in reports) == before[0]
    assert ratification_rows_batches_and_audit() == before


def test_load_data_loads_the_ratifications_idempotently(reference_data):
    before = ratification_rows_batches_and_audit()

    report = load_bundled_data()

    datasets = [d for d in report["datasets"] if d["name"].startswith("ratifications")]
    assert len(datasets) == len(BUNDLED_SOURCES)
    assert sum(d["created"] + d["updated"] for d in datasets) == 0
    assert ratification_rows_batches_and_audit() == before


def test_a_bundled_file_imported_by_hand_is_unchanged(ratification_data):
    summary = ratifications_import(
        path=RATIFICATION_DIR / "ilo_C182_ratifications.csv",
        instrument="C182",
        source="ILO NORMLEX",
        as_of=BUNDLED_SOURCES[0].as_of,
    )

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 187)


@pytest.mark.django_db
def test_a_bad_bundled_row_names_file_row_and_field_and_writes_nothing(tmp_path):
    countries_load_bundled(DATA_DIR)
    instruments_load_bundled(DATA_DIR)
    for bundled in BUNDLED_SOURCES:
        (tmp_path / bundled.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA_DIR / bundled.path, tmp_path / bundled.path)
    broken = tmp_path / "ratification" / "untc_palermo_protocol_parties.csv"
    rows = file_rows(broken)
    rows[4]["date"] = "1999-02-30"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with pytest.raises(InvalidInput) as caught:
        ratifications_load_bundled(tmp_path)

    assert caught.value.details == {
        "file": "ratification/untc_palermo_protocol_parties.csv",
        "row": 5,
        "line": 6,
        "field": "date",
    }
    assert Ratification.objects.count() == 0
