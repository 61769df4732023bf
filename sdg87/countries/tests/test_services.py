import csv
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from sdg87.core.errors import InvalidInput
from sdg87.countries.models import Country, Region
from sdg87.countries.services import COUNTRIES_FILE, REGIONS_FILE, countries_load_bundled
from sdg87.loading import load_bundled_data

DATA_DIR = Path(settings.DATA_DIR)


def bundled_rows(relative: Path) -> list[dict[str, str]]:
    with (DATA_DIR / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def copy_reference_files(target: Path) -> None:
    (target / "reference").mkdir(parents=True)
    for relative in (REGIONS_FILE, COUNTRIES_FILE):
        shutil.copy(DATA_DIR / relative, target / relative)


def rewrite_countries(data_dir: Path, row_number: int, field: str, value: str) -> None:
    path = data_dir / COUNTRIES_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames
        rows = list(reader)
    rows[row_number - 1][field] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def table_counts() -> dict[str, int]:
    from django.apps import apps

    labels = ("countries", "framework", "instruments")
    return {
        model._meta.label: model.objects.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def test_loading_the_bundled_data_twice_changes_nothing(reference_data):
    counts = table_counts()

    second = load_bundled_data()

    assert table_counts() == counts
    assert second["created"] == 0
    assert second["updated"] == 0
    assert second["unchanged"] == reference_data["created"]


def test_every_row_of_the_bundled_files_is_loaded(reference_data):
    assert Country.objects.count() == len(bundled_rows(COUNTRIES_FILE))
    assert Region.objects.count() == len(bundled_rows(REGIONS_FILE))


def test_un_member_states_have_french_and_spanish_names_and_a_region(reference_data):
    members = Country.objects.filter(un_member=True).select_related("region", "subregion")
    expected = sum(row["un_member"] == "true" for row in bundled_rows(COUNTRIES_FILE))

    assert members.count() == expected >= 193
    for country in members:
        assert country.name_fr, country.iso3
        assert country.name_es, country.iso3
        assert country.region is not None, country.iso3
        assert country.subregion is not None, country.iso3


def test_only_antarctica_may_lack_a_region(reference_data):
    without_region = set(Country.objects.filter(region__isnull=True).values_list("iso3", flat=True))
    assert without_region <= {"ATA"}


def test_each_country_region_path_follows_the_m49_hierarchy(reference_data):
    countries = Country.objects.select_related("region", "subregion", "intermediate_region")
    for country in countries.exclude(region__isnull=True):
        assert country.region.level == Region.Level.REGION
        assert country.subregion.parent_id == country.region.pk, country.iso3
        if country.intermediate_region is not None:
            assert country.intermediate_region.parent_id == country.subregion.pk, country.iso3


def test_a_changed_name_is_updated_on_reload(reference_data):
    Country.objects.filter(iso3="FRA").update(name_es="Francia (vieja)")

    reports = {report.name: report for report in countries_load_bundled(DATA_DIR)}

    assert reports["countries"].updated == 1
    assert Country.objects.get(iso3="FRA").name_es == "Francia"


@pytest.mark.django_db
def test_a_bad_code_names_file_row_and_field_and_writes_nothing(tmp_path):
    copy_reference_files(tmp_path)
    rewrite_countries(tmp_path, row_number=3, field="iso3", value="A1B")

    with pytest.raises(InvalidInput) as caught:
        countries_load_bundled(tmp_path)

    details = caught.value.details
    assert details["file"] == str(COUNTRIES_FILE)
    assert details["row"] == 3
    assert details["field"] == "iso3"
    assert str(COUNTRIES_FILE) in caught.value.message
    assert "row 3" in caught.value.message
    assert "iso3" in caught.value.message
    assert Country.objects.count() == 0
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_region_code_is_refused(tmp_path):
    copy_reference_files(tmp_path)
    rewrite_countries(tmp_path, row_number=5, field="subregion_m49", value="999")

    with pytest.raises(InvalidInput) as caught:
        countries_load_bundled(tmp_path)

    assert caught.value.details["field"] == "subregion_m49"
    assert caught.value.details["row"] == 5


@pytest.mark.django_db
def test_a_repeated_iso3_code_is_refused(tmp_path):
    copy_reference_files(tmp_path)
    first_iso3 = bundled_rows(COUNTRIES_FILE)[0]["iso3"]
    rewrite_countries(tmp_path, row_number=2, field="iso3", value=first_iso3)

    with pytest.raises(InvalidInput) as caught:
        countries_load_bundled(tmp_path)

    assert caught.value.details["row"] == 2
    assert "repeats row 1" in caught.value.message


@pytest.mark.django_db
def test_a_missing_file_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        countries_load_bundled(tmp_path)

    assert caught.value.details["file"] == str(REGIONS_FILE)
