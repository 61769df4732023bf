"""Checks across all the rows of one import: duplicates and units."""

from __future__ import annotations

from collections.abc import Sequence

from sdg87.indicators.importers.base import ImportProblem, ObservationRow, ParsedFile

DUPLICATE = "exact duplicate of an earlier row"
# Column sizes of the observation table.
MAX_LENGTHS = (("period", 16), ("series", 255), ("unit", 64), ("observation_status", 32))


def _payload(row: ObservationRow) -> tuple:
    return (
        row.value,
        row.unit_multiplier,
        row.lower_bound,
        row.upper_bound,
        row.observation_status,
        row.source,
        row.footnote,
        tuple(sorted(row.attributes.items())),
        row.year,
    )


def check_rows(files: Sequence[ParsedFile]) -> None:
    """Record, on the file of the later row:

    - conflicting duplicates: two rows with the same identity (indicator, area, period,
      series, unit, dimensions) but different values; exact duplicates are dropped and
      reported as skipped;
    - mixed units: rows of one series code (indicator, area, series) in different units or
      unit multipliers, in formats where a series code fixes its unit (SDMX, the tidy
      template); elsewhere (Open SDG) the unit itself separates series, so only the unit
      multiplier must agree within (indicator, area, series, unit).
    """
    seen: dict[tuple, ObservationRow] = {}
    units: dict[tuple, ObservationRow] = {}
    by_index = {parsed.file_index: parsed for parsed in files}
    # One dictionary operation per check: ``setdefault`` returns the earlier row, or stores
    # this one when it is the first.
    first_of_identity = seen.setdefault
    first_of_series = units.setdefault
    for parsed in files:
        kept: list[ObservationRow] = []
        keep = kept.append
        series_rule = parsed.one_unit_per_series
        for row in parsed.rows:
            series = row.series
            unit = row.unit
            if (
                len(series) > 255
                or len(unit) > 64
                or len(row.period) > 16
                or len(row.observation_status) > 32
            ) and not _fits(row, parsed):
                continue
            identity = (
                row.indicator,
                row.area,
                row.period,
                series,
                unit,
                row.dimensions_key,
            )
            earlier = first_of_identity(identity, row)
            if earlier is not row:
                if _payload(earlier) == _payload(row):
                    parsed.skip(DUPLICATE, row.row)
                    continue
                where = _where(earlier, by_index, parsed)
                differing = (
                    f"value {earlier.value:g} ≠ {row.value:g}"
                    if earlier.value != row.value
                    else "same value but other fields differ (status, bounds, source, footnote)"
                )
                parsed.problem(
                    ImportProblem(
                        parsed.name,
                        f"conflicting duplicate of {where}: same indicator, area, period, "
                        f"series, unit and disaggregation, but {differing}",
                        row=row.row,
                        line=row.line,
                        column=parsed.columns.get("value", "value"),
                    )
                )
                continue
            if series_rule and series:
                key: tuple = (row.indicator, row.area, series)
            else:
                key = (row.indicator, row.area, series, unit)
            first = first_of_series(key, row)
            if first is not row and (
                first.unit != unit or first.unit_multiplier != row.unit_multiplier
            ):
                where = _where(first, by_index, parsed)
                what = (
                    f"unit {row.unit!r} here but {first.unit!r} in {where}"
                    if first.unit != row.unit
                    else f"unit multiplier {row.unit_multiplier} here but "
                    f"{first.unit_multiplier} in {where}"
                )
                series_text = (
                    f"series {row.series!r}" if series_rule and row.series else f"unit {row.unit!r}"
                )
                parsed.problem(
                    ImportProblem(
                        parsed.name,
                        f"mixed units within {series_text} of {row.indicator} for {row.area}: "
                        f"{what}",
                        row=row.row,
                        line=row.line,
                        column=parsed.columns.get("unit", "unit"),
                    )
                )
                continue
            keep(row)
        parsed.rows = kept


def _where(row: ObservationRow, by_index: dict[int, ParsedFile], current: ParsedFile) -> str:
    if row.file_index == current.file_index:
        return f"row {row.row}"
    return f"row {row.row} of {by_index[row.file_index].name}"


def _fits(row: ObservationRow, parsed: ParsedFile) -> bool:
    for name, limit in MAX_LENGTHS:
        text = getattr(row, name)
        if len(text) > limit:
            parsed.problem(
                ImportProblem(
                    parsed.name,
                    f"the {name.replace('_', ' ')} {text[:40]!r}… is longer than {limit} "
                    "characters",
                    row=row.row,
                    line=row.line,
                    column=parsed.columns.get(name, name),
                )
            )
            return False
    return True
