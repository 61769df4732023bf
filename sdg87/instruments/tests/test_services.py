import csv
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError

from sdg87.core.errors import InvalidInput
from sdg87.instruments.models import Instrument
from sdg87.instruments.services import INSTRUMENTS_FILE, instruments_load_bundled

DATA_DIR = Path(settings.DATA_DIR)

CONTRACT_CODES = {
    "C029",
    "C105",
    "C138",
    "C182",
    "P029",
    "SLAVERY-1926",
    "SLAVERY-1956",
    "CRC",
    "CRC-OP-AC",
    "CRC-OP-SC",
    "PALERMO",
}


def test_the_eleven_contract_instruments_are_loaded_exactly(reference_data):
    assert set(Instrument.objects.values_list("code", flat=True)) == CONTRACT_CODES


def test_instruments_have_titles_in_three_languages(reference_data):
    for instrument in Instrument.objects.all():
        for language in ("en", "fr", "es"):
            assert getattr(instrument, f"title_{language}"), (instrument.code, language)
        assert instrument.adoption_date is None or instrument.adoption_date.year == (
            instrument.adoption_year
        )


def test_loading_twice_reports_nothing_created_or_updated(reference_data):
    count = Instrument.objects.count()

    (report,) = instruments_load_bundled(DATA_DIR)

    assert Instrument.objects.count() == count
    assert (report.created, report.updated, report.unchanged) == (0, 0, count)


def test_the_database_refuses_an_unknown_kind(reference_data):
    with pytest.raises(IntegrityError):
        Instrument.objects.filter(code="C029").update(kind="treaty")


@pytest.mark.django_db
def test_a_bad_kind_names_file_row_and_field_and_writes_nothing(tmp_path):
    (tmp_path / "reference").mkdir()
    shutil.copy(DATA_DIR / INSTRUMENTS_FILE, tmp_path / INSTRUMENTS_FILE)
    path = tmp_path / INSTRUMENTS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[-1]["kind"] = "declaration"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with pytest.raises(InvalidInput) as caught:
        instruments_load_bundled(tmp_path)

    assert caught.value.details["file"] == str(INSTRUMENTS_FILE)
    assert caught.value.details["row"] == len(rows)
    assert caught.value.details["field"] == "kind"
    assert Instrument.objects.count() == 0
