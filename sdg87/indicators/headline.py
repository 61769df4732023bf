"""The headline rows of a country's series: which observations stand for the whole population.

A *series* here is one area's observations of one indicator for one (series code, unit) pair.
Its headline rows are the values the platform shows and assesses when no breakdown is asked
for: the latest value on the country page, the map and the country profile, the progress
assessment, and the combination the indicator chart shows first.

The rule (:func:`headline_rows`), in order:

1. **Totals win.** Rows without any dimension (``dimensions_key`` "") are the headline whenever
   the series has at least one.
2. **Otherwise a breakdown may stand for the whole**, when every dimension of the chosen rows
   describes the whole population of the indicator. For each dimension the series carries, one
   value is chosen:

   - a value meaning "total" in SDMX and SDG codelists (:data:`TOTAL_CODES`: ``_T``, ``_Z``,
     ``ALL``, ``TOTAL``, ``BOTHSEX``, ``ALLAREA``, ``ALLAGE`` …, case-insensitive) or in the
     labels of national platforms ("Total, gender", "All citizens", "Both"; not "All other …")
     when the dimension has one;
   - else, for an age dimension (``AGE``, ``Age group`` …), the age band that covers every
     other band of the series (``Y5T17`` covers ``Y5T11``, ``Y12T14`` and ``Y15T17``); bands are
     read from SDMX codes (``Y5T17``, ``Y_GE15``, ``Y_LT5``) and from plain text ("5-17 years",
     "Under 15 years", "15 years and over"). There is none when a band cannot be read or no
     band covers all the others;
   - else nothing: the dimension is a real breakdown (region, wealth quintile, school
     attendance …) and rows carrying it are left out.

   The headline rows are the rows whose every dimension has its chosen value.
3. **Only when unambiguous**: those rows must have at most one row per period. Otherwise (and
   when no row qualifies) the series has no headline, and progress stays "unable to assess".

The dimensions of the rows used are returned (:attr:`Headline.breakdown`, ``{}`` for totals) so
that every interface can say which breakdown stands for the headline ("Age 5–17") instead of
silently relabelling it as a total.

Pure: rows are mappings with a ``period`` and a ``dimensions`` mapping (or, read in bulk, the
``dimensions_key`` string); no ORM.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Row = TypeVar("Row", bound=Mapping[str, Any])
GroupKey = TypeVar("GroupKey", bound=Hashable)

TOTAL_CODES = frozenset(
    {
        "_T",
        "_Z",
        "ALL",
        "TOTAL",
        "BOTHSEX",
        "BOTHSEXES",
        "BOTH SEXES",
        "ALLAREA",
        "ALLAREAS",
        "ALL AREAS",
        "ALLAGE",
        "ALLAGES",
        "ALL AGES",
    }
)
"""Codes meaning "the whole population" for any dimension (compared in upper case)."""
TOTAL_WORDS = re.compile(r"(?:ALL|TOTAL)\b(?!.*\bOTHERS?\b).*|BOTH")
"""Labels of national platforms meaning the same: "Total, gender", "All citizens", "Both"
(but not "All other sectors", a residual category)."""

AGE_DIMENSIONS = frozenset({"age", "age_group", "agegroup", "age_band", "age_groups"})

# SDMX age codes (the SDG and ILO codelists)
SDMX_RANGE = re.compile(r"Y(\d+)T(\d+)")
SDMX_SINGLE = re.compile(r"Y(\d+)")
SDMX_OPEN = re.compile(r"Y_?(GE|GT|LT|LE)(\d+)")
# Plain text: "5-17 years", "aged 12-15 years", "15 - 19 years", "Under 15 years", "15+"
TEXT_RANGE = re.compile(r"(?:aged\s+)?(\d+)\s*(?:-|–|—|to)\s*(\d+)(?:\s*years?)?")
TEXT_UNDER = re.compile(r"(?:under|less than|below|younger than)\s+(\d+)(?:\s*years?)?")
TEXT_OVER = re.compile(
    r"(?:aged\s+)?(\d+)\s*(?:\+|years?\s*\+|(?:years?\s+)?(?:and|or)\s+(?:over|above|older|more))"
)


@dataclass(frozen=True)
class Headline(Generic[Row]):
    """The rows chosen as a series' headline (empty: no headline) and their dimensions."""

    rows: list[Row] = field(default_factory=list)
    breakdown: dict[str, str] = field(default_factory=dict)
    """The dimensions of the rows used, ``{}`` when they are totals (or there is no headline)."""

    @property
    def found(self) -> bool:
        return bool(self.rows)

    @property
    def from_breakdown(self) -> bool:
        """True when a breakdown stands for the headline because the series has no total."""
        return bool(self.rows) and bool(self.breakdown)


def dimensions_from_key(key: str) -> dict[str, str]:
    """The dimensions of a ``dimensions_key`` ("AGE=Y5T17|SEX=F"; ``\\``, ``\\|`` and ``\\=``
    escaped, as ``importers.base.dimensions_key_of`` writes it); ``{}`` for ""."""
    if not key:
        return {}
    if "\\" not in key:
        return dict(part.split("=", 1) for part in key.split("|"))
    dimensions: dict[str, str] = {}
    name: str | None = None
    text: list[str] = []
    characters = iter(key)
    for character in characters:
        if character == "\\":
            text.append(next(characters, ""))
        elif character == "=" and name is None:
            name, text = "".join(text), []
        elif character == "|":
            dimensions[name or ""] = "".join(text)
            name, text = None, []
        else:
            text.append(character)
    dimensions[name or ""] = "".join(text)
    return dimensions


def dimensions_of(row: Mapping[str, Any]) -> dict[str, str]:
    """The row's dimensions with a value (an empty value is no disaggregation): its
    ``dimensions`` mapping, else those of its ``dimensions_key`` (cheaper to read in bulk)."""
    if "dimensions" in row:
        found = row["dimensions"] or {}
    else:
        found = dimensions_from_key(row.get("dimensions_key") or "")
    return {str(name): str(value) for name, value in found.items() if value not in (None, "")}


def _is_total(row: Mapping[str, Any]) -> bool:
    """No disaggregation (cheaper than :func:`dimensions_of` when the key is read)."""
    if "dimensions" in row:
        return not any(value not in (None, "") for value in (row["dimensions"] or {}).values())
    return not row.get("dimensions_key")


def is_total_code(value: str) -> bool:
    text = " ".join(value.split()).upper()
    return text in TOTAL_CODES or bool(TOTAL_WORDS.fullmatch(text))


def is_age_dimension(name: str) -> bool:
    return re.sub(r"[\s-]+", "_", name.strip().lower()) in AGE_DIMENSIONS


def age_band(value: str) -> tuple[float, float] | None:
    """The ages (first, last, inclusive; ``inf`` when open) an age value covers; None when it
    cannot be read."""
    text = value.strip()
    if match := SDMX_RANGE.fullmatch(text):
        return float(match.group(1)), float(match.group(2))
    if match := SDMX_OPEN.fullmatch(text):
        operator, age = match.group(1), float(match.group(2))
        return {
            "GE": (age, math.inf),
            "GT": (age + 1, math.inf),
            "LT": (0.0, age - 1),
            "LE": (0.0, age),
        }[operator]
    if match := SDMX_SINGLE.fullmatch(text):
        return float(match.group(1)), float(match.group(1))
    lowered = " ".join(text.lower().split())
    if match := TEXT_RANGE.fullmatch(lowered):
        return float(match.group(1)), float(match.group(2))
    if match := TEXT_UNDER.fullmatch(lowered):
        return 0.0, float(match.group(1)) - 1
    if match := TEXT_OVER.fullmatch(lowered):
        return float(match.group(1)), math.inf
    return None


def widest_age(values: Iterable[str]) -> str | None:
    """The one age value whose band covers every other value's band; None when a value cannot
    be read, or when no single value covers all the others."""
    bands: dict[str, tuple[float, float]] = {}
    for value in values:
        band = age_band(value)
        if band is None:
            return None
        bands[value] = band
    covering = [
        value
        for value, (first, last) in bands.items()
        if all(
            first <= other_first and other_last <= last
            for other_first, other_last in bands.values()
        )
    ]
    return covering[0] if len(covering) == 1 else None


def whole_population_value(name: str, values: Iterable[str]) -> set[str]:
    """The value(s) of one dimension that describe the whole population: its total codes, else
    (for an age dimension) the widest band, else none."""
    present = set(values)
    totals = {value for value in present if is_total_code(value)}
    if totals:
        return totals
    if is_age_dimension(name):
        widest = widest_age(present)
        return {widest} if widest is not None else set()
    return set()


def headline_rows(rows: Sequence[Row]) -> Headline[Row]:
    """The headline rows of one series (see the module docstring for the rule)."""
    totals = [row for row in rows if _is_total(row)]
    if totals:
        return Headline(rows=totals)
    dimensions = [dimensions_of(row) for row in rows]
    values: dict[str, set[str]] = defaultdict(set)
    for found in dimensions:
        for name, value in found.items():
            values[name].add(value)
    chosen = {name: whole_population_value(name, present) for name, present in values.items()}
    picked = [
        (row, found)
        for row, found in zip(rows, dimensions, strict=True)
        if all(value in chosen[name] for name, value in found.items())
    ]
    if not picked:
        return Headline()
    per_period = Counter(str(row["period"]) for row, _found in picked)
    if any(count > 1 for count in per_period.values()):
        return Headline()
    breakdown: dict[str, set[str]] = defaultdict(set)
    for _row, found in picked:
        for name, value in found.items():
            breakdown[name].add(value)
    return Headline(
        rows=[row for row, _found in picked],
        breakdown={name: " / ".join(sorted(breakdown[name])) for name in sorted(breakdown)},
    )


def headlines_by_series(
    rows: Iterable[Row], key: Callable[[Row], GroupKey]
) -> dict[GroupKey, Headline[Row]]:
    """:func:`headline_rows` of each group of ``rows`` (``key``: e.g. area, series and unit),
    in the order the groups first appear; groups without a headline are left out. The rows of
    each headline keep their order in ``rows``."""
    groups: dict[GroupKey, list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    found = {group: headline_rows(members) for group, members in groups.items()}
    return {group: headline for group, headline in found.items() if headline.found}


def breakdown_code(breakdown: Mapping[str, str]) -> str:
    """``AGE=Y5T17`` (several dimensions joined by ``|``), as stored in ``dimensions_key``."""
    return "|".join(f"{name}={breakdown[name]}" for name in sorted(breakdown))
