"""Observations written as the tidy template (CSV, XLSX) or SDMX-CSV. Pure code: it reads
attributes of the records it is given and never queries the database.

Every file re-imports to the same observations (``sdg87 import-observations``). Text cells
that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
return) are prefixed with an apostrophe; the importers remove it again. Numbers stay numbers,
so negative values are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sdg87.indicators.importers.base import FORMULA_TRIGGERS

EXPORT_FORMATS = ("csv", "sdmx-csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "sdmx-csv": "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv": "csv", "sdmx-csv": "csv", "xlsx": "xlsx"}
TIDY_FIELDS = (
    "indicator",
    "area",
    "area_name",
    "year",
    "period",
    "value",
    "unit",
    "unit_multiplier",
    "series",
    "lower_bound",
    "upper_bound",
    "observation_status",
    "source",
    "footnote",
)
NUMERIC_FIELDS = frozenset({"year", "value", "unit_multiplier", "lower_bound", "upper_bound"})
SDMX_FIELDS = (
    "INDICATOR",
    "SERIES",
    "REF_AREA",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "UNIT_MULT",
    "OBS_STATUS",
    "LOWER_BOUND",
    "UPPER_BOUND",
    "SOURCE_DETAIL",
    "COMMENT_OBS",
)
# Attributes of the SDG data structure, written as plain columns; others as "attr:<name>".
SDMX_ATTRIBUTES = frozenset({"NATURE", "FREQ", "REPORTING_TYPE", "TIME_DETAIL"})
SUBNATIONAL_DIMENSION = "REF_AREA"
SHEET_TITLE = "observations"


class ExportRecord(Protocol):
    indicator_code: str
    area_code: str
    area_name: str
    year: int
    period: str
    value: float
    unit: str
    unit_multiplier: int
    series: str
    lower_bound: float | None
    upper_bound: float | None
    observation_status: str
    source: str
    footnote: str
    dimensions: dict[str, str]
    attributes: dict[str, str]


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def neutralise(text: str) -> str:
    """``text`` made safe to open in a spreadsheet: a leading formula trigger gets "'"."""
    if text and text[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def format_number(value: float | int | None) -> str:
    """The shortest text that reads back as the same number ("39300", "0.84", "-2.5")."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def file_name(indicator_code: str, country: str | None, fmt: str) -> str:
    parts = ["sdg87", indicator_code.replace(".", "-")]
    if country:
        parts.append(country.lower())
    suffix = "-sdmx" if fmt == "sdmx-csv" else ""
    return "_".join(parts) + f"{suffix}.{EXTENSIONS[fmt]}"


def _names(records: Sequence[ExportRecord], attribute: str) -> list[str]:
    names: set[str] = set()
    for record in records:
        names.update(getattr(record, attribute) or {})
    return sorted(names)


def tidy_rows(records: Sequence[ExportRecord]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the tidy template (values typed: numbers stay numbers)."""
    dimensions = _names(records, "dimensions")
    attributes = _names(records, "attributes")
    header = [
        *TIDY_FIELDS,
        *(f"dim:{name}" for name in dimensions),
        *(f"attr:{name}" for name in attributes),
    ]
    rows = []
    for record in records:
        row: list[Any] = [
            record.indicator_code,
            record.area_code,
            record.area_name,
            record.year,
            record.period,
            record.value,
            record.unit,
            record.unit_multiplier,
            record.series,
            record.lower_bound,
            record.upper_bound,
            record.observation_status,
            record.source,
            record.footnote,
        ]
        row += [(record.dimensions or {}).get(name, "") for name in dimensions]
        row += [(record.attributes or {}).get(name, "") for name in attributes]
        rows.append(row)
    return header, rows


def sdmx_rows(records: Sequence[ExportRecord]) -> tuple[list[str], list[list[Any]]]:
    dimensions = [name for name in _names(records, "dimensions") if name != SUBNATIONAL_DIMENSION]
    attributes = _names(records, "attributes")
    header = [
        *SDMX_FIELDS,
        *dimensions,
        *(name if name in SDMX_ATTRIBUTES else f"attr:{name}" for name in attributes),
    ]
    rows = []
    for record in records:
        record_dimensions = record.dimensions or {}
        row: list[Any] = [
            record.indicator_code,
            record.series,
            record_dimensions.get(SUBNATIONAL_DIMENSION) or record.area_code,
            record.period,
            record.value,
            record.unit,
            record.unit_multiplier,
            record.observation_status,
            record.lower_bound,
            record.upper_bound,
            record.source,
            record.footnote,
        ]
        row += [record_dimensions.get(name) or "_T" for name in dimensions]
        row += [(record.attributes or {}).get(name, "") for name in attributes]
        rows.append(row)
    return header, rows


def _csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(name) for name in header])
    for row in rows:
        writer.writerow(
            [
                format_number(cell)
                if isinstance(cell, int | float) or cell is None
                else neutralise(str(cell))
                for cell in row
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _xlsx(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append([neutralise(name) for name in header])
    for row in rows:
        sheet.append(
            [
                cell if isinstance(cell, int | float) or cell is None else neutralise(str(cell))
                for cell in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_observations(
    records: Sequence[ExportRecord], *, fmt: str, indicator_code: str, country: str | None = None
) -> ExportFile:
    """The records as a file in ``fmt`` (csv, sdmx-csv or xlsx)."""
    if fmt == "sdmx-csv":
        header, rows = sdmx_rows(records)
        content = _csv(header, rows)
    elif fmt == "csv":
        header, rows = tidy_rows(records)
        content = _csv(header, rows)
    elif fmt == "xlsx":
        header, rows = tidy_rows(records)
        content = _xlsx(header, rows)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return ExportFile(
        content=content,
        content_type=CONTENT_TYPES[fmt],
        filename=file_name(indicator_code, country, fmt),
    )
