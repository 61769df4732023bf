"""Progress towards a target: two published methods side by side, and what neither shows.

Pure: dataclasses in, dataclasses out; no ORM, no Django. The specification is
``shared/design/progress-methods.md``; each function names the rule it implements.

- ``series``: the inputs (:class:`Point`, :class:`Goal`), CAGR and the shared guards.
- ``open_sdg``: **Method A, Open SDG** (Statistics Canada), as implemented in open-sdg/sdg-build
  ``sdg/ProgressMeasure.py``: :func:`assess_open_sdg` for one series,
  :func:`aggregate_open_sdg` for the indicator (mean of the series scores).
- ``unsd``: **Method B, UNSD Progress Chart** (Technical Notes 2023/2024, as implemented by
  EUSTAT): :func:`assess_unsd` and :func:`aggregate_unsd`.
- Beyond both: ``time_to_target`` (:func:`outlook`: years to target at the current rate, the rate
  now required) and ``bounds`` (:func:`check_bounds`: does the classification hold at both ends
  of the bounds?).
- :func:`assess_series` runs all of them on one series.

Symbols used in the comments: t0/y0 base year and value, t/yt latest year and value, T/yT target
year and value, d desired direction (+1 up, −1 down), s sign of y0, L natural limit, C the
threshold scaling factor.

Decisions where the specification is silent, with the sdg-build evidence:

- Data only before 2015 (Method A): sdg-build takes ``years[years > base_year].min()``, which is
  empty, and then fails on ``.item()``: no assessment is produced. Here the series gets
  ``no_result`` with reason ``no_data_since_base_year``. Method B takes the nearest year to 2015
  that still leaves two points, so it does assess such a series.
- "Target achieved" (Method A) is decided before, and independently of, the guards on the trend:
  sdg-build sets ``target_achieved`` from the latest value alone and ``get_score`` returns 5
  whenever it is true, even when ``calculate_progress_value`` returned None (one data point, or a
  sign change). The same is done here, and for Method B's "achieved" rule.
- A target equal to the base value (Method A): CAGR(yT, y0, T, t0) = 0, so R = ±inf in sdg-build's
  numpy arithmetic; when the target is not achieved R is −inf (the series moved away), giving
  ``deterioration`` and score −5. Here R is reported as None with that status and score.
- The indicator-level status uses the vocabulary of the variant: with a target the score bands are
  on track / acceleration needed / limited progress / deterioration (open-sdg's
  progress-methodology.md names them so), without one substantial / moderate / limited /
  deterioration (sdg-build's slugs).
- Method B gives no indicator aggregate: here it is the mean of the series scores (achieved = 3),
  ``achieved`` only when every series achieved the target, else ≥ 2.5 → 3, ≥ 1.5 → 2, else 1.
- Method B's ratio Q misreads a series whose base value already met the target and whose latest
  value no longer does (Q > 1 while it regressed): such a series is ``stagnation_or_regression``
  with the note ``base_met_target``. A base value of 0 has no growth rate: ``no_result``.
  Negative values are used as they are (the UNSD formulas have no sign rule); a target year
  before the latest year extrapolates backwards (exponent T − t < 0).
- The outlook's current rate runs from Method B's base year (2015 or the nearest year), so it
  exists whenever there are two points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sdg87.indicators.progress.bounds import check_bounds
from sdg87.indicators.progress.open_sdg import (
    OpenSdgAggregate,
    OpenSdgResult,
    OpenSdgStatus,
    Thresholds,
    aggregate_open_sdg,
    assess_open_sdg,
    limit_coefficient,
    open_sdg_score,
    status_from_score,
)
from sdg87.indicators.progress.series import (
    BASE_YEAR,
    DEFAULT_TARGET_YEAR,
    ZERO_REPLACEMENT,
    BoundsCheck,
    BoundsEnd,
    Direction,
    DuplicateYearsError,
    Goal,
    Method,
    Note,
    Point,
    Reason,
    cagr,
    is_percent_unit,
    prepare,
)
from sdg87.indicators.progress.time_to_target import Outlook, outlook
from sdg87.indicators.progress.unsd import (
    UnsdAggregate,
    UnsdResult,
    UnsdStatus,
    UnsdThresholds,
    aggregate_unsd,
    assess_unsd,
    unsd_base,
)

__all__ = [
    "BASE_YEAR",
    "DEFAULT_TARGET_YEAR",
    "ZERO_REPLACEMENT",
    "BoundsCheck",
    "BoundsEnd",
    "Direction",
    "DuplicateYearsError",
    "Goal",
    "Method",
    "Note",
    "OpenSdgAggregate",
    "OpenSdgResult",
    "OpenSdgStatus",
    "Outlook",
    "Point",
    "Reason",
    "SeriesAssessment",
    "Thresholds",
    "UnsdAggregate",
    "UnsdResult",
    "UnsdStatus",
    "UnsdThresholds",
    "aggregate_open_sdg",
    "aggregate_unsd",
    "assess_open_sdg",
    "assess_series",
    "assess_unsd",
    "cagr",
    "check_bounds",
    "is_percent_unit",
    "limit_coefficient",
    "open_sdg_score",
    "outlook",
    "prepare",
    "status_from_score",
    "unsd_base",
]


@dataclass(frozen=True)
class SeriesAssessment:
    open_sdg: OpenSdgResult
    unsd: UnsdResult
    outlook: Outlook


def assess_series(points: Sequence[Point], goal: Goal) -> SeriesAssessment:
    """Both methods, their bounds checks and the outlook for one series.

    Raises :class:`DuplicateYearsError` when a year has more than one value.
    """
    series = prepare(points)
    open_sdg = assess_open_sdg(series, goal)
    open_sdg = replace(open_sdg, bounds=check_bounds(series, goal, open_sdg, assess_open_sdg))
    unsd = assess_unsd(series, goal)
    unsd = replace(unsd, bounds=check_bounds(series, goal, unsd, assess_unsd))
    return SeriesAssessment(open_sdg=open_sdg, unsd=unsd, outlook=outlook(series, goal))
