"""A series and the goal it is assessed against: the inputs both methods share."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

BASE_YEAR = 2015
DEFAULT_TARGET_YEAR = 2030
ZERO_REPLACEMENT = 0.001  # Method A: a base value or target of 0 is replaced by this
LIMIT_EXPONENT = 4.44  # Method A: a in C = 1 − (y0/L)^a
PERCENT_TOLERANCE = 1.0  # Method B: within 1 percentage point of a 0 % or 100 % target

PERCENT_UNITS = frozenset({"%", "pt", "percent", "percentage", "per cent", "percentage (%)"})


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"

    @property
    def d(self) -> int:
        """+1 when an increase is desirable, −1 when a decrease is."""
        return 1 if self is Direction.UP else -1


class Method(StrEnum):
    OPEN_SDG = "open_sdg"
    UNSD = "unsd"


class Reason(StrEnum):
    """Why a method gives no result."""

    NO_DATA = "no_data"
    INSUFFICIENT_DATA = "insufficient_data"  # fewer than 2 years
    NO_DATA_SINCE_BASE_YEAR = "no_data_since_base_year"  # Method A: every year before 2015
    SIGN_CHANGE = "sign_change"  # base and latest values on either side of 0
    TARGET_SIGN_DIFFERS = "target_sign_differs"  # base and target on either side of 0
    ZERO_BASE_VALUE = "zero_base_value"  # Method B: no growth rate from 0
    TARGET_YEAR_IS_BASE_YEAR = "target_year_is_base_year"
    NO_TARGET = "no_target"
    MOVING_AWAY = "moving_away"
    NO_CHANGE = "no_change"
    DEADLINE_PASSED = "deadline_passed"
    NO_ASSESSABLE_SERIES = "no_assessable_series"


class Note(StrEnum):
    """Adjustments made on the way to a result (the result still stands)."""

    BASE_VALUE_ZERO_REPLACED = "base_value_zero_replaced"
    TARGET_ZERO_REPLACED = "target_zero_replaced"
    LIMIT_IGNORED_WITH_TARGET = "limit_ignored_with_target"
    TARGET_EQUALS_BASE = "target_equals_base"
    TREND_NOT_ASSESSED = "trend_not_assessed"  # target achieved, but the trend has no result
    BASE_MET_TARGET = "base_met_target"
    WITHIN_ONE_POINT = "within_one_percentage_point"
    LATEST_MEETS_TARGET = "latest_value_meets_target"


class DuplicateYearsError(ValueError):
    """A series has more than one value for a year (sdg-build raises on this too)."""

    def __init__(self, years: Sequence[int]) -> None:
        self.years = tuple(sorted(set(years)))
        super().__init__("duplicate years in the series: " + ", ".join(map(str, self.years)))


@dataclass(frozen=True)
class Point:
    """One observation of a series; ``lower``/``upper`` are its bounds where published."""

    year: int
    value: float
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class Goal:
    """What a series is assessed against: the indicator's direction, target and natural limit."""

    direction: Direction = Direction.DOWN
    target_value: float | None = None
    target_year: int = DEFAULT_TARGET_YEAR
    natural_limit: float | None = None
    percent_unit: bool = False  # Method B's "within 1 percentage point" rule applies
    base_year: int = BASE_YEAR

    @property
    def has_target(self) -> bool:
        return self.target_value is not None


def is_percent_unit(unit: str) -> bool:
    """A unit that is a percentage ("%", SDMX "PT", "percent", "Percentage of children"…)."""
    text = (unit or "").strip().casefold()
    return text in PERCENT_UNITS or "percent" in text or "%" in text


def prepare(points: Sequence[Point]) -> tuple[Point, ...]:
    """The points in year order, without missing values; duplicate years are an error."""
    kept = [point for point in points if math.isfinite(point.value)]
    counts = Counter(point.year for point in kept)
    duplicates = [year for year, count in counts.items() if count > 1]
    if duplicates:
        raise DuplicateYearsError(duplicates)
    return tuple(sorted(kept, key=lambda point: point.year))


def cagr(value: float, base_value: float, year: int, base_year: int) -> float:
    """Compound annual growth rate: (value/base_value)^(1/(year − base_year)) − 1.

    The caller makes sure the ratio is not negative and the years differ.
    """
    return (value / base_value) ** (1 / (year - base_year)) - 1


def meets(value: float, target: float, direction: Direction) -> bool:
    return value >= target if direction is Direction.UP else value <= target


def opposite_signs(a: float, b: float) -> bool:
    return (a > 0 and b < 0) or (a < 0 and b > 0)


@dataclass(frozen=True)
class BoundsEnd:
    """The classification with the base and latest values moved to one end of their bounds."""

    status: str
    base_value: float
    current_value: float


@dataclass(frozen=True)
class BoundsCheck:
    """Does the classification hold at both ends of the bounds? ``pessimistic`` starts from the
    favourable end of the base value and ends at the unfavourable end of the latest value;
    ``optimistic`` the other way round."""

    robust: bool
    pessimistic: BoundsEnd
    optimistic: BoundsEnd


class AssessedSeries(Protocol):
    """What every method's result has (for :func:`common_reason`)."""

    reason: Reason | None


def common_reason(results: Sequence[AssessedSeries]) -> Reason:
    """The series' shared reason for having no result, else ``no_assessable_series``."""
    reasons = {result.reason for result in results}
    if len(reasons) == 1 and None not in reasons:
        return next(iter(reasons))  # type: ignore[return-value]
    return Reason.NO_ASSESSABLE_SERIES
