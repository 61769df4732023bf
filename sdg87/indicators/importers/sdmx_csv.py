"""SDMX-CSV files of the UN SDG data structure (flat: one row per observation).

Columns with a meaning: ``SERIES`` (a UN SDG series code such as ``SL_TLF_CHLDEC``, mapped
to an indicator through the indicators' ``sdmx_series`` table; an ``INDICATOR`` column, as in
our own exports, names the indicator directly), ``REF_AREA``, ``TIME_PERIOD``, ``OBS_VALUE``,
``UNIT_MEASURE``, ``UNIT_MULT``, ``OBS_STATUS``, ``LOWER_BOUND``, ``UPPER_BOUND``,
``SOURCE_DETAIL`` (→ source) and ``COMMENT_OBS`` (→ footnote). ``NATURE``, ``FREQ``,
``REPORTING_TYPE`` and ``TIME_DETAIL`` (when it differs from the period) are kept as
attributes; ``DATAFLOW``/``STRUCTURE``/``ACTION`` and ``INDICATOR_FILE`` are ignored. Every
other column is a dimension (``SEX``, ``AGE``, ``URBANISATION`` …); ``_T`` (total) and
``_Z`` (not applicable) are not disaggregations.

``REF_AREA``: an ISO3 or ISO2 code, or a numeric UN M49 code (countries and regions, "1" or
"001" = world). A code made of a country's ISO2 code and more (``KG02``, ``KZAKM``) is a
sub-national area: the country's observation with a ``REF_AREA`` dimension. With
``--country`` every code other than that country's is sub-national. A file mixing letter
codes with 1–2 digit numbers (Rwanda's districts ``1``…``57`` next to ``RW``) is refused
without ``--country``, since those numbers would otherwise be read as M49 codes.

Series that no indicator lists: without ``--indicator`` they are skipped and reported when
the file also holds known series, refused when it holds none. With ``--indicator`` they are
imported into it, unless the file holds other indicators' series (a multi-indicator file).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter
from typing import Any, NamedTuple

from sdg87.indicators.importers.base import (
    EMPTY_DIMENSIONS,
    ImportProblem,
    ObservationRow,
    ParsedFile,
    ReadContext,
    SourceFile,
    decode_text,
    parse_number,
    with_note,
)
from sdg87.indicators.importers.cells import CellParser
from sdg87.indicators.importers.tabular import read_table

FORMAT = "sdmx-csv"
SPECIAL_COLUMNS = (
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
    "INDICATOR",
)
ATTRIBUTE_COLUMNS = ("NATURE", "FREQ", "REPORTING_TYPE", "TIME_DETAIL")
IGNORED_COLUMNS = ("DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR_FILE")
NOT_A_BREAKDOWN = frozenset({"", "_T", "_Z"})
ATTRIBUTE_PREFIX = "attr:"
EXPECTED_COLUMNS = (
    "SERIES (or --indicator), REF_AREA (or --country), TIME_PERIOD, OBS_VALUE, and optional "
    "UNIT_MEASURE, UNIT_MULT, OBS_STATUS and dimension columns (SEX, AGE …)"
)
SUBNATIONAL_DIMENSION = "REF_AREA"

AreaResult = tuple[str, bool, str | None]  # (area, is_region, sub-national code)


class SdmxCsvReader:
    format = FORMAT

    def read(self, source: SourceFile, context: ReadContext, file_index: int) -> ParsedFile:
        parsed = ParsedFile(source.name, FORMAT, file_index)
        text = decode_text(source, parsed)
        if text is None:
            return parsed
        table = read_table(text, source.name, parsed, context.progress)
        if table is None:
            return parsed
        # SDMX-CSV "with labels" writes "REF_AREA: Reference area" and "KG: Kyrgyzstan".
        header = [column_id(name) for name in table.header]
        labelled = header != table.header
        known_columns = {*SPECIAL_COLUMNS, *ATTRIBUTE_COLUMNS, *IGNORED_COLUMNS}
        # Known columns match in any case; dimension columns are kept as written.
        upper = [name.upper() if name.upper() in known_columns else name for name in header]
        position = {name: index for index, name in enumerate(upper) if name}
        if len(position) != len([name for name in upper if name]):
            duplicate = next(name for name in upper if name and upper.count(name) > 1)
            parsed.problem(
                ImportProblem(
                    source.name, f"the column {duplicate!r} appears twice", line=1, column=duplicate
                )
            )
            return parsed
        forced_text = source.indicator or context.indicator
        forced = context.indicator_code(forced_text) if forced_text else None
        if forced_text and forced is None:
            parsed.problem(
                ImportProblem(
                    source.name, f"unknown indicator code {forced_text!r}", column="--indicator"
                )
            )
            return parsed
        country_text = source.country or context.country
        country = context.areas.country(country_text) if country_text else None
        if country_text and country is None:
            parsed.problem(
                ImportProblem(source.name, f"unknown country {country_text!r}", column="--country")
            )
            return parsed
        required = ["TIME_PERIOD", "OBS_VALUE"]
        if forced is None and "INDICATOR" not in position:
            required.append("SERIES")
        if country is None:
            required.append("REF_AREA")
        missing = [name for name in required if name not in position]
        if missing:
            hint = {"SERIES": " (or pass --indicator)", "REF_AREA": " (or pass --country)"}
            parsed.problem(
                ImportProblem(
                    source.name,
                    f"no {missing[0]} column{hint.get(missing[0], '')}: an SDMX-CSV file has "
                    f"{EXPECTED_COLUMNS}",
                    line=1,
                    column=missing[0],
                )
            )
            return parsed

        def index(name: str) -> int | None:
            return position.get(name)

        series_index = index("SERIES")
        area_index = index("REF_AREA")
        period_index = position["TIME_PERIOD"]
        value_index = position["OBS_VALUE"]
        unit_index = index("UNIT_MEASURE")
        multiplier_index = index("UNIT_MULT")
        status_index = index("OBS_STATUS")
        lower_index = index("LOWER_BOUND")
        upper_index = index("UPPER_BOUND")
        source_index = index("SOURCE_DETAIL")
        footnote_index = index("COMMENT_OBS")
        indicator_index = index("INDICATOR")
        attribute_columns = [
            (position[name], name) for name in ATTRIBUTE_COLUMNS if name in position
        ]
        # Other attributes, as our exports write them: "attr:<name>".
        attribute_columns += [
            (i, name[len(ATTRIBUTE_PREFIX) :])
            for i, name in enumerate(header)
            if name.lower().startswith(ATTRIBUTE_PREFIX) and name[len(ATTRIBUTE_PREFIX) :]
        ]
        reserved = set(SPECIAL_COLUMNS) | set(ATTRIBUTE_COLUMNS) | set(IGNORED_COLUMNS)
        dimension_columns = [
            (i, header[i])
            for i, name in enumerate(upper)
            if name and name not in reserved and not name.lower().startswith(ATTRIBUTE_PREFIX)
        ]
        parsed.columns = {
            "value": header[value_index],
            "period": header[period_index],
            "indicator": header[series_index] if series_index is not None else "--indicator",
            "unit": header[unit_index] if unit_index is not None else "UNIT_MEASURE",
            "area": header[area_index] if area_index is not None else "--country",
        }

        cells_parser = CellParser()
        clean = cells_parser.clean
        area_cache: dict[str, AreaResult | str] = {}
        series_targets: dict[str, str | None] = {}
        pending: list[ObservationRow] = []
        other_indicator_rows = 0
        assigned = 0
        unknown_series: dict[str, tuple[int, int]] = {}
        default_source = context.source
        parsed.one_unit_per_series = series_index is not None
        excluded = source.exclude_rows
        # Repeating cells are parsed once: the dimension cells of a row are looked up
        # together (raw texts → shared dict and key), and so are the attribute cells.
        dimension_cells = _getter([index for index, _name in dimension_columns])
        dimension_names = [name for _index, name in dimension_columns]
        dimension_cache: dict[tuple[tuple[str, ...], str | None], tuple[dict, str] | None] = {}
        attribute_cells = _getter([index for index, _name in attribute_columns])
        attribute_names = [name for _index, name in attribute_columns]
        attribute_cache: dict[tuple[tuple[str, ...], str], dict[str, str]] = {}
        default_series = source.series or ""
        file_name = source.name

        def problem(message: str, column: int | None, number: int, line: int) -> None:
            parsed.problem(
                ImportProblem(
                    file_name,
                    message,
                    row=number,
                    line=line,
                    column=header[column] if column is not None else "REF_AREA",
                )
            )

        coded = {
            index
            for index in range(len(header))
            if index not in {value_index, source_index, footnote_index, lower_index, upper_index}
        }

        # Everything but the period, the value, the bounds, the footnote and the attributes
        # depends on cells that repeat down a file (series, area, unit, multiplier, status,
        # source, dimensions): their combination is read and checked once, as a prototype.
        prototype_cells = _getter(
            [
                index
                for index in (
                    series_index,
                    area_index,
                    indicator_index,
                    unit_index,
                    multiplier_index,
                    status_index,
                    source_index,
                    *[index for index, _name in dimension_columns],
                )
                if index is not None
            ]
        )
        prototypes: dict[tuple[str, ...], _Prototype] = {}

        def prototype_of(cells: list[str]) -> _Prototype:
            found_problems: list[tuple[str, int | None]] = []
            multiplier = 0
            if multiplier_index is not None:
                found = cells_parser.multiplier(cells[multiplier_index])
                if found is None:
                    found_problems.append(
                        (
                            f"{cells[multiplier_index].strip()!r} is not a unit multiplier "
                            "(a power of ten)",
                            multiplier_index,
                        )
                    )
                else:
                    multiplier = found
            series = clean(cells[series_index]) if series_index is not None else default_series
            area_result: AreaResult | str | None = None
            code = cells[area_index] if area_index is not None else ""
            if code:
                area_result = area_cache.get(code)
                if area_result is None:
                    stripped = code.strip()
                    area_result = (
                        _resolve_area(stripped, country, context) if stripped else _no_area(country)
                    )
                    area_cache[code] = area_result
            else:
                area_result = _no_area(country)
            if isinstance(area_result, str):
                found_problems.append((area_result, area_index))
            indicator: str | None = None
            if indicator_index is not None and cells[indicator_index].strip():
                indicator = context.indicator_code(cells[indicator_index])
                if indicator is None:
                    found_problems.append(
                        (
                            f"unknown indicator code {cells[indicator_index].strip()!r}",
                            indicator_index,
                        )
                    )
            else:
                if series not in series_targets:
                    series_targets[series] = context.series_indicators.get(series)
                indicator = series_targets[series]
                if forced is not None and indicator is not None and indicator != forced:
                    return _Prototype(
                        tuple(found_problems),
                        f"series {series} belongs to indicator {indicator}, not {forced}",
                    )
            subnational = area_result[2] if isinstance(area_result, tuple) else None
            raw_dimensions = (dimension_cells(cells), subnational)
            dimensions = dimension_cache.get(raw_dimensions, False)
            if dimensions is False:
                pairs = [
                    (name, text)
                    for name, raw in zip(dimension_names, raw_dimensions[0], strict=True)
                    if (text := clean(raw)) not in NOT_A_BREAKDOWN
                ]
                if subnational:
                    pairs.append((SUBNATIONAL_DIMENSION, subnational))
                dimensions = (
                    cells_parser.dimensions.get(tuple(pairs)) if pairs else (EMPTY_DIMENSIONS, "")
                )
                dimension_cache[raw_dimensions] = dimensions
            if dimensions is None:
                found_problems.append(
                    ("the dimension values are too long together (512 characters)", value_index)
                )
            if found_problems:
                return _Prototype(tuple(found_problems))
            assert dimensions
            assert isinstance(area_result, tuple)
            return _Prototype(
                (),
                None,
                (
                    indicator,
                    area_result[0],
                    area_result[1],
                    series,
                    clean(cells[unit_index]) if unit_index is not None else "",
                    multiplier,
                    dimensions[0],
                    dimensions[1],
                    clean(cells[status_index]) if status_index is not None else "",
                    (clean(cells[source_index]) if source_index is not None else "")
                    or default_source,
                ),
            )

        periods = cells_parser.period
        data_rows = 0
        append = parsed.rows.append
        for number, line, cells in table.rows:
            data_rows += 1
            if labelled:
                cells = [
                    code_of(cell) if index in coded else cell for index, cell in enumerate(cells)
                ]
            if number in excluded:
                parsed.skip(source.exclude_reason or "left out by the loader", number)
                continue
            value_text = cells[value_index].strip()
            if not value_text or (len(value_text) == 3 and value_text.lower() == "nan"):
                parsed.skip("empty OBS_VALUE: no observation", number)
                continue
            problems_before = parsed.problem_count
            period = periods(cells[period_index])
            if period is None:
                problem(
                    f"{cells[period_index].strip()!r} is not a year or a period",
                    period_index,
                    number,
                    line,
                )
            # parse_number, inline: a finite number written plainly.
            try:
                value: float | None = float(value_text)
            except ValueError:
                value = None
            else:
                if value - value != 0.0 or "_" in value_text:  # inf, nan; 1_000
                    value = None
            if value is None:
                problem(f"{value_text!r} is not a number", value_index, number, line)
            lower = upper = None
            if lower_index is not None and cells[lower_index].strip():
                lower = parse_number(cells[lower_index].strip())
                if lower is None:
                    problem(
                        f"{cells[lower_index].strip()!r} is not a number", lower_index, number, line
                    )
            if upper_index is not None and cells[upper_index].strip():
                upper = parse_number(cells[upper_index].strip())
                if upper is None:
                    problem(
                        f"{cells[upper_index].strip()!r} is not a number", upper_index, number, line
                    )
            key = prototype_cells(cells)
            prototype = prototypes.get(key)
            if prototype is None:
                prototype = prototypes[key] = prototype_of(cells)
            if prototype.problems:
                for message, column in prototype.problems:
                    problem(message, column, number, line)
            if prototype.skip is not None:
                parsed.skip(prototype.skip, number)
                other_indicator_rows += 1
                continue
            if parsed.problem_count > problems_before:
                continue
            assert period is not None
            assert value is not None
            (
                indicator,
                area,
                is_region,
                series,
                unit,
                multiplier,
                dimensions,
                dimensions_key,
                status,
                row_source,
            ) = prototype.fields  # type: ignore[misc]
            attributes: dict[str, str] = EMPTY_DIMENSIONS
            if attribute_names:
                raw_attributes = (attribute_cells(cells), period[0])
                attributes = attribute_cache.get(raw_attributes)  # type: ignore[assignment]
                if attributes is None:
                    attributes = {
                        name: text
                        for name, raw in zip(attribute_names, raw_attributes[0], strict=True)
                        if (text := clean(raw))
                        and not (name == "TIME_DETAIL" and text == period[0])
                    } or EMPTY_DIMENSIONS
                    attribute_cache[raw_attributes] = attributes
            if footnote_index is not None:
                footnote = with_note(clean(cells[footnote_index]), period[2])
            else:
                footnote = period[2]  # with_note("", note)
            row = ObservationRow(
                indicator or "",
                area,
                is_region,
                period[0],
                period[1],
                value,
                series,
                unit,
                multiplier,
                dimensions,
                dimensions_key,
                lower,
                upper,
                status,
                row_source,
                footnote,
                attributes,
                file_index,
                number,
                line,
            )
            if indicator is None:
                pending.append(row)
                unknown_series.setdefault(series, (number, line))
            else:
                append(row)
                assigned += 1
        parsed.data_rows += data_rows

        _check_mixed_area_codes(area_cache, country, source.name, parsed)
        if pending:
            if forced is not None and other_indicator_rows == 0:
                for row in pending:
                    row.indicator = forced
                parsed.rows.extend(pending)
                parsed.rows.sort(key=lambda row: row.row)
            elif forced is None and assigned == 0 and not parsed.problem_count:
                series, (number, line) = next(iter(unknown_series.items()))
                others = sorted(set(unknown_series) - {series})
                more = f" (also {', '.join(others[:5])}{' …' if len(others) > 5 else ''})"
                parsed.problem(
                    ImportProblem(
                        source.name,
                        f"unknown series {series!r}{more if others else ''}: no indicator of the "
                        "platform lists it; pass --indicator CODE to import this file into one",
                        row=number,
                        line=line,
                        column=header[series_index] if series_index is not None else "SERIES",
                    )
                )
            else:
                target = f"to {forced}" if forced else "to an indicator of this platform"
                for row in pending:
                    parsed.skip(f"series {row.series or '(none)'} is not linked {target}", row.row)
        if parsed.data_rows == 0 and not parsed.problem_count:
            parsed.warnings.append("the file has a header but no data rows: nothing to import")
        return parsed


_LABELLED = re.compile(r"(?P<id>[A-Za-z_][A-Za-z0-9_.@]*)\s*:\s+\S.*")


def column_id(name: str) -> str:
    """ "REF_AREA: Reference area" → "REF_AREA"; other names unchanged."""
    match = _LABELLED.fullmatch(name)
    return match["id"] if match else name


def code_of(cell: str) -> str:
    """ "KG: Kyrgyzstan" → "KG" (a coded cell of an SDMX-CSV file with labels)."""
    match = _LABELLED.fullmatch(cell.strip())
    return match["id"] if match else cell


class _Prototype(NamedTuple):
    """What a combination of repeating cells gives every row that has it: the problems
    (message, column), or the reason to skip the row, or the row's fields."""

    problems: tuple[tuple[str, int | None], ...]
    skip: str | None = None
    fields: tuple[Any, ...] | None = None


def _getter(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A fast function returning the cells at ``indexes`` as a tuple."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return itemgetter(*indexes)


def _no_area(country: str | None) -> AreaResult | str:
    if country is not None:
        return country, False, None
    return "REF_AREA is empty: pass --country for a national file"


def _resolve_area(code: str, country: str | None, context: ReadContext) -> AreaResult | str:
    """The area of a REF_AREA code, or the reason it is not one."""
    areas = context.areas
    if country is not None:
        found = areas.country(code) if code.isdigit() or len(code) in (2, 3) else None
        if found == country:
            return country, False, None
        if found is not None and not code.isdigit():
            return f"REF_AREA {code!r} is another country ({found}) than --country {country}"
        return country, False, code
    text = code.upper()
    if text.isdigit():
        found_area = areas.area(text)
        if found_area is None:
            return f"unknown area {code!r}: not a UN M49 code of a country or region"
        return found_area[0], found_area[1], None
    if len(text) in (2, 3):
        found = areas.country(text)
        if found is not None:
            return found, False, None
    if len(text) > 2 and text[:2].isalpha():
        parent = areas.country(text[:2])
        if parent is not None:
            return parent, False, code
    return (
        f"unknown area {code!r}: not an ISO 3166-1 code, a UN M49 code, or a sub-national code "
        "starting with a country's ISO2 code"
    )


def _check_mixed_area_codes(
    area_cache: dict[str, AreaResult | str], country: str | None, file: str, parsed: ParsedFile
) -> None:
    if country is not None:
        return
    letters = sorted(code for code in area_cache if not code.isdigit())
    short_numbers = sorted(code for code in area_cache if code.isdigit() and len(code) <= 2)
    if letters and short_numbers:
        parsed.problems.insert(
            0,
            ImportProblem(
                file,
                f"REF_AREA mixes letter codes ({', '.join(letters[:3])}) with the numbers "
                f"{', '.join(short_numbers[:5])}{' …' if len(short_numbers) > 5 else ''}, which "
                "could be sub-national areas or UN M49 codes: pass --country ISO3 for a "
                "national file (the numbers become sub-national areas)",
                column="REF_AREA",
            ),
        )
        parsed.problem_count += 1
