"""Open SDG national platform files: ``indicator_8-7-1.csv`` and ``meta_8-7-1.yml``.

Data files (as sdg-build reads them): one row per observation, ``Year`` and ``Value`` columns,
any number of disaggregation columns (an empty cell is the total), and a few columns with a
special meaning: ``Units``, ``Series``, ``Unit multiplier``, ``Observation status``,
``GeoCode``. The indicator comes from the file name; the country from ``--country`` unless an
``ISO3`` column (or a ``GeoCode``/``REF_AREA`` column holding only ISO3 codes) names it.

Decisions, for the quirks of real national files:

- an empty ``Value`` is "no observation": the row is skipped and reported, not an error;
- a header-only file imports nothing and says so; a 0-byte file is an error;
- periods such as ``2013-14`` or ``2018/19`` keep their text; their year is the end year;
- ``GeoCode``/``REF_AREA`` with sub-national codes (``E12000001``, ``KZAKM``) are dimensions;
- a ``Total`` column (Namibia) labels total rows: it is not a disaggregation;
- ``indicator_16-2-2-a.csv`` (a national variant) goes to indicator 16.2.2 as series
  ``16.2.2.a`` when no indicator ``16.2.2.a`` exists;
- when the file's metadata next to it says ``reporting_status: notstarted``, its rows are the
  Open SDG starter placeholders (``Group A/B``, ``2015,0``): they are skipped and reported.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import yaml

from sdg87.indicators.importers.base import (
    EMPTY_DIMENSIONS,
    ImportProblem,
    MetadataDocument,
    ObservationRow,
    ParsedFile,
    ReadContext,
    SourceFile,
    clean_text,
    decode_text,
    normalise_indicator_code,
    parse_number,
    with_note,
)
from sdg87.indicators.importers.cells import CellParser
from sdg87.indicators.importers.tabular import find_column, read_table

FORMAT = "open-sdg"
_CODE = r"(?P<code>\d{1,2}-(?:\d{1,2}|[a-z])(?:-[0-9a-z]{1,3})+)"
DATA_FILE = re.compile(rf"indicator_{_CODE}\.csv", re.IGNORECASE)
META_FILE = re.compile(rf"meta_(?:(?P<language>[a-z]{{2,3}})_)?{_CODE}\.ya?ml", re.IGNORECASE)

YEAR_COLUMNS = ("year",)
VALUE_COLUMNS = ("value",)
UNIT_COLUMNS = ("units", "unit", "unit measure", "unit_measure")
SERIES_COLUMNS = ("series",)
MULTIPLIER_COLUMNS = ("unit multiplier", "unit_mult", "unit_multiplier")
STATUS_COLUMNS = ("observation status", "obs_status", "observation_status")
FOOTNOTE_COLUMNS = ("footnote", "comment_obs")
COUNTRY_COLUMNS = ("iso3", "country_iso3")
AREA_CANDIDATE_COLUMNS = ("geocode", "ref_area")
TOTAL_LABEL_COLUMNS = ("total",)
EXPECTED_COLUMNS = "Year, Value and optional disaggregation columns (Units, Series, Sex, Age …)"

NOT_STARTED = "placeholder data: the indicator's metadata says reporting_status: notstarted"
EMPTY_VALUE = "empty value: no observation"


def indicator_from_file_name(name: str) -> str | None:
    match = DATA_FILE.fullmatch(Path(name).name)
    return normalise_indicator_code(match["code"]) if match else None


def is_metadata_file(name: str) -> bool:
    return META_FILE.fullmatch(Path(name).name) is not None


def resolve_indicator(code: str, context: ReadContext) -> tuple[str, str] | None:
    """``(indicator, default series)``: the code itself, or for a national variant such as
    ``16.2.2.a`` the SDG indicator it belongs to, with the variant as series."""
    if code in context.indicators:
        return code, ""
    parts = code.split(".")
    while len(parts) > 3:
        parts.pop()
        parent = ".".join(parts)
        if parent in context.indicators:
            return parent, code
    return None


def sibling_metadata(path: Path | None, code_text: str) -> list[Path]:
    """``meta_<code>.yml`` and ``meta_<lang>_<code>.yml`` next to a data file."""
    if path is None or not path.parent.is_dir():
        return []
    found = []
    for candidate in sorted(path.parent.glob("meta_*")):
        match = META_FILE.fullmatch(candidate.name)
        if match and match["code"].lower() == code_text.lower():
            found.append(candidate)
    return found


REPORTING_STATUS = re.compile(rb"^reporting_status:\s*['\"]?(?P<status>[A-Za-z_]+)", re.MULTILINE)
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _reporting_status(path: Path) -> str | None:
    """The top-level ``reporting_status`` of a metadata file (read without parsing it all)."""
    try:
        match = REPORTING_STATUS.search(path.read_bytes())
    except OSError:
        return None
    return match["status"].decode().lower() if match else None


class OpenSdgReader:
    format = FORMAT

    def read(self, source: SourceFile, context: ReadContext, file_index: int) -> ParsedFile:
        parsed = ParsedFile(source.name, FORMAT, file_index)
        text = decode_text(source, parsed)
        if text is None:
            return parsed
        table = read_table(text, source.name, parsed, context.progress)
        if table is None:
            return parsed
        header = table.header
        year_index = find_column(header, *YEAR_COLUMNS)
        value_index = find_column(header, *VALUE_COLUMNS)
        if year_index is None or value_index is None:
            missing = "Year" if year_index is None else "Value"
            parsed.problem(
                ImportProblem(
                    source.name,
                    f"no {missing!r} column: an Open SDG file has {EXPECTED_COLUMNS}",
                    line=1,
                    column=missing,
                )
            )
            return parsed
        if not _unique_header(header, source.name, parsed):
            return parsed

        code_text = _indicator_text(source, context)
        if code_text is None:
            parsed.problem(
                ImportProblem(
                    source.name,
                    "the file name does not name an indicator (indicator_8-7-1.csv): "
                    "rename the file or pass --indicator",
                    column="file name",
                )
            )
            return parsed
        resolved = resolve_indicator(normalise_indicator_code(code_text), context)
        if resolved is None:
            parsed.problem(
                ImportProblem(
                    source.name,
                    f"unknown indicator code {normalise_indicator_code(code_text)!r}: it is not "
                    "one of the platform's indicators",
                    column="--indicator"
                    if (source.indicator or context.indicator)
                    else "file name",
                )
            )
            return parsed
        indicator, variant_series = resolved
        default_series = source.series if source.series is not None else variant_series

        country_text = source.country or context.country
        default_area: str | None = None
        if country_text:
            default_area = context.areas.country(country_text)
            if default_area is None:
                parsed.problem(
                    ImportProblem(
                        source.name, f"unknown country {country_text!r}", column="--country"
                    )
                )
                return parsed

        not_started = any(
            _reporting_status(path) == "notstarted"
            for path in sibling_metadata(source.path, _code_in_file_name(source.name) or "")
        )
        if not_started:
            parsed.warnings.append(NOT_STARTED)

        unit_index = find_column(header, *UNIT_COLUMNS)
        series_index = find_column(header, *SERIES_COLUMNS)
        multiplier_index = find_column(header, *MULTIPLIER_COLUMNS)
        status_index = find_column(header, *STATUS_COLUMNS)
        footnote_index = find_column(header, *FOOTNOTE_COLUMNS)
        country_index = find_column(header, *COUNTRY_COLUMNS)
        candidate_index = find_column(header, *AREA_CANDIDATE_COLUMNS)
        total_index = find_column(header, *TOTAL_LABEL_COLUMNS)
        special = {
            year_index,
            value_index,
            unit_index,
            series_index,
            multiplier_index,
            status_index,
            footnote_index,
            country_index,
            total_index,
        }
        rows = list(table.rows)
        parsed.data_rows = len(rows)
        area_index = country_index
        if area_index is None and candidate_index is not None:
            values = {cells[candidate_index].strip() for _number, _line, cells in rows}
            values.discard("")
            if values and all(
                len(value) == 3 and context.areas.country(value) == value.upper()
                for value in values
            ):
                area_index = candidate_index
                special.add(candidate_index)
        dimension_columns = [
            (index, name) for index, name in enumerate(header) if index not in special and name
        ]
        parsed.columns = {
            "value": header[value_index],
            "period": header[year_index],
            "indicator": "file name",
            "unit": header[unit_index] if unit_index is not None else "Units",
            "area": header[area_index] if area_index is not None else "--country",
        }
        if not rows:
            parsed.warnings.append("the file has a header but no data rows: nothing to import")
            return parsed

        if area_index is None and default_area is None:
            parsed.problem(
                ImportProblem(
                    source.name,
                    "no country: the file has no ISO3 column; pass --country ISO3",
                    column="--country",
                )
            )
            return parsed
        cells_parser = CellParser()
        areas_seen: dict[str, str | None] = {}
        source_text = context.source
        excluded = source.exclude_rows
        for number, line, cells in rows:
            if number in excluded:
                parsed.skip(source.exclude_reason or "left out by the loader", number)
                continue
            value_text = cells[value_index].strip()
            if not value_text:
                parsed.skip(EMPTY_VALUE, number)
                continue
            if not_started:
                parsed.skip(NOT_STARTED, number)
                continue
            problems_before = parsed.problem_count
            period = cells_parser.period(cells[year_index])
            if period is None:
                parsed.problem(
                    ImportProblem(
                        source.name,
                        f"{cells[year_index].strip()!r} is not a year or a period "
                        "(2019, 2013-14, 2018/19)",
                        row=number,
                        line=line,
                        column=header[year_index],
                    )
                )
            value = parse_number(value_text)
            if value is None:
                parsed.problem(
                    ImportProblem(
                        source.name,
                        f"{value_text!r} is not a number",
                        row=number,
                        line=line,
                        column=header[value_index],
                    )
                )
            multiplier = 0
            if multiplier_index is not None:
                found = cells_parser.multiplier(cells[multiplier_index])
                if found is None:
                    parsed.problem(
                        ImportProblem(
                            source.name,
                            f"{cells[multiplier_index].strip()!r} is not a unit multiplier "
                            "(a power of ten, or Units, Thousands, Millions …)",
                            row=number,
                            line=line,
                            column=header[multiplier_index],
                        )
                    )
                else:
                    multiplier = found
            area = default_area
            if area_index is not None and cells[area_index].strip():
                code = cells[area_index].strip()
                if code not in areas_seen:
                    areas_seen[code] = context.areas.country(code) if len(code) == 3 else None
                area = areas_seen[code]
                if area is None:
                    parsed.problem(
                        ImportProblem(
                            source.name,
                            f"unknown country {code!r} (an ISO 3166-1 alpha-3 code is expected)",
                            row=number,
                            line=line,
                            column=header[area_index],
                        )
                    )
            elif area is None:
                parsed.problem(
                    ImportProblem(
                        source.name,
                        "no country: the file has no ISO3 column; pass --country ISO3",
                        row=number,
                        line=line,
                        column="--country",
                    )
                )
            pairs = tuple(
                (name, cells_parser.shared(text))
                for index, name in dimension_columns
                if (text := clean_text(cells[index]))
            )
            dimensions = cells_parser.dimensions.get(pairs) if pairs else (EMPTY_DIMENSIONS, "")
            if dimensions is None:
                parsed.problem(
                    ImportProblem(
                        source.name,
                        "the disaggregation labels are too long together (512 characters at most)",
                        row=number,
                        line=line,
                        column=dimension_columns[0][1],
                    )
                )
            if parsed.problem_count > problems_before:
                continue
            assert period is not None
            assert value is not None
            assert dimensions is not None
            assert area is not None
            parsed.rows.append(
                ObservationRow(
                    indicator=indicator,
                    area=area,
                    is_region=False,
                    period=period[0],
                    year=period[1],
                    value=value,
                    series=cells_parser.shared(clean_text(cells[series_index]))
                    if series_index is not None
                    else default_series,
                    unit=cells_parser.shared(clean_text(cells[unit_index]))
                    if unit_index is not None
                    else "",
                    unit_multiplier=multiplier,
                    dimensions=dimensions[0],
                    dimensions_key=dimensions[1],
                    lower_bound=None,
                    upper_bound=None,
                    observation_status=cells_parser.shared(clean_text(cells[status_index]))
                    if status_index is not None
                    else "",
                    source=source_text,
                    footnote=with_note(
                        clean_text(cells[footnote_index]) if footnote_index is not None else "",
                        period[2],
                    ),
                    attributes=EMPTY_DIMENSIONS,
                    file_index=file_index,
                    row=number,
                    line=line,
                )
            )
        if series_index is not None and default_series:
            for row in parsed.rows:
                if not row.series:
                    row.series = default_series
        return parsed


def _code_in_file_name(name: str) -> str | None:
    match = DATA_FILE.fullmatch(Path(name).name)
    return match["code"] if match else None


def _indicator_text(source: SourceFile, context: ReadContext) -> str | None:
    return source.indicator or context.indicator or _code_in_file_name(source.name)


def _unique_header(header: list[str], file: str, parsed: ParsedFile) -> bool:
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.lower()
        if key and key in seen:
            parsed.problem(
                ImportProblem(
                    file,
                    f"the column {name!r} appears twice (columns {seen[key] + 1} and {index + 1})",
                    line=1,
                    column=name,
                )
            )
            return False
        seen[key] = index
    return True


def json_ready(value: Any) -> Any:
    """YAML values made JSON-safe (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, float) and value != value:
        return None
    return value


class OpenSdgMetadataReader:
    """``meta_8-7-1.yml`` (the platform's default language) and ``meta_fr_8-7-1.yml``."""

    format = FORMAT

    def read(self, source: SourceFile, context: ReadContext, file_index: int) -> ParsedFile:
        parsed = ParsedFile(source.name, FORMAT, file_index)
        match = META_FILE.fullmatch(Path(source.name).name)
        code_text = source.indicator or context.indicator or (match["code"] if match else None)
        if code_text is None:
            parsed.problem(
                ImportProblem(
                    source.name,
                    "the file name does not name an indicator (meta_8-7-1.yml, "
                    "meta_fr_8-7-1.yml): rename the file or pass --indicator",
                    column="file name",
                )
            )
            return parsed
        resolved = resolve_indicator(normalise_indicator_code(code_text), context)
        if resolved is None:
            parsed.problem(
                ImportProblem(
                    source.name,
                    f"unknown indicator code {normalise_indicator_code(code_text)!r}",
                    column="file name",
                )
            )
            return parsed
        country_text = source.country or context.country
        country = context.areas.country(country_text) if country_text else None
        if country is None:
            parsed.problem(
                ImportProblem(
                    source.name,
                    "metadata belongs to a country: pass --country ISO3"
                    if not country_text
                    else f"unknown country {country_text!r}",
                    column="--country",
                )
            )
            return parsed
        text = decode_text(source, parsed)
        if text is None:
            return parsed
        try:
            fields = yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a safe loader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            parsed.problem(
                ImportProblem(
                    source.name,
                    f"not valid YAML: {getattr(error, 'problem', None) or error}",
                    line=mark.line + 1 if mark is not None else None,
                )
            )
            return parsed
        if not isinstance(fields, dict):
            parsed.problem(
                ImportProblem(source.name, "the metadata must be a mapping of field: value", line=1)
            )
            return parsed
        language = (match["language"] or "").lower() if match else ""
        parsed.metadata.append(
            MetadataDocument(
                file=source.name,
                indicator=resolved[0],
                series=source.series if source.series is not None else resolved[1],
                country=country,
                language=language,
                fields=json_ready(fields),
            )
        )
        return parsed
