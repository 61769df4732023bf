"""`sdg87 load-data` loads the real indicator data through the importers, idempotently."""

from __future__ import annotations

import pytest

from sdg87.core.models import AuditEntry
from sdg87.indicators.models import (
    ImportBatch,
    Indicator,
    NationalMetadata,
    Observation,
    ObservationRevision,
)
from sdg87.indicators.services import observations_load_bundled
from sdg87.indicators.tests.import_support import DATA_DIR, load_indicator_reference
from sdg87.loading import load_bundled_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    load_indicator_reference()
    return observations_load_bundled(DATA_DIR)


def value(indicator: str, area: str, year: int, **filters: object) -> list[float]:
    return sorted(
        Observation.objects.filter(
            indicator__code=indicator, area_code=area, year=year, **filters
        ).values_list("value", flat=True)
    )


def counts() -> tuple[int, ...]:
    return (
        Observation.objects.count(),
        ObservationRevision.objects.count(),
        ImportBatch.objects.count(),
        NationalMetadata.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_second_load_finds_everything_unchanged_and_writes_nothing(loaded):
    before = counts()

    reports = observations_load_bundled(DATA_DIR)

    assert sum(report.created + report.updated for report in reports) == 0
    assert sum(report.unchanged for report in reports) == sum(report.created for report in loaded)
    assert counts() == before


def test_every_dataset_is_loaded(loaded):
    created = {report.name: report.created for report in loaded}

    assert set(created) >= {
        "national data GBR",
        "national data KAZ",
        "SDMX KGZ",
        "SDMX RWA",
        "Global Slavery Index 2023",
        "ILAB working children",
        "UNODC detected victims (OWID)",
        "OWID world child labour",
    }
    assert all(count > 0 for count in created.values())


def test_values_read_back_equal_the_source_files(loaded):
    # sdg_national_sdmx/kgz_nsc_sdg_8-7_related.csv: SL_TLF_CHLDEC, KG, 2014/2018/2023 totals
    totals = dict(
        Observation.objects.filter(
            indicator__code="8.7.1",
            area_code="KGZ",
            series="SL_TLF_CHLDEC",
            dimensions_key="AGE=Y5T17",
        ).values_list("year", "value")
    )
    assert totals == {2014: 25.8, 2018: 26.7, 2023: 19.6}
    # data/gsi: North Korea 104.6 per 1,000 and 2,696,000 people (estimates for 2021)
    assert value("gsi-prevalence", "PRK", 2021) == [104.6]
    assert value("gsi-number", "PRK", 2021) == [2696000.0]
    # data/ilab: Afghanistan 2016 working children 7.5 % (0.075) and 673,949
    assert value("ilab-working-children-share", "AFG", 2016) == [7.5]
    assert value("ilab-working-children-number", "AFG", 2016) == [673949.0]
    # Guatemala 2016 is written "193, 917" in the ILAB table
    assert value("ilab-working-children-number", "GTM", 2016) == [193917.0]
    # Rwanda's Open SDG file: survey period 2013-14 → 5.5 % (dated 2014)
    assert value("8.7.1", "RWA", 2014, period="2013-14", dimensions_key="") == [5.5]
    # the OWID world series as region 001
    assert value(
        "8.7.1", "001", 2012, series="Child labour incidence, % of children 5–17 (ILO-IPEC)"
    ) == [10.6]
    assert value("unodc-detected-victims", "BFA", 2007) == [289.0]


def test_placeholder_and_nationalised_files_are_left_out(loaded):
    # USA 8.7.1 is the Open SDG starter placeholder "2015,0" (reporting_status: notstarted)
    assert not Observation.objects.filter(indicator__code="8.7.1", area_code="USA").exists()
    # Namibia 16.2.1 is "Group A/B" placeholder data
    assert not Observation.objects.filter(indicator__code="16.2.1", area_code="NAM").exists()
    # Ukraine's 16.2.1 measures demining, not violence against children
    assert not Observation.objects.filter(indicator__code="16.2.1", area_code="UKR").exists()
    ukraine = Observation.objects.filter(indicator__code="16.2.2", area_code="UKR")
    assert set(ukraine.values_list("series", flat=True)) == {
        "UKR 16.2.1.a: victims of human trafficking reported"
    }


def test_contradictory_source_rows_are_both_left_out(loaded):
    # KAZ indicator_8-7-1.csv rows 1099 and 1117: 2023, KZKAR, urban = 0.02 and 0.15
    assert not Observation.objects.filter(
        indicator__code="8.7.1",
        area_code="KAZ",
        year=2023,
        dimensions_key="REF_AREA=KZKAR|URBANISATION=U",
    ).exists()
    assert (
        Observation.objects.filter(
            indicator__code="8.7.1",
            area_code="KAZ",
            year=2023,
            dimensions_key="REF_AREA=KZKAR|URBANISATION=R",
        ).exists()
        is False
    )
    assert Observation.objects.filter(indicator__code="8.7.1", area_code="KAZ").count() == 1122


def test_national_proxies_are_labelled_as_such(loaded):
    series = set(
        Observation.objects.filter(indicator__code="8.7.1", area_code="GBR").values_list(
            "series", flat=True
        )
    )

    assert series == {"National proxy: potential child victims of modern slavery (NRM)"}


def test_national_metadata_is_loaded_per_language(loaded):
    canada = NationalMetadata.objects.filter(indicator__code="8.7.1", country__iso3="CAN")

    assert set(canada.values_list("language", flat=True)) == {"", "fr"}
    assert canada.get(language="fr").fields["SDG_INDICATOR"].startswith("<p>Indicateur 8.7.1")


def test_indicator_definitions_carry_the_progress_defaults(loaded):
    child_labour = Indicator.objects.get(code="8.7.1")
    trafficking = Indicator.objects.get(code="16.2.2")
    injuries = Indicator.objects.get(code="8.8.1")

    assert (child_labour.target_value, child_labour.target_year) == (0.0, 2025)
    assert child_labour.desired_direction == "down"
    assert child_labour.sdg_indicator.code == "8.7.1"
    assert child_labour.target.code == "8.7"
    assert (trafficking.target_value, trafficking.target_year) == (0.0, 2030)
    assert trafficking.reading_note_en.startswith("Administrative counts")
    assert (injuries.target_value, injuries.target_year) == (None, 2030)
    assert (
        Indicator.objects.get(code="gsi-prevalence").themes.filter(slug="modern-slavery").exists()
    )


def test_the_whole_load_twice_gives_identical_counts(db):
    load_bundled_data()
    before = counts()

    report = load_bundled_data()

    assert (report["created"], report["updated"]) == (0, 0)
    assert counts() == before
