"""The bulk write path of observations_import: the import checks and locks each parent once
(references are checked per statement: test_integrity.py), COPY text encoding
on PostgreSQL, and stored values that survive a round trip exactly (re-import: unchanged)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import ProtectedError

from sdg87.countries.models import Country, Region
from sdg87.indicators.models import ImportBatch, Indicator, Observation, ObservationRevision
from sdg87.indicators.services import ObservationImportError, observations_import, writer
from sdg87.indicators.tests.import_support import csv_text, load_indicator_reference, write

pytestmark = pytest.mark.django_db

SDMX_HEADER = [
    "SERIES",
    "REF_AREA",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "SEX",
    "LOWER_BOUND",
    "UPPER_BOUND",
    "SOURCE_DETAIL",
    "COMMENT_OBS",
    "NATURE",
    "OBS_STATUS",
]


@pytest.fixture
def reference(db):
    load_indicator_reference()


def awkward_file(tmp_path, value: str = "0.1"):
    """Texts with every character COPY text escapes, bounds, regions, periods, attributes."""
    rows = [
        SDMX_HEADER,
        ["SL_TLF_CHLDEC", "KE", "2019", value, "PT", "F", "", "", "a\tb", "x\\y", "E", "A"],
        ["SL_TLF_CHLDEC", "KE", "2020", "1e-7", "PT", "M", "0.5", "", 'say "hi"', "", "", "A"],
        ["SL_TLF_CHLDEC", "KE", "2013-14", "-0", "PT", "_T", "", "3.25", "é ü ∑", "\\N", "", ""],
        ["SL_TLF_CHLDEC", "001", "2020", "123456789.123", "PT", "_T", "", "", "", "", "", ""],
        ["SL_TLF_CHLDEC", "GH", "2018", "1e+16", "PT", "_T", "", "", "line\none", "", "", ""],
        [
            "SL_TLF_CHLDEC",
            "GH",
            "2019",
            "5e-324",
            "PT",
            "_T",
            "",
            "",
            "tab\tthen\\N",
            "",
            "",
            "",
        ],
    ]
    return write(tmp_path / "awkward.csv", csv_text(rows))


def stored() -> list[dict]:
    return list(
        Observation.objects.order_by("area_code", "period", "dimensions_key").values(
            "area_code",
            "country_id",
            "region_id",
            "period",
            "year",
            "value",
            "lower_bound",
            "upper_bound",
            "source",
            "footnote",
            "attributes",
            "dimensions",
            "dimensions_key",
            "observation_status",
        )
    )


def test_awkward_texts_and_numbers_are_stored_exactly_and_reimport_unchanged(reference, tmp_path):
    path = awkward_file(tmp_path)

    first = observations_import(files=[path], format="sdmx-csv")
    second = observations_import(files=[path], format="sdmx-csv")

    assert (first.created, second.created, second.updated, second.unchanged) == (6, 0, 0, 6)
    rows = {(row["area_code"], row["period"]): row for row in stored()}
    assert rows[("KEN", "2019")]["source"] == "a\tb"
    assert rows[("KEN", "2019")]["footnote"] == "x\\y"
    assert rows[("KEN", "2019")]["attributes"] == {"NATURE": "E"}
    assert rows[("KEN", "2019")]["dimensions"] == {"SEX": "F"}
    assert rows[("KEN", "2019")]["value"] == 0.1
    assert rows[("KEN", "2020")]["source"] == 'say "hi"'
    assert (rows[("KEN", "2020")]["value"], rows[("KEN", "2020")]["lower_bound"]) == (1e-7, 0.5)
    assert rows[("KEN", "2020")]["upper_bound"] is None
    kenya_survey = rows[("KEN", "2013-14")]
    assert (kenya_survey["year"], kenya_survey["upper_bound"]) == (2014, 3.25)
    assert kenya_survey["source"] == "é ü ∑"
    assert kenya_survey["footnote"] == "\\N"  # a text, not a NULL
    assert kenya_survey["value"] == 0
    world = rows[("001", "2020")]
    assert (world["country_id"], world["region_id"]) == (None, Region.objects.get(m49="001").pk)
    assert world["value"] == 123456789.123
    assert rows[("GHA", "2018")]["source"] == "line\none"
    assert rows[("GHA", "2018")]["value"] == 1e16
    assert rows[("GHA", "2019")]["source"] == "tab\tthen\\N"
    assert rows[("GHA", "2019")]["value"] == 5e-324


def test_a_changed_value_of_the_bulk_path_keeps_the_previous_one(reference, tmp_path):
    observations_import(files=[awkward_file(tmp_path)], format="sdmx-csv")

    report = observations_import(files=[awkward_file(tmp_path, "0.2")], format="sdmx-csv")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    changed = Observation.objects.get(area_code="KEN", period="2019")
    assert (changed.value, changed.source) == (0.2, "a\tb")
    assert changed.revisions.get().previous == {"value": 0.1}


def test_django_on_delete_still_protects_and_cascades(reference, tmp_path):
    observations_import(files=[awkward_file(tmp_path)], format="sdmx-csv")
    kenya = Country.objects.get(iso3="KEN")

    with pytest.raises(ProtectedError):
        kenya.delete()

    Indicator.objects.get(code="8.7.1").delete()
    assert Observation.objects.count() == 0


def test_lock_parents_reports_the_ids_that_do_not_exist(reference):
    indicator = Indicator.objects.get(code="8.7.1").pk
    country = Country.objects.get(iso3="KEN").pk
    region = Region.objects.get(m49="001").pk

    assert writer.lock_parents([indicator], [country, country], [region]) == {}
    assert writer.lock_parents([indicator, 999_999], [country], [region, 888_888]) == {
        "indicator": [999_999],
        "region": [888_888],
    }


def test_a_parent_deleted_during_the_import_stops_it_and_writes_nothing(
    reference, tmp_path, monkeypatch
):
    kenya = Country.objects.get(iso3="KEN").pk
    seen = []

    def deleted_meanwhile(indicators, countries, regions):
        seen.append((set(indicators), set(countries), set(regions)))
        return {"country": [kenya]}

    monkeypatch.setattr(writer, "lock_parents", deleted_meanwhile)
    before = (Observation.objects.count(), ImportBatch.objects.count())

    with pytest.raises(ObservationImportError) as raised:
        observations_import(files=[awkward_file(tmp_path)], format="sdmx-csv")

    assert "country KEN was deleted while the files were being imported" in str(raised.value)
    assert raised.value.report.batch is None
    assert (Observation.objects.count(), ImportBatch.objects.count()) == before
    assert ObservationRevision.objects.count() == 0
    indicators, countries, regions = seen[0]
    assert indicators == {Indicator.objects.get(code="8.7.1").pk}
    assert countries == {kenya, Country.objects.get(iso3="GHA").pk}
    assert regions == {Region.objects.get(m49="001").pk}


def test_copy_text_encodes_each_kind_of_value():
    numpy = pytest.importorskip("numpy")
    assert writer.copy_text(None) == "\\N"
    assert writer.copy_text("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e"
    assert writer.copy_text(True) == "t"
    assert writer.copy_text(3) == "3"
    assert writer.copy_text(0.1) == "0.1"
    assert writer.copy_text(numpy.float64(0.1)) == "0.1"
    moment = dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    assert writer.copy_text(moment) == "2026-01-02T03:04:05.000006+00:00"


def test_blocks_and_statements_of_any_size_write_every_row_once(reference, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "CHUNK", 7)  # rows per executemany / COPY block
    monkeypatch.setattr(writer, "SQLITE_ROWS_PER_STATEMENT", 3)  # a short last statement
    rows = [SDMX_HEADER] + [
        ["SL_TLF_CHLDEC", area, str(year), f"{year - 2000}.5", "PT", "_T", "", "", "", "", "", ""]
        for area in ("KE", "GH", "NG")
        for year in range(2000, 2008)
    ]
    path = write(tmp_path / "blocks.csv", csv_text(rows))

    report = observations_import(files=[path], format="sdmx-csv")

    assert report.created == 24
    assert sorted(Observation.objects.values_list("area_code", "year", "value")) == sorted(
        (iso3, year, year - 2000 + 0.5)
        for iso3 in ("KEN", "GHA", "NGA")
        for year in range(2000, 2008)
    )
    again = observations_import(files=[path], format="sdmx-csv")
    assert (again.created, again.unchanged) == (0, 24)


def test_a_parent_deleted_just_before_the_write_is_named_and_nothing_is_written(
    reference, tmp_path
):
    """The reference triggers refuse the rows of a country deleted after validation; the
    import then names it, as when its own check finds it gone."""
    ghana = Country.objects.get(iso3="GHA").pk

    def delete_ghana_when_writing(stage, done, total):
        if stage == "writing new observations" and done == 0:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM countries_country WHERE id = %s", [ghana])

    before = (Observation.objects.count(), ImportBatch.objects.count())

    with pytest.raises(ObservationImportError) as raised:
        observations_import(
            files=[awkward_file(tmp_path)], format="sdmx-csv", progress=delete_ghana_when_writing
        )

    assert "country GHA was deleted while the files were being imported" in str(raised.value)
    assert (Observation.objects.count(), ImportBatch.objects.count()) == before


def test_the_write_reports_progress_that_only_grows_to_the_total(reference, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "CHUNK", 2)  # several blocks for the six rows of the file
    seen = []

    def record(stage, done, total):
        if stage == "writing new observations":
            seen.append((done, total))

    observations_import(files=[awkward_file(tmp_path)], format="sdmx-csv", progress=record)

    values = [done for done, _total in seen]
    assert {total for _done, total in seen} == {6}
    assert values[0] == 0
    assert values[-1] == 6
    assert values == sorted(values)
    assert len(set(values)) > 2
