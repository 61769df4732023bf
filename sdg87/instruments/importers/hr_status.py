"""UN human-rights treaty status tables (world-politics-datalab, ``hr_status_<treaty>.csv``).

One row per UN member state: ``iso2, member, state party (0/1), year ratification or
accession, signatory (0/1), no action (0/1), status, note``. A state party becomes a
``ratification_or_accession`` row (the table does not say which) with the year; a signatory
that is not a party becomes a ``signature`` row without a date (the table gives no signature
year); "no action" rows are skipped. ``iso2`` ``NA`` is Namibia (never a missing value here).
"""

from __future__ import annotations

from pathlib import Path

from sdg87.core.bundled_files import CsvRow, read_csv
from sdg87.instruments.importers import (
    PARTY,
    RatificationRecord,
    ReadResult,
    missing_source_error,
    parse_precise_date,
)

COLUMNS = (
    "iso2",
    "member",
    "state party",
    "year ratification or accession",
    "signatory",
    "no action",
    "status",
)


def read_hr_status(
    path: Path, *, data_dir: Path, instrument: str | None, source: str | None
) -> ReadResult:
    rows = read_csv(path, data_dir=data_dir, columns=COLUMNS)
    result = ReadResult()
    for row in rows:
        record = _record(row, instrument=instrument, source=source, path=path)
        if record is None:
            result.skipped["no action according to the source"] += 1
        else:
            result.records.append(record)
    return result


def _flag(row: CsvRow, field_name: str) -> bool:
    value = row.text(field_name, required=False)
    if value not in ("", "0", "1"):
        raise row.error(field_name, f"{value!r} is not 0 or 1")
    return value == "1"


def _record(
    row: CsvRow, *, instrument: str | None, source: str | None, path: Path
) -> RatificationRecord | None:
    party = _flag(row, "state party")
    signatory = _flag(row, "signatory")
    _flag(row, "no action")  # checked for shape; "state party" decides (one row has both)
    if not party and not signatory:
        return None
    if not instrument:
        raise row.error("instrument", "the instrument of this table is not known")
    if not source:
        raise missing_source_error(row)
    iso2 = row.matching("iso2", r"[A-Za-z]{2}", "an ISO 3166-1 alpha-2 code").upper()
    raw_year = row.text("year ratification or accession", required=False)
    if party:
        on, precision = parse_precise_date(row, "year ratification or accession", raw_year)
        kind, status = "ratification_or_accession", PARTY
    else:
        on, precision = None, ""
        kind, status = "signature", "signed_only"
    note = row.text("note", required=False)
    raw = (
        f"member {row.text('member', required=False)!r}, state party={int(party)}, "
        f"signatory={int(signatory)}, year={raw_year!r}, status={row.text('status')!r}"
        + (f", note={note!r}" if note else "")
    )
    return RatificationRecord(
        row=row,
        country=iso2,
        country_field="iso2",
        country_scheme="iso2",
        instrument=instrument,
        instrument_field="instrument",
        kind=kind,
        status=status,
        date=on,
        date_precision=precision,
        date_field="year ratification or accession",
        source=source,
        source_detail=f"{row.file} row {row.row}: {raw}",
    )
