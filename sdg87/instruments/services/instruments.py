"""Writes for the international instruments (the bundled list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from sdg87.core.bundled_files import CsvRow, read_csv, require_unique, upsert
from sdg87.core.i18n import UI_LANGUAGES
from sdg87.core.reports import LoadReport
from sdg87.instruments.models import Instrument

INSTRUMENTS_FILE = Path("reference") / "instruments.csv"
INSTRUMENT_COLUMNS = (
    "code",
    "sort_order",
    "kind",
    "organisation",
    *(f"title_{language}" for language in UI_LANGUAGES),
    *(f"short_name_{language}" for language in UI_LANGUAGES),
    "adoption_date",
    "adoption_year",
    "entry_into_force_year",
    "url",
)


def _parse_instrument(row: CsvRow) -> dict[str, Any]:
    record: dict[str, Any] = {
        "code": row.matching("code", r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*", "a code such as C029"),
        "position": row.integer("sort_order"),
        "kind": row.choice("kind", Instrument.Kind.values),
        "organisation": row.text("organisation", max_length=64),
        "adoption_date": row.iso_date("adoption_date"),
        "adoption_year": row.integer("adoption_year", minimum=1800, maximum=2100),
        "entry_into_force_year": row.integer(
            "entry_into_force_year", required=False, minimum=1800, maximum=2100
        ),
        "url": row.matching("url", r"https?://\S+", "an http(s) address", required=False),
    }
    for language in UI_LANGUAGES:
        record[f"title_{language}"] = row.text(f"title_{language}")
        record[f"short_name_{language}"] = row.text(f"short_name_{language}", max_length=160)
    adopted = record["adoption_date"]
    if adopted is not None and adopted.year != record["adoption_year"]:
        raise row.error("adoption_date", f"{adopted} is not in the adoption year")
    in_force = record["entry_into_force_year"]
    if in_force is not None and in_force < record["adoption_year"]:
        raise row.error("entry_into_force_year", "before the adoption year")
    return record


@transaction.atomic
def instruments_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load ``reference/instruments.csv``; a bad row raises ``InvalidInput`` (file, row, field)
    before anything is written."""
    rows = read_csv(data_dir / INSTRUMENTS_FILE, data_dir=data_dir, columns=INSTRUMENT_COLUMNS)
    records = [_parse_instrument(row) for row in rows]
    require_unique(rows, [record["code"] for record in records], "code")
    report = LoadReport(name="instruments")
    upsert(Instrument, key="code", records=records, report=report)
    return [report]
