"""Method B, UNSD Progress Chart (Technical Notes 2023 and 2024, as implemented by EUSTAT):
one series (:func:`assess_unsd`) and the indicator (:func:`aggregate_unsd`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from sdg87.indicators.progress.series import (
    PERCENT_TOLERANCE,
    BoundsCheck,
    Direction,
    Goal,
    Method,
    Note,
    Point,
    Reason,
    cagr,
    common_reason,
    meets,
    opposite_signs,
    prepare,
)


class UnsdStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"  # score 3
    ACCELERATION_NEEDED = "acceleration_needed"  # score 2
    STAGNATION_OR_REGRESSION = "stagnation_or_regression"  # score 1
    NO_RESULT = "no_result"


@dataclass(frozen=True)
class UnsdThresholds:
    """Method B: score 3 from ``on_track``, 2 from ``acceleration_needed`` (compared with
    ``comparison``: Q ≥, CAGR ≥ when an increase is desirable, CAGR ≤ when a decrease is)."""

    on_track: float
    acceleration_needed: float
    comparison: str  # ">=" or "<="


@dataclass(frozen=True)
class UnsdResult:
    """Method B for one series, with every component of the calculation."""

    status: UnsdStatus
    reason: Reason | None = None
    base_year: int | None = None  # b
    base_value: float | None = None  # v_b
    current_year: int | None = None  # t
    current_value: float | None = None  # v_t
    target_year: int | None = None  # T
    target_value: float | None = None  # v_T
    direction: int | None = None  # d
    cagr: float | None = None  # CAGR_a
    expected_value: float | None = None  # v_e = v_t (1 + CAGR_a)^(T − t)
    progress_ratio: float | None = None  # Q = (v_e − v_b)/(v_T − v_b)
    thresholds: UnsdThresholds | None = None
    score: int | None = None  # 3, 2 or 1
    achieved: bool = False
    notes: tuple[Note, ...] = ()
    bounds: BoundsCheck | None = None
    method: Method = Method.UNSD


UNSD_SCORES = {
    UnsdStatus.ACHIEVED: 3,
    UnsdStatus.ON_TRACK: 3,
    UnsdStatus.ACCELERATION_NEEDED: 2,
    UnsdStatus.STAGNATION_OR_REGRESSION: 1,
}


def unsd_base(series: Sequence[Point], base_year: int) -> Point | None:
    """b = the base year, or the year nearest to it that leaves a later point (EUSTAT: "the first
    available year after or before 2015 that allows at least 2 values"): ties go to the later."""
    if len(series) < 2:
        return None
    candidates = series[:-1]
    return min(candidates, key=lambda point: (abs(point.year - base_year), point.year < base_year))


def _unsd_achieved(current: float, goal: Goal) -> Note | None:
    target = goal.target_value
    if target is None:
        return None
    if meets(current, target, goal.direction):
        return Note.LATEST_MEETS_TARGET
    if goal.percent_unit and target in (0, 100) and abs(current - target) <= PERCENT_TOLERANCE:
        return Note.WITHIN_ONE_POINT
    return None


def _unsd_thresholds(goal: Goal) -> UnsdThresholds:
    if goal.has_target:
        return UnsdThresholds(on_track=0.95, acceleration_needed=0.10, comparison=">=")
    if goal.direction is Direction.UP:
        return UnsdThresholds(on_track=0.02, acceleration_needed=0.005, comparison=">=")
    return UnsdThresholds(on_track=-0.02, acceleration_needed=-0.005, comparison="<=")


def _unsd_status(value: float, thresholds: UnsdThresholds) -> UnsdStatus:
    if thresholds.comparison == ">=":
        if value >= thresholds.on_track:
            return UnsdStatus.ON_TRACK
        if value >= thresholds.acceleration_needed:
            return UnsdStatus.ACCELERATION_NEEDED
        return UnsdStatus.STAGNATION_OR_REGRESSION
    if value <= thresholds.on_track:
        return UnsdStatus.ON_TRACK
    if value <= thresholds.acceleration_needed:
        return UnsdStatus.ACCELERATION_NEEDED
    return UnsdStatus.STAGNATION_OR_REGRESSION


def assess_unsd(points: Sequence[Point], goal: Goal) -> UnsdResult:
    """Method B for one series."""
    series = prepare(points)
    thresholds = _unsd_thresholds(goal)
    result = UnsdResult(
        status=UnsdStatus.NO_RESULT,
        direction=goal.direction.d,
        target_value=goal.target_value,
        target_year=goal.target_year if goal.has_target else None,
        thresholds=thresholds,
    )
    if not series:
        return replace(result, reason=Reason.NO_DATA)
    current = series[-1]
    result = replace(result, current_year=current.year, current_value=current.value)
    achieved_by = _unsd_achieved(current.value, goal)
    base = unsd_base(series, goal.base_year)
    if base is not None:
        result = replace(result, base_year=base.year, base_value=base.value)
    if achieved_by is not None:
        return replace(
            result, status=UnsdStatus.ACHIEVED, score=3, achieved=True, notes=(achieved_by,)
        )
    if base is None:
        return replace(result, reason=Reason.INSUFFICIENT_DATA)
    if base.value == 0:
        return replace(result, reason=Reason.ZERO_BASE_VALUE)
    if opposite_signs(base.value, current.value):
        return replace(result, reason=Reason.SIGN_CHANGE)

    actual = cagr(current.value, base.value, current.year, base.year)  # CAGR_a
    result = replace(result, cagr=actual)
    target = goal.target_value
    if target is None:
        status = _unsd_status(actual, thresholds)
        return replace(result, status=status, score=UNSD_SCORES[status])
    if meets(base.value, target, goal.direction):
        # The base met the target and the latest value no longer does: a regression that Q,
        # whose denominator then points the wrong way, would misread.
        status = UnsdStatus.STAGNATION_OR_REGRESSION
        return replace(result, status=status, score=1, notes=(Note.BASE_MET_TARGET,))
    expected = current.value * (1 + actual) ** (goal.target_year - current.year)  # v_e
    ratio = (expected - base.value) / (target - base.value)  # Q
    status = _unsd_status(ratio, thresholds)
    return replace(
        result,
        expected_value=expected,
        progress_ratio=ratio,
        status=status,
        score=UNSD_SCORES[status],
    )


@dataclass(frozen=True)
class UnsdAggregate:
    status: UnsdStatus
    reason: Reason | None = None
    score: float | None = None  # mean of the series scores (achieved = 3)
    achieved: bool = False
    series_count: int = 0
    series_assessed: int = 0
    method: Method = Method.UNSD


def aggregate_unsd(results: Sequence[UnsdResult]) -> UnsdAggregate:
    """Mean of the series scores: ``achieved`` when every series is, else ≥ 2.5 → on track,
    ≥ 1.5 → acceleration needed, else stagnation or regression."""
    scored = [result for result in results if result.score is not None]
    if not scored:
        reason = Reason.NO_DATA if not results else common_reason(results)
        return UnsdAggregate(status=UnsdStatus.NO_RESULT, reason=reason, series_count=len(results))
    score = sum(result.score for result in scored if result.score is not None) / len(scored)
    achieved = all(result.achieved for result in scored)
    if achieved:
        status = UnsdStatus.ACHIEVED
    elif score >= 2.5:
        status = UnsdStatus.ON_TRACK
    elif score >= 1.5:
        status = UnsdStatus.ACCELERATION_NEEDED
    else:
        status = UnsdStatus.STAGNATION_OR_REGRESSION
    return UnsdAggregate(
        status=status,
        score=score,
        achieved=achieved,
        series_count=len(results),
        series_assessed=len(scored),
    )
