"""The platform's tidy template, as CSV or XLSX (documented in docs/import-template.md).

One row per observation; column names are case-insensitive:

- ``indicator`` (or ``--indicator``): an indicator code, "8.7.1" or a custom slug;
- ``country`` (ISO3) or ``area`` (ISO3, or a UN M49 code for a region; "001" = world),
  or ``--country``;
- ``year`` and/or ``period`` ("2019", "2013-14"): with only a period, the year is its end year;
- ``value``: a plain number (an empty value is skipped and reported);
- optional ``unit``, ``unit_multiplier`` (power of ten), ``series``, ``lower_bound``,
  ``upper_bound``, ``observation_status``, ``source``, ``footnote``;
- ``dim:<name>`` columns: disaggregations (an empty cell = total);
- ``attr:<name>`` columns: other attributes (``attr:NATURE``);
- ``area_name`` and ``country_name`` are informational (our exports write them) and ignored.

Any other column is refused (a misspelt ``footnote`` would otherwise be lost silently).

XLSX: read with openpyxl in read-only mode. One worksheet with content (empty sheets are
ignored); a cell holding a formula is refused with its sheet and cell (the workbook is opened
with ``data_only=False`` for exactly this reason: ``data_only=True`` would silently hand back
the cached result); dates and booleans are refused where numbers or years are expected; the
file size and the uncompressed size of its parts are limited.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from sdg87.indicators.importers.base import (
    EMPTY_DIMENSIONS,
    ImportProblem,
    ObservationRow,
    ParsedFile,
    ReadContext,
    SourceFile,
    clean_text,
    decode_text,
    parse_number,
    with_note,
)
from sdg87.indicators.importers.cells import CellParser
from sdg87.indicators.importers.tabular import read_table

CSV_FORMAT = "csv"
XLSX_FORMAT = "xlsx"
FIELD_COLUMNS = (
    "indicator",
    "country",
    "area",
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
INFORMATIONAL_COLUMNS = ("area_name", "country_name", "indicator_title")
DIMENSION_PREFIX = "dim:"
ATTRIBUTE_PREFIX = "attr:"
EXPECTED_COLUMNS = (
    "indicator (or --indicator), country or area (or --country), year or period, value, and "
    "optional unit, unit_multiplier, series, lower_bound, upper_bound, observation_status, "
    "source, footnote, dim:<name>, attr:<name>"
)
MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_XLSX_ROWS = 2_000_000
MAX_XLSX_COLUMNS = 200

Cell = tuple[str, str | None]  # (text, spreadsheet coordinate)


class Layout:
    """Where each field of the template sits in the header."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.fields: dict[str, int] = {}
        self.dimensions: list[tuple[int, str]] = []
        self.attributes: list[tuple[int, str]] = []
        self.unknown: list[str] = []
        self.duplicates: list[str] = []
        for index, raw in enumerate(header):
            name = raw.strip()
            lowered = name.lower()
            if not name:
                continue
            if lowered.startswith(DIMENSION_PREFIX) and name[len(DIMENSION_PREFIX) :].strip():
                self.dimensions.append((index, name[len(DIMENSION_PREFIX) :].strip()))
            elif lowered.startswith(ATTRIBUTE_PREFIX) and name[len(ATTRIBUTE_PREFIX) :].strip():
                self.attributes.append((index, name[len(ATTRIBUTE_PREFIX) :].strip()))
            elif lowered in FIELD_COLUMNS:
                if lowered in self.fields:
                    self.duplicates.append(name)
                self.fields[lowered] = index
            elif lowered not in INFORMATIONAL_COLUMNS:
                self.unknown.append(name)
        names = [name for _i, name in self.dimensions]
        self.duplicates += sorted({name for name in names if names.count(name) > 1})

    def get(self, name: str) -> int | None:
        return self.fields.get(name)


def looks_tidy(header: list[str]) -> bool:
    lowered = {name.strip().lower() for name in header}
    return "value" in lowered and bool(lowered & {"year", "period"})


class TidyRows:
    """Turns template rows (cells as text, with their coordinates) into observations."""

    def __init__(
        self,
        source: SourceFile,
        context: ReadContext,
        parsed: ParsedFile,
        layout: Layout,
        sheet: str | None = None,
    ) -> None:
        self.source = source
        self.context = context
        self.parsed = parsed
        self.layout = layout
        self.sheet = sheet
        self.cells = CellParser()
        self.area_cache: dict[tuple[str, str], tuple[str, bool] | None] = {}
        self.indicator_cache: dict[str, str | None] = {}

    def check_layout(self) -> bool:
        layout, name, parsed = self.layout, self.source.name, self.parsed
        if layout.duplicates:
            parsed.problem(
                ImportProblem(
                    name,
                    f"the column {layout.duplicates[0]!r} appears twice",
                    line=1,
                    column=layout.duplicates[0],
                    sheet=self.sheet,
                )
            )
            return False
        if layout.unknown:
            parsed.problem(
                ImportProblem(
                    name,
                    f"unknown column {layout.unknown[0]!r}: the template has {EXPECTED_COLUMNS}",
                    line=1,
                    column=layout.unknown[0],
                    sheet=self.sheet,
                )
            )
            return False
        missing = []
        if layout.get("value") is None:
            missing.append("value")
        if layout.get("year") is None and layout.get("period") is None:
            missing.append("year")
        if layout.get("indicator") is None and not (
            self.source.indicator or self.context.indicator
        ):
            missing.append("indicator")
        if (
            layout.get("country") is None
            and layout.get("area") is None
            and not (self.source.country or self.context.country)
        ):
            missing.append("country")
        if layout.get("country") is not None and layout.get("area") is not None:
            parsed.problem(
                ImportProblem(
                    name,
                    "the file has both a country and an area column: keep one",
                    line=1,
                    column="area",
                    sheet=self.sheet,
                )
            )
            return False
        if missing:
            hint = {"indicator": " (or pass --indicator)", "country": " (or pass --country)"}
            parsed.problem(
                ImportProblem(
                    name,
                    f"no {missing[0]!r} column{hint.get(missing[0], '')}: the template has "
                    f"{EXPECTED_COLUMNS}",
                    line=1,
                    column=missing[0],
                    sheet=self.sheet,
                )
            )
            return False
        header = layout.header
        value_index = layout.get("value")
        assert value_index is not None
        area_index = (
            layout.get("country") if layout.get("country") is not None else layout.get("area")
        )
        period_index = (
            layout.get("period") if layout.get("period") is not None else layout.get("year")
        )
        assert period_index is not None
        parsed.columns = {
            "value": header[value_index],
            "period": header[period_index],
            "indicator": header[layout.fields["indicator"]]
            if "indicator" in layout.fields
            else "--indicator",
            "unit": header[layout.fields["unit"]] if "unit" in layout.fields else "unit",
            "area": header[area_index] if area_index is not None else "--country",
        }
        default_indicator = self.source.indicator or self.context.indicator
        if default_indicator and self.context.indicator_code(default_indicator) is None:
            parsed.problem(
                ImportProblem(
                    name, f"unknown indicator code {default_indicator!r}", column="--indicator"
                )
            )
            return False
        default_country = self.source.country or self.context.country
        if default_country and self.context.areas.country(default_country) is None:
            parsed.problem(
                ImportProblem(name, f"unknown country {default_country!r}", column="--country")
            )
            return False
        return True

    def add(self, number: int, line: int, row: list[Cell]) -> None:
        layout, parsed, context = self.layout, self.parsed, self.context
        header = layout.header
        parsed.data_rows += 1
        fields = layout.fields

        def text(field: str) -> str:
            index = fields.get(field)
            return row[index][0] if index is not None else ""

        def problem(message: str, field: str | int) -> None:
            index = field if isinstance(field, int) else fields.get(field)
            column = header[index] if index is not None else str(field)
            parsed.problem(
                ImportProblem(
                    self.source.name,
                    message,
                    row=number,
                    line=line,
                    column=column,
                    sheet=self.sheet,
                    cell=row[index][1] if index is not None else None,
                )
            )

        if number in self.source.exclude_rows:
            parsed.skip(self.source.exclude_reason or "left out by the loader", number)
            return
        value_text = text("value").strip()
        if not value_text:
            parsed.skip("empty value: no observation", number)
            return
        before = parsed.problem_count
        value = parse_number(value_text)
        if value is None:
            problem(f"{value_text!r} is not a number", "value")
        # indicator
        indicator_text = text("indicator").strip() or (
            self.source.indicator or context.indicator or ""
        )
        if indicator_text not in self.indicator_cache:
            self.indicator_cache[indicator_text] = context.indicator_code(indicator_text)
        indicator = self.indicator_cache[indicator_text]
        if indicator is None:
            problem(
                f"unknown indicator code {indicator_text!r}"
                if indicator_text
                else "no indicator: fill the cell or pass --indicator",
                "indicator",
            )
        # area
        area_field = "country" if "country" in fields else "area"
        area_text = text(area_field).strip()
        if not area_text:
            area_text = self.source.country or context.country or ""
        key = (area_field, area_text)
        if key not in self.area_cache:
            if area_field == "country":
                iso3 = context.areas.country(area_text) if len(area_text) == 3 else None
                found = (iso3, False) if iso3 and iso3 == area_text.upper() else None
            else:
                found = context.areas.area(area_text)
            self.area_cache[key] = found
        area = self.area_cache[key]
        if area is None:
            if not area_text:
                problem("no country: fill the cell or pass --country", area_field)
            elif area_field == "country":
                problem(f"unknown country {area_text!r} (an ISO3 code is expected)", area_field)
            else:
                problem(
                    f"unknown area {area_text!r} (an ISO3 code or a UN M49 region code)",
                    area_field,
                )
        # period and year
        period: tuple[str, int, str] | None = None
        period_text = text("period").strip()
        year_text = text("year").strip()
        if period_text:
            period = self.cells.period(period_text)
            if period is None:
                problem(f"{period_text!r} is not a year or a period (2019, 2013-14)", "period")
        if year_text:
            year_period = self.cells.period(year_text)
            if year_period is None or year_period[0] != str(year_period[1]) or year_period[2]:
                problem(f"{year_text!r} is not a year", "year")
            elif period is None and not period_text:
                period = year_period
            elif period is not None:
                period = (period[0], year_period[1], period[2])
        elif not period_text:
            problem("no year or period", "year" if "year" in fields else "period")
        multiplier = 0
        multiplier_text = text("unit_multiplier")
        if multiplier_text.strip():
            found_multiplier = self.cells.multiplier(multiplier_text)
            if found_multiplier is None:
                problem(f"{multiplier_text.strip()!r} is not a power of ten", "unit_multiplier")
            else:
                multiplier = found_multiplier
        bounds: list[float | None] = []
        for field in ("lower_bound", "upper_bound"):
            bound_text = text(field).strip()
            bound = parse_number(bound_text) if bound_text else None
            if bound_text and bound is None:
                problem(f"{bound_text!r} is not a number", field)
            bounds.append(bound)
        pairs = tuple(
            (name, self.cells.shared(cleaned))
            for index, name in layout.dimensions
            if (cleaned := clean_text(row[index][0]))
        )
        dimensions = self.cells.dimensions.get(pairs) if pairs else (EMPTY_DIMENSIONS, "")
        if dimensions is None:
            problem("the dimension values are too long together (512 characters)", "value")
        if parsed.problem_count > before:
            return
        assert value is not None
        assert indicator is not None
        assert area is not None
        assert period is not None
        assert dimensions is not None
        attributes: dict[str, str] = EMPTY_DIMENSIONS
        if layout.attributes:
            found_attributes = {
                name: cleaned
                for index, name in layout.attributes
                if (cleaned := clean_text(row[index][0]))
            }
            attributes = found_attributes or EMPTY_DIMENSIONS
        parsed.rows.append(
            ObservationRow(
                indicator=indicator,
                area=area[0],
                is_region=area[1],
                period=period[0],
                year=period[1],
                value=value,
                series=self.cells.shared(clean_text(text("series"))) or (self.source.series or ""),
                unit=self.cells.shared(clean_text(text("unit"))),
                unit_multiplier=multiplier,
                dimensions=dimensions[0],
                dimensions_key=dimensions[1],
                lower_bound=bounds[0],
                upper_bound=bounds[1],
                observation_status=self.cells.shared(clean_text(text("observation_status"))),
                source=clean_text(text("source")) or context.source,
                footnote=with_note(clean_text(text("footnote")), period[2]),
                attributes=attributes,
                file_index=parsed.file_index,
                row=number,
                line=line,
            )
        )


class TidyCsvReader:
    format = CSV_FORMAT

    def read(self, source: SourceFile, context: ReadContext, file_index: int) -> ParsedFile:
        parsed = ParsedFile(source.name, CSV_FORMAT, file_index)
        text = decode_text(source, parsed)
        if text is None:
            return parsed
        table = read_table(text, source.name, parsed, context.progress)
        if table is None:
            return parsed
        builder = TidyRows(source, context, parsed, Layout(table.header))
        if not builder.check_layout():
            return parsed
        parsed.one_unit_per_series = "series" in builder.layout.fields
        for number, line, cells in table.rows:
            builder.add(number, line, [(cell, None) for cell in cells])
        if parsed.data_rows == 0 and not parsed.problem_count:
            parsed.warnings.append("the file has a header but no data rows: nothing to import")
        return parsed


class TidyXlsxReader:
    format = XLSX_FORMAT

    def read(self, source: SourceFile, context: ReadContext, file_index: int) -> ParsedFile:
        parsed = ParsedFile(source.name, XLSX_FORMAT, file_index)
        content = source.content
        if not content:
            parsed.problem(ImportProblem(source.name, "the file is empty (0 bytes)"))
            return parsed
        if len(content) > MAX_XLSX_BYTES:
            parsed.problem(
                ImportProblem(
                    source.name,
                    f"the workbook is larger than {MAX_XLSX_BYTES // (1024 * 1024)} MB: "
                    "split it, or import it as CSV",
                )
            )
            return parsed
        workbook = _open_workbook(source, parsed)
        if workbook is None:
            return parsed
        try:
            sheets = [sheet for sheet in workbook.worksheets if _has_content(sheet)]
            if not sheets:
                parsed.problem(ImportProblem(source.name, "the workbook has no data"))
                return parsed
            if len(sheets) > 1:
                names = ", ".join(repr(sheet.title) for sheet in sheets)
                parsed.problem(
                    ImportProblem(
                        source.name,
                        f"the workbook has {len(sheets)} sheets with data ({names}): "
                        "keep one data sheet",
                        sheet=sheets[1].title,
                    )
                )
                return parsed
            sheet = sheets[0]
            rows = _sheet_rows(sheet, source.name, parsed)
            header_row = next(rows, None)
            if header_row is None:
                return parsed
            _line, header_cells = header_row
            if any(cell.problem for cell in header_cells):
                for cell in header_cells:
                    if cell.problem:
                        parsed.problem(
                            ImportProblem(
                                source.name, cell.problem, sheet=sheet.title, cell=cell.coordinate
                            )
                        )
                return parsed
            header = [clean_text(cell.text) for cell in header_cells]
            while header and not header[-1]:
                header.pop()
            if not looks_tidy(header):
                parsed.problem(
                    ImportProblem(
                        source.name,
                        f"unknown layout: the first row of sheet {sheet.title!r} should hold the "
                        f"template's columns: {EXPECTED_COLUMNS}",
                        sheet=sheet.title,
                        line=1,
                    )
                )
                return parsed
            builder = TidyRows(source, context, parsed, Layout(header), sheet=sheet.title)
            if not builder.check_layout():
                return parsed
            parsed.one_unit_per_series = "series" in builder.layout.fields
            width = len(header)
            number = 0
            for line, cells in rows:
                if not any(cell.text.strip() or cell.problem for cell in cells[:width]):
                    continue
                number += 1
                if len(cells) < width:
                    cells = cells + [SheetCell("", None)] * (width - len(cells))
                cells = cells[:width]
                problems = [(index, cell) for index, cell in enumerate(cells) if cell.problem]
                if problems:
                    parsed.data_rows += 1
                    for index, cell in problems:
                        parsed.problem(
                            ImportProblem(
                                source.name,
                                str(cell.problem),
                                row=number,
                                line=line,
                                column=header[index],
                                sheet=sheet.title,
                                cell=cell.coordinate,
                            )
                        )
                    continue
                builder.add(number, line, [(cell.text, cell.coordinate) for cell in cells])
            if parsed.data_rows == 0 and not parsed.problem_count:
                parsed.warnings.append("the sheet has a header but no data rows: nothing to import")
        finally:
            workbook.close()
        return parsed


def _open_workbook(source: SourceFile, parsed: ParsedFile):  # type: ignore[no-untyped-def]
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(source.content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        parsed.problem(
            ImportProblem(source.name, "not an XLSX workbook (the file is not a zip archive)")
        )
        return None
    if total > MAX_XLSX_UNCOMPRESSED:
        parsed.problem(
            ImportProblem(
                source.name,
                f"the workbook unpacks to {total // (1024 * 1024)} MB, more than the "
                f"{MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MB allowed",
            )
        )
        return None
    try:
        return openpyxl.load_workbook(
            io.BytesIO(source.content), read_only=True, data_only=False, keep_links=False
        )
    except Exception as error:  # openpyxl raises many types for broken workbooks
        parsed.problem(ImportProblem(source.name, f"the workbook cannot be read: {error}"))
        return None


def _has_content(sheet) -> bool:  # type: ignore[no-untyped-def]
    for row in sheet.iter_rows(max_row=50, values_only=True):
        if any(value not in (None, "") for value in row):
            return True
    return sheet.max_row is not None and sheet.max_row > 50 and _has_any(sheet)


def _has_any(sheet) -> bool:  # type: ignore[no-untyped-def]
    return any(
        any(value not in (None, "") for value in row) for row in sheet.iter_rows(values_only=True)
    )


@dataclass(frozen=True, slots=True)
class SheetCell:
    text: str
    coordinate: str | None
    problem: str | None = None


def _sheet_rows(sheet, file: str, parsed: ParsedFile) -> Iterator[tuple[int, list[SheetCell]]]:  # type: ignore[no-untyped-def]
    """Each row as ``(sheet row number, cells)``: values as text; a formula, a date or a
    boolean is a cell with a ``problem``."""
    from openpyxl.utils import get_column_letter

    letters: dict[int, str] = {}
    for line, row in enumerate(sheet.iter_rows(), start=1):
        if line > MAX_XLSX_ROWS:
            parsed.problem(
                ImportProblem(file, f"more than {MAX_XLSX_ROWS} rows", sheet=sheet.title, line=line)
            )
            return
        if len(row) > MAX_XLSX_COLUMNS and any(
            cell.value not in (None, "") for cell in row[MAX_XLSX_COLUMNS:]
        ):
            parsed.problem(
                ImportProblem(
                    file, f"more than {MAX_XLSX_COLUMNS} columns", sheet=sheet.title, line=line
                )
            )
            return
        cells: list[SheetCell] = []
        for position, cell in enumerate(row[:MAX_XLSX_COLUMNS], start=1):
            value = cell.value
            letter = letters.get(position) or letters.setdefault(
                position, get_column_letter(position)
            )
            coordinate = f"{letter}{line}"
            if value is None:
                cells.append(SheetCell("", coordinate))
            elif getattr(cell, "data_type", None) == "f":
                cells.append(
                    SheetCell(
                        "",
                        coordinate,
                        f"the cell holds a formula ({str(value)[:40]}): paste values only",
                    )
                )
            elif isinstance(value, bool):
                cells.append(SheetCell("", coordinate, f"TRUE/FALSE is not allowed ({value})"))
            elif isinstance(value, datetime.datetime | datetime.date | datetime.time):
                cells.append(
                    SheetCell(
                        "",
                        coordinate,
                        f"a date ({value}) where text or a number is expected: write a year "
                        "as a number",
                    )
                )
            elif isinstance(value, float):
                text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
                cells.append(SheetCell(text, coordinate))
            else:
                cells.append(SheetCell(str(value), coordinate))
        yield line, cells
