"""The ILAB yes/no ratification table (``ilab/ilab_ratifications_2016-2021.csv``).

One row per country and reporting year with Yes/No/N/A per instrument, "as of the end of the
reporting year". For each country and instrument the latest year with a value counts: "Yes"
becomes a ``ratification_or_accession`` row with status ``reported_ratified`` and no date (the
table has none); "No", "N/A", "Not Applicable" are skipped. A later "No" after an earlier "Yes"
(ILAB corrected itself, e.g. Kenya and the sale-of-children protocol) records nothing.
"""

from __future__ import annotations

from pathlib import Path

from sdg87.core.bundled_files import CsvRow, read_csv
from sdg87.instruments.importers import RatificationRecord, ReadResult, missing_source_error

# ILAB column → instrument code.
COLUMN_INSTRUMENTS = {
    "C_138_Ratified": "C138",
    "C_182_Ratified": "C182",
    "Convention_on_the_Rights_of_the_Child_Ratified": "CRC",
    "CRC_Armed_Conflict_Ratified": "CRC-OP-AC",
    "CRC_Commercial_Sexual_Exploitation_of_Children_Ratified": "CRC-OP-SC",
    "Palermo_Ratified": "PALERMO",
}
COLUMNS = ("country", "iso3_derived", "reporting_year", *COLUMN_INSTRUMENTS)


def read_ilab(
    path: Path, *, data_dir: Path, instrument: str | None, source: str | None
) -> ReadResult:
    """``instrument`` is ignored: the table covers six instruments, one column each."""
    rows = read_csv(path, data_dir=data_dir, columns=COLUMNS)
    latest: dict[tuple[str, str], tuple[int, CsvRow]] = {}
    for row in rows:
        year = row.integer("reporting_year", minimum=2000, maximum=2100) or 0
        iso3 = row.matching("iso3_derived", r"[A-Z]{3}", "an ISO3 code")
        for column in COLUMN_INSTRUMENTS:
            if not row.text(column, required=False):
                continue
            key = (iso3, column)
            if key not in latest or latest[key][0] <= year:
                latest[key] = (year, row)
    result = ReadResult()
    for (iso3, column), (year, row) in sorted(latest.items()):
        value = row.text(column)
        if value.casefold() != "yes":
            result.skipped[f"ILAB {value!r} (latest reporting year)"] += 1
            continue
        if not source:
            raise missing_source_error(row)
        result.records.append(
            RatificationRecord(
                row=row,
                country=iso3,
                country_field="iso3_derived",
                country_scheme="iso3",
                instrument=COLUMN_INSTRUMENTS[column],
                instrument_field=column,
                kind="ratification_or_accession",
                status="reported_ratified",
                date=None,
                date_precision="",
                date_field="reporting_year",
                source=source,
                source_detail=(
                    f"{row.file} row {row.row}: {row.text('country')!r}, reporting year {year}, "
                    f"{column} = {value!r} (status as of the end of the reporting year)"
                ),
            )
        )
    return result
