"""NORMLEX / UN Treaty Collection style CSV: one row per country action on one instrument.

Columns (a header row; UTF-8; names as below, other columns ignored):

* the country: ``iso3`` (ISO 3166-1 alpha-3), or ``country`` (ISO3 or a name), or
  ``country_name`` (a name) — the first one that is filled in is used;
* ``instrument`` — a code such as C029 (or ``--instrument`` for a file about one instrument);
* ``date`` — ``yyyy`` or ``yyyy-mm-dd`` (empty: unknown);
* ``kind`` — ratification, accession, succession, acceptance, approval, definitive_signature,
  participation, signature, ratification_or_accession (or a UNTC marker: a, d, A, AA, s, P);
* ``status`` — in_force, not_yet_in_force, denounced, signed_only, reported_ratified, or the
  sources' words: ratified / party / signed_and_party (in force unless the instrument's
  entry-into-force rule says not yet), signatory_not_party, ``denounced YYYY``, and
  not_ratified / no_action (the row is skipped);
* ``denounced_on`` (optional) — ``yyyy`` or ``yyyy-mm-dd``;
* ``source`` — a short name such as "ILO NORMLEX" (or ``--source``);
* ``source_detail`` or the bundled files' ``source_url_or_repo_path`` and ``retrieved_note``.
"""

from __future__ import annotations

import re
from pathlib import Path

from sdg87.core.bundled_files import CsvRow, read_csv
from sdg87.core.errors import InvalidInput
from sdg87.instruments.importers import (
    NON_STATE_PARTIES,
    ParsedStatus,
    RatificationRecord,
    ReadResult,
    check_kind_and_status,
    missing_source_error,
    parse_kind,
    parse_precise_date,
    parse_status,
    source_text,
)

COUNTRY_COLUMNS = ("iso3", "country", "country_name")


def read_treaty_table(
    path: Path, *, data_dir: Path, instrument: str | None, source: str | None
) -> ReadResult:
    rows = read_csv(path, data_dir=data_dir, columns=("date", "kind", "status"))
    result = ReadResult()
    if rows:
        header = set(rows[0].values)
        if not any(column in header for column in COUNTRY_COLUMNS):
            raise InvalidInput(
                f"{rows[0].file}: no country column (iso3, country or country_name)",
                details={"file": rows[0].file, "field": "country", "row": 0, "line": 1},
            )
        if "instrument" not in header and not instrument:
            raise InvalidInput(
                f"{rows[0].file}: no `instrument` column; name the instrument with --instrument",
                details={"file": rows[0].file, "field": "instrument", "row": 0, "line": 1},
            )
    for row in rows:
        record = _record(row, instrument=instrument, source=source)
        if isinstance(record, str):
            result.skipped[record] += 1
        else:
            result.records.append(record)
    return result


def _record(row: CsvRow, *, instrument: str | None, source: str | None) -> RatificationRecord | str:
    parsed: ParsedStatus = parse_status(row, "status", row.values.get("status", ""))
    if parsed.status is None:
        return "not a party according to the source"
    country, country_field, scheme = _country(row)
    if not country:
        raise row.error(country_field, "a value is required")
    if scheme == "name" and country.casefold() in NON_STATE_PARTIES:
        return f"not a country: {country}"
    instrument_code = row.text("instrument", required=False) or (instrument or "")
    if not instrument_code:
        raise row.error(
            "instrument", "a value is required (an `instrument` column or --instrument)"
        )
    kind = parse_kind(row, "kind", row.values.get("kind", ""))
    check_kind_and_status(row, kind, parsed.status, "status")
    on, precision = parse_precise_date(row, "date", row.values.get("date", ""))
    denounced_on, denounced_precision, denounced_field = (
        parsed.denounced_on,
        parsed.denounced_precision,
        "status",
    )
    if row.text("denounced_on", required=False):
        if parsed.status != "denounced":
            raise row.error("denounced_on", "only a denounced row has a denunciation date")
        denounced_on, denounced_precision = parse_precise_date(
            row, "denounced_on", row.values["denounced_on"]
        )
        denounced_field = "denounced_on"
    row_source = row.text("source", required=False) or (source or "")
    if not row_source:
        raise missing_source_error(row)
    if len(row_source) > 120:
        raise row.error("source", "longer than 120 characters")
    return RatificationRecord(
        row=row,
        country=country,
        country_field=country_field,
        country_scheme=scheme,
        instrument=instrument_code.upper(),
        instrument_field="instrument",
        kind=kind,
        status=parsed.status,
        date=on,
        date_precision=precision,
        denounced_on=denounced_on,
        denounced_precision=denounced_precision,
        denounced_field=denounced_field,
        source=row_source,
        source_detail=source_text(
            row, "source_detail", "source_url_or_repo_path", "retrieved_note"
        ),
    )


def _country(row: CsvRow) -> tuple[str, str, str]:
    """(value, column, scheme) of the first filled-in country column."""
    first_column = next((c for c in COUNTRY_COLUMNS if c in row.values), "country")
    for column in COUNTRY_COLUMNS:
        value = row.text(column, required=False)
        if not value:
            continue
        if column == "iso3" or (column == "country" and re.fullmatch(r"[A-Za-z]{3}", value)):
            return value.upper(), column, "iso3"
        return value, column, "name"
    return "", first_column, "name"
