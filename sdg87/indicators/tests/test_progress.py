"""Pure unit tests of ``sdg87.indicators.progress`` on worked examples calculated by hand.

Every expected number is worked out in the comments, carried to 6 significant figures, so the
comparisons use ``close()``: a relative tolerance of 1e-4 (and 1e-6 absolute near zero).
Notation: t0/y0 base year and value, t/yt latest, T/yT target, d direction, s sign of y0,
ln natural logarithm, exp its inverse; x^(1/n) is computed as exp(ln(x)/n).
"""

import math

import pytest

from sdg87.indicators.progress import (
    BoundsCheck,
    Direction,
    DuplicateYearsError,
    Goal,
    Note,
    OpenSdgResult,
    OpenSdgStatus,
    Point,
    Reason,
    UnsdResult,
    UnsdStatus,
    aggregate_open_sdg,
    aggregate_unsd,
    assess_open_sdg,
    assess_series,
    assess_unsd,
    is_percent_unit,
    limit_coefficient,
    outlook,
    prepare,
    status_from_score,
)

DOWN, UP = Direction.DOWN, Direction.UP


def close(expected: float):
    return pytest.approx(expected, rel=1e-4, abs=1e-6)


def series(*pairs: tuple[int, float]) -> list[Point]:
    return [Point(year=year, value=value) for year, value in pairs]


def target(value: float, year: int = 2030, direction: Direction = DOWN, **options) -> Goal:
    return Goal(direction=direction, target_value=value, target_year=year, **options)


# The brief's example, reused below: child labour 25.8 % in 2015, 19.6 % in 2023, target 0 by
# 2025, decrease desirable.
CHILD_LABOUR = series((2015, 25.8), (2023, 19.6))
END_BY_2025 = target(0, 2025, percent_unit=True)


# --- Method A (Open SDG), with a target ---------------------------------------------------------


def test_open_sdg_zero_target_worked_example_matches_sdg_build():
    # yT = 0 is replaced by 0.001 (sdg-build: "Target is zero (invalid) … target = 0.001").
    # t0 = 2015 is in the data, so y0 = 25.8; t = 2023, yt = 19.6; d = −1; s = +1 (y0 > 0).
    # CAGR   = (19.6/25.8)^(1/8) − 1 = exp(ln 0.759690 / 8) − 1 = exp(−0.0343556) − 1 = −0.0337722
    # CAGR_T = (0.001/25.8)^(1/10) − 1 = exp(ln 3.87597e-5 / 10) − 1 = exp(−1.015809) − 1
    #        = 0.362108 − 1 = −0.637892
    # R = s·d·CAGR/|CAGR_T| = (+1)(−1)(−0.0337722)/0.637892 = 0.0529434
    # 0 ≤ R < 0.6 → limited progress; score = max(4.1667·0.0529434 − 2.5, −5) = −2.27940
    # sdg-build walk-through: filter_data keeps the two rows; base_year 2015 is in the years;
    # sign 1; method 2 (target given) with thresholds high 0.95, med 0.6, low 0;
    # is_target_achieved: 19.6 <= 0.001 is false; methodology_2 returns 0.0529434;
    # get_progress_status gives its "limited_progress" (z ≤ value < y); get_score takes the
    # "progress_value >= low" branch: max(4.1667·R − 2.5, −5). Same status, same score.
    result = assess_open_sdg(CHILD_LABOUR, END_BY_2025)

    assert result.status is OpenSdgStatus.LIMITED_PROGRESS
    assert (result.base_year, result.base_value) == (2015, 25.8)
    assert (result.current_year, result.current_value) == (2023, 19.6)
    assert (result.target_year, result.target_value) == (2025, 0.001)
    assert (result.direction, result.sign) == (-1, 1)
    assert result.cagr == close(-0.0337722)
    assert result.required_cagr == close(-0.637892)
    assert result.progress_measure == "R"
    assert result.progress_value == close(0.0529434)
    assert result.score == close(-2.27940)
    assert Note.TARGET_ZERO_REPLACED in result.notes
    assert result.target_achieved is False


def test_open_sdg_on_track_decrease_desirable():
    # y0 = 20 (2015), yt = 12 (2020), yT = 5 by 2030, d = −1, s = +1.
    # CAGR   = 0.6^(1/5) − 1 = exp(−0.510826/5) − 1 = 0.902880 − 1 = −0.0971195
    # CAGR_T = 0.25^(1/15) − 1 = exp(−1.386294/15) − 1 = 0.911722 − 1 = −0.0882775
    # R = 0.0971195/0.0882775 = 1.10016 ≥ 0.95 → on track
    # score = min(7.1429·1.10016 − 4.2857, 5) = min(7.85834 − 4.2857, 5) = 3.57264
    result = assess_open_sdg(series((2015, 20), (2020, 12)), target(5))

    assert result.status is OpenSdgStatus.ON_TRACK
    assert result.progress_value == close(1.10016)
    assert result.score == close(3.57264)


def test_open_sdg_acceleration_needed_decrease_desirable():
    # y0 = 20 (2015), yt = 15 (2020), yT = 5 by 2030.
    # CAGR = 0.75^(1/5) − 1 = exp(−0.287682/5) − 1 = 0.944088 − 1 = −0.0559125
    # R = 0.0559125/0.0882775 = 0.633372: 0.6 ≤ R < 0.95 → progress made but acceleration needed
    # score = 7.1429·0.633372 − 4.2857 = 4.52411 − 4.2857 = 0.238412
    result = assess_open_sdg(series((2015, 20), (2020, 15)), target(5))

    assert result.status is OpenSdgStatus.ACCELERATION_NEEDED
    assert result.progress_value == close(0.633372)
    assert result.score == close(0.238412)


def test_open_sdg_deterioration_decrease_desirable():
    # y0 = 20 (2015), yt = 24 (2020), yT = 5 by 2030.
    # CAGR = 1.2^(1/5) − 1 = exp(0.182322/5) − 1 = 1.037137 − 1 = 0.0371373
    # R = (+1)(−1)(0.0371373)/0.0882775 = −0.420688 < 0 → deterioration
    # score = max(4.1667·(−0.420688) − 2.5, −5) = −1.75288 − 2.5 = −4.25288
    result = assess_open_sdg(series((2015, 20), (2020, 24)), target(5))

    assert result.status is OpenSdgStatus.DETERIORATION
    assert result.progress_value == close(-0.420688)
    assert result.score == close(-4.25288)


def test_open_sdg_scores_are_capped_at_five_and_minus_five():
    # Doubling (yt = 40): CAGR = 2^(1/5) − 1 = 0.148698; R = −0.148698/0.0882775 = −1.68444;
    # 4.1667·(−1.68444) − 2.5 = −9.52 → −5.
    # Falling to 6 (still above the target 5): CAGR = 0.3^(1/5) − 1
    # = exp(−1.203973/5) − 1 = −0.213996; R = 0.213996/0.0882775 = 2.42412;
    # 7.1429·2.42412 − 4.2857 = 13.03 → 5 (on track, not target achieved: 6 > 5).
    worse = assess_open_sdg(series((2015, 20), (2020, 40)), target(5))
    better = assess_open_sdg(series((2015, 20), (2020, 6)), target(5))

    assert worse.score == -5.0
    assert better.progress_value == close(2.42412)
    assert (better.status, better.score) == (OpenSdgStatus.ON_TRACK, 5.0)


def test_open_sdg_increase_desirable_with_target():
    # y0 = 50 (2015), yt = 60 (2020), yT = 100 by 2030, d = +1, s = +1.
    # CAGR   = 1.2^(1/5) − 1 = 0.0371373
    # CAGR_T = 2^(1/15) − 1 = exp(0.693147/15) − 1 = 1.047294 − 1 = 0.0472941
    # R = 0.0371373/0.0472941 = 0.785241 → acceleration needed
    # score = 7.1429·0.785241 − 4.2857 = 5.60890 − 4.2857 = 1.32320
    result = assess_open_sdg(series((2015, 50), (2020, 60)), target(100, direction=UP))

    assert result.status is OpenSdgStatus.ACCELERATION_NEEDED
    assert result.direction == 1
    assert result.required_cagr == close(0.0472941)
    assert result.progress_value == close(0.785241)
    assert result.score == close(1.32320)


def test_open_sdg_target_achieved_overrides_the_trend():
    # yt = 4 ≤ yT = 5 with d = −1: target achieved, score 5, whatever R says
    # (R = (0.4^(1/5) − 1 → −0.167447)·(−1)/|0.5^(1/15) − 1 = −0.0451584| = 3.70799).
    result = assess_open_sdg(series((2015, 10), (2020, 4)), target(5))

    assert result.status is OpenSdgStatus.TARGET_ACHIEVED
    assert result.target_achieved is True
    assert result.score == 5.0
    assert result.progress_value == close(3.70799)


def test_open_sdg_target_already_met_with_one_data_point_follows_sdg_build():
    # USA's national file has one row: 2015, 0. yT = 0 → 0.001; yt = 0 ≤ 0.001: achieved.
    # sdg-build sets target_achieved before calculate_progress_value returns None (fewer than
    # 2 points), and get_score returns 5 when target_achieved: status target_achieved, score 5.
    result = assess_open_sdg(series((2015, 0)), target(0, 2025))

    assert result.status is OpenSdgStatus.TARGET_ACHIEVED
    assert result.score == 5.0
    assert result.progress_value is None
    assert Note.TREND_NOT_ASSESSED in result.notes


def test_open_sdg_one_data_point_gives_no_result():
    result = assess_open_sdg(series((2016, 5.0)), target(0, 2025))

    assert result.status is OpenSdgStatus.NO_RESULT
    assert result.reason is Reason.INSUFFICIENT_DATA
    assert result.score is None


def test_open_sdg_no_data_gives_no_result():
    result = assess_open_sdg([], target(0))

    assert (result.status, result.reason) == (OpenSdgStatus.NO_RESULT, Reason.NO_DATA)


def test_open_sdg_zero_base_value_is_replaced_by_a_thousandth():
    # y0 = 0 → 0.001 (s stays +1: 0 is not < 0); yt = 2 (2020); no target, d = −1.
    # CAGR = (2/0.001)^(1/5) − 1 = exp(ln 2000 / 5) − 1 = exp(1.520181) − 1 = 3.57305
    # P = (+1)(−1)(3.57305) = −3.57305 < 0 → deterioration; score = max(125P − 2.5, −5) = −5
    result = assess_open_sdg(series((2015, 0), (2020, 2)), Goal(direction=DOWN))

    assert result.base_value == 0.001
    assert Note.BASE_VALUE_ZERO_REPLACED in result.notes
    assert result.cagr == close(3.57305)
    assert result.progress_value == close(-3.57305)
    assert (result.status, result.score) == (OpenSdgStatus.DETERIORATION, -5.0)


def test_open_sdg_sign_change_gives_no_result():
    result = assess_open_sdg(series((2015, -2), (2020, 3)), Goal(direction=UP))

    assert (result.status, result.reason) == (OpenSdgStatus.NO_RESULT, Reason.SIGN_CHANGE)
    assert result.cagr is None


def test_open_sdg_negative_values_flip_the_direction_through_the_sign():
    # y0 = −10, yt = −5, d = +1, s = −1. CAGR = 0.5^(1/5) − 1 = exp(−0.693147/5) − 1 = −0.129449
    # P = (−1)(+1)(−0.129449) = 0.129449 ≥ 0.015 → substantial; score min(500P − 5, 5) = 5.
    result = assess_open_sdg(series((2015, -10), (2020, -5)), Goal(direction=UP))

    assert result.sign == -1
    assert result.progress_value == close(0.129449)
    assert (result.status, result.score) == (OpenSdgStatus.SUBSTANTIAL_PROGRESS, 5.0)


def test_duplicate_years_are_an_error():
    with pytest.raises(DuplicateYearsError) as error:
        assess_open_sdg(series((2015, 1.0), (2015, 2.0), (2020, 3.0)), Goal())

    assert error.value.years == (2015,)


def test_duplicate_years_are_an_error_for_every_entry_point():
    duplicated = series((2016, 1.0), (2016, 1.0))
    for assess in (assess_unsd, assess_series, outlook):
        with pytest.raises(DuplicateYearsError):
            assess(duplicated, Goal())


def test_open_sdg_data_only_before_2015_gives_no_result():
    # sdg-build: base_year 2015 not in the years → years[years > 2015].min() is empty, then
    # .item() fails: no assessment. Here: no_result, reason no_data_since_base_year.
    result = assess_open_sdg(series((2010, 30), (2012, 28), (2014, 25)), END_BY_2025)

    assert result.status is OpenSdgStatus.NO_RESULT
    assert result.reason is Reason.NO_DATA_SINCE_BASE_YEAR
    assert (result.current_year, result.current_value) == (2014, 25)


def test_open_sdg_base_year_is_the_first_year_after_2015_when_2015_is_missing():
    # Kyrgyzstan, SL_TLF_CHLDEC: 25.8 (2014), 26.7 (2018), 19.6 (2023); target 0 by 2025.
    # sdg-build: 2015 not in [2014, 2018, 2023] → years[years > 2015].min() = 2018, y0 = 26.7.
    # CAGR   = (19.6/26.7)^(1/5) − 1 = exp(ln 0.734082 / 5) − 1 = exp(−0.0618266) − 1 = −0.0599543
    # CAGR_T = (0.001/26.7)^(1/7) − 1 = exp(ln 3.74532e-5 / 7) − 1 = exp(−1.456054) − 1
    #        = 0.233153 − 1 = −0.766847
    # R = 0.0599543/0.766847 = 0.0781830 → limited; score = 4.1667·0.0781830 − 2.5 = −2.17424
    result = assess_open_sdg(series((2014, 25.8), (2018, 26.7), (2023, 19.6)), END_BY_2025)

    assert (result.base_year, result.base_value) == (2018, 26.7)
    assert result.required_cagr == close(-0.766847)
    assert result.progress_value == close(0.0781830)
    assert result.status is OpenSdgStatus.LIMITED_PROGRESS
    assert result.score == close(-2.17424)


def test_open_sdg_target_equal_to_base_value_not_achieved_is_deterioration():
    # yT = y0 = 10: CAGR_T = 0, so R = −inf in sdg-build's arithmetic (yt = 12 moved away).
    result = assess_open_sdg(series((2015, 10), (2020, 12)), target(10))

    assert (result.status, result.score) == (OpenSdgStatus.DETERIORATION, -5.0)
    assert result.progress_value is None
    assert Note.TARGET_EQUALS_BASE in result.notes


def test_open_sdg_natural_limit_is_ignored_when_there_is_a_target():
    result = assess_open_sdg(series((2015, 20), (2020, 12)), target(5, natural_limit=0))

    assert result.coefficient is None
    assert result.thresholds.high == 0.95
    assert Note.LIMIT_IGNORED_WITH_TARGET in result.notes


# --- Method A without a target ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "status", "progress_value", "score"),
    [
        # CAGR = 1.1^(1/5) − 1 = exp(0.0953102/5) − 1 = 0.0192449 ≥ 0.015 → substantial;
        # score = min(500·0.0192449 − 5, 5) = 4.62245
        (110, OpenSdgStatus.SUBSTANTIAL_PROGRESS, 0.0192449, 4.62245),
        # CAGR = 1.05^(1/5) − 1 = exp(0.0487902/5) − 1 = 0.00980582: 0.005 ≤ P < 0.015 → moderate;
        # score = 250·0.00980582 − 1.25 = 1.20146
        (105, OpenSdgStatus.MODERATE_PROGRESS, 0.00980582, 1.20146),
        # CAGR = 1.01^(1/5) − 1 = exp(0.00995033/5) − 1 = 0.00199205: 0 ≤ P < 0.005 → limited;
        # score = 500·0.00199205 − 2.5 = −1.50398
        (101, OpenSdgStatus.LIMITED_PROGRESS, 0.00199205, -1.50398),
        # CAGR = 0.95^(1/5) − 1 = exp(−0.0512933/5) − 1 = −0.0102062 < 0 → deterioration;
        # score = max(125·(−0.0102062) − 2.5, −5) = −3.77578
        (95, OpenSdgStatus.DETERIORATION, -0.0102062, -3.77578),
    ],
)
def test_open_sdg_without_target_increase_desirable(latest, status, progress_value, score):
    # y0 = 100 (2015), yt = latest (2020), d = +1, s = +1, no limit: C = 1.
    result = assess_open_sdg(series((2015, 100), (2020, latest)), Goal(direction=UP))

    assert result.status is status
    assert result.progress_measure == "P"
    assert result.coefficient == 1.0
    assert result.progress_value == close(progress_value)
    assert result.score == close(score)


def test_open_sdg_without_target_decrease_desirable():
    # y0 = 100, yt = 95, d = −1: P = (+1)(−1)(−0.0102062) = 0.0102062 → moderate;
    # score = 250·0.0102062 − 1.25 = 1.30155
    result = assess_open_sdg(series((2015, 100), (2020, 95)), Goal(direction=DOWN))

    assert result.status is OpenSdgStatus.MODERATE_PROGRESS
    assert result.score == close(1.30155)


def test_open_sdg_natural_limit_below_the_limit_scales_the_thresholds():
    # Maximum limit L = 100, y0 = 90 (2015), yt = 92 (2020), d = +1.
    # C = 1 − (90/100)^4.44 = 1 − exp(4.44·ln 0.9) = 1 − exp(−0.467801) = 1 − 0.626383 = 0.373617
    # thresholds: high = 0.015·C = 0.00560426, medium = 0.005·C = 0.00186809, low = 0
    # CAGR = (92/90)^(1/5) − 1 = exp(0.0219789/5) − 1 = 0.00440546
    # medium ≤ P < high → moderate (without the limit, 0.0044 < 0.005 would be limited)
    # score = 250·P/C − 1.25 = 250·0.0117913 − 1.25 = 1.69783
    result = assess_open_sdg(series((2015, 90), (2020, 92)), Goal(direction=UP, natural_limit=100))

    assert result.coefficient == close(0.373617)
    assert result.thresholds.high == close(0.00560426)
    assert result.thresholds.medium == close(0.00186809)
    assert result.progress_value == close(0.00440546)
    assert result.status is OpenSdgStatus.MODERATE_PROGRESS
    assert result.score == close(1.69783)


def test_open_sdg_natural_limit_between_the_limit_and_twice_it():
    # Minimum limit L = 10, y0 = 12 (2015), yt = 11.5 (2020), d = −1.
    # C = 1 − ((2·10 − 12)/10)^4.44 = 1 − 0.8^4.44 = 1 − exp(−0.990757) = 1 − 0.371295 = 0.628705
    # CAGR = (11.5/12)^(1/5) − 1 = exp(−0.0425596/5) − 1 = −0.00847580; P = 0.00847580
    # high = 0.00943058, medium = 0.00314353 → moderate; score = 250·P/C − 1.25 = 2.12030
    result = assess_open_sdg(
        series((2015, 12), (2020, 11.5)), Goal(direction=DOWN, natural_limit=10)
    )

    assert result.coefficient == close(0.628705)
    assert result.status is OpenSdgStatus.MODERATE_PROGRESS
    assert result.score == close(2.12030)


def test_open_sdg_limit_coefficient_cases():
    assert limit_coefficient(25, 10) == 1.0  # y0 ≥ 2L
    assert limit_coefficient(20, 10) == 1.0  # y0 = 2L
    assert limit_coefficient(10, 10) == 0.0  # y0 = L
    assert limit_coefficient(0, 0) == 1.0  # 2L tested first, as sdg-build does
    assert limit_coefficient(50, 100) == close(1 - 0.5**4.44)


def test_open_sdg_base_value_at_the_limit_held_is_substantial_progress_scored_five():
    # y0 = L = 100, yt = 100: C = 0, every threshold 0, P = 0 ≥ 0 → substantial, and sdg-build's
    # get_score returns 5 when coeff == 0 (no division by C).
    result = assess_open_sdg(
        series((2015, 100), (2020, 100)), Goal(direction=UP, natural_limit=100)
    )

    assert result.coefficient == 0.0
    assert (result.status, result.score) == (OpenSdgStatus.SUBSTANTIAL_PROGRESS, 5.0)


# --- Method A: the indicator aggregate ----------------------------------------------------------


def scored(score: float, achieved: bool = False) -> OpenSdgResult:
    status = OpenSdgStatus.TARGET_ACHIEVED if achieved else OpenSdgStatus.LIMITED_PROGRESS
    return OpenSdgResult(status=status, score=score, target_achieved=achieved)


def test_open_sdg_indicator_score_is_the_mean_of_the_series_scores():
    # (3.57264 + (−2.27940))/2 = 0.646620: 0 ≤ score < 2.5 → acceleration needed (with target)
    aggregate = aggregate_open_sdg([scored(3.57264), scored(-2.27940)], with_target=True)

    assert aggregate.score == close(0.646620)
    assert aggregate.status is OpenSdgStatus.ACCELERATION_NEEDED
    assert (aggregate.series_count, aggregate.series_assessed) == (2, 2)


def test_open_sdg_indicator_target_achieved_only_when_every_series_achieved_it():
    # (5 + 1.32320)/2 = 3.16160 ≥ 2.5 → on track, not target achieved.
    one = aggregate_open_sdg([scored(5.0, achieved=True), scored(1.32320)], with_target=True)
    both = aggregate_open_sdg([scored(5.0, True), scored(5.0, True)], with_target=True)

    assert (one.status, one.target_achieved) == (OpenSdgStatus.ON_TRACK, False)
    assert one.score == close(3.16160)
    assert (both.status, both.target_achieved) == (OpenSdgStatus.TARGET_ACHIEVED, True)


def test_open_sdg_indicator_without_target_uses_the_progress_vocabulary():
    # (4.62245 + 1.20146)/2 = 2.91196 ≥ 2.5 → substantial progress
    aggregate = aggregate_open_sdg([scored(4.62245), scored(1.20146)], with_target=False)

    assert aggregate.status is OpenSdgStatus.SUBSTANTIAL_PROGRESS


@pytest.mark.parametrize(
    ("score", "with_target", "status"),
    [
        (5.0, True, OpenSdgStatus.ON_TRACK),
        (2.5, True, OpenSdgStatus.ON_TRACK),
        (2.4999, True, OpenSdgStatus.ACCELERATION_NEEDED),
        (0.0, False, OpenSdgStatus.MODERATE_PROGRESS),
        (-0.0001, False, OpenSdgStatus.LIMITED_PROGRESS),
        (-2.5, True, OpenSdgStatus.LIMITED_PROGRESS),
        (-2.5001, False, OpenSdgStatus.DETERIORATION),
    ],
)
def test_open_sdg_status_from_score_bands(score, with_target, status):
    assert status_from_score(score, with_target=with_target) is status


def test_open_sdg_series_without_score_are_left_out_and_none_scored_is_no_result():
    unscored = OpenSdgResult(status=OpenSdgStatus.NO_RESULT, reason=Reason.SIGN_CHANGE)

    mixed = aggregate_open_sdg([unscored, scored(1.0)], with_target=True)
    none = aggregate_open_sdg([unscored], with_target=True)
    empty = aggregate_open_sdg([], with_target=True)

    assert (mixed.score, mixed.series_assessed, mixed.series_count) == (1.0, 1, 2)
    assert (none.status, none.reason) == (OpenSdgStatus.NO_RESULT, Reason.SIGN_CHANGE)
    assert (empty.status, empty.reason) == (OpenSdgStatus.NO_RESULT, Reason.NO_DATA)


# --- Method B (UNSD) ----------------------------------------------------------------------------


def test_unsd_zero_target_worked_example():
    # b = 2015, v_b = 25.8; t = 2023, v_t = 19.6; T = 2025, v_T = 0 (no replacement in B).
    # CAGR_a = (19.6/25.8)^(1/8) − 1 = −0.0337722
    # v_e = 19.6·(1 − 0.0337722)^(2025 − 2023) = 19.6·0.933597 = 18.2985
    # Q = (18.2985 − 25.8)/(0 − 25.8) = −7.50151/−25.8 = 0.290756: 0.10 ≤ Q < 0.95 → 2
    result = assess_unsd(CHILD_LABOUR, END_BY_2025)

    assert result.status is UnsdStatus.ACCELERATION_NEEDED
    assert result.score == 2
    assert (result.base_year, result.base_value, result.target_value) == (2015, 25.8, 0)
    assert result.cagr == close(-0.0337722)
    assert result.expected_value == close(18.2985)
    assert result.progress_ratio == close(0.290756)
    assert (result.thresholds.on_track, result.thresholds.acceleration_needed) == (0.95, 0.10)


def test_unsd_on_track_decrease_desirable():
    # v_b = 20 (2015), v_t = 12 (2020), v_T = 5 (2030): (1 + CAGR_a)^5 = 0.6, so
    # v_e = 12·0.6^(10/5) = 12·0.36 = 4.32; Q = (4.32 − 20)/(5 − 20) = 1.04533 ≥ 0.95 → 3
    result = assess_unsd(series((2015, 20), (2020, 12)), target(5))

    assert result.expected_value == close(4.32)
    assert result.progress_ratio == close(1.04533)
    assert (result.status, result.score) == (UnsdStatus.ON_TRACK, 3)


@pytest.mark.parametrize(
    ("latest", "expected_value", "ratio", "status"),
    [
        # (1 + CAGR_a)^5 = 1.5: v_e = 75·1.5² = 168.75; Q = 118.75/50 = 2.375 → 3
        (75, 168.75, 2.375, UnsdStatus.ON_TRACK),
        # (1 + CAGR_a)^5 = 1.2: v_e = 60·1.44 = 86.4; Q = 36.4/50 = 0.728 → 2
        (60, 86.4, 0.728, UnsdStatus.ACCELERATION_NEEDED),
        # (1 + CAGR_a)^5 = 1.02: v_e = 51·1.0404 = 53.0604; Q = 3.0604/50 = 0.061208 → 1
        (51, 53.0604, 0.061208, UnsdStatus.STAGNATION_OR_REGRESSION),
    ],
)
def test_unsd_increase_desirable_with_target(latest, expected_value, ratio, status):
    # v_b = 50 (2015), v_t = latest (2020), v_T = 100 by 2030.
    result = assess_unsd(series((2015, 50), (2020, latest)), target(100, direction=UP))

    assert result.expected_value == close(expected_value)
    assert result.progress_ratio == close(ratio)
    assert result.status is status


def test_unsd_regression_with_target_is_score_one():
    # v_b = 20, v_t = 24 (2020), v_T = 5: v_e = 24·1.2² = 34.56; Q = 14.56/−15 = −0.970667 → 1
    result = assess_unsd(series((2015, 20), (2020, 24)), target(5))

    assert result.progress_ratio == close(-0.970667)
    assert (result.status, result.score) == (UnsdStatus.STAGNATION_OR_REGRESSION, 1)


def test_unsd_latest_value_meeting_the_target_is_achieved():
    result = assess_unsd(series((2015, 10), (2020, 4)), target(5))

    assert (result.status, result.score, result.achieved) == (UnsdStatus.ACHIEVED, 3, True)
    assert result.notes == (Note.LATEST_MEETS_TARGET,)


@pytest.mark.parametrize(
    ("value", "latest", "direction"), [(0, 0.8, DOWN), (0, 1.0, DOWN), (100, 99.2, UP)]
)
def test_unsd_within_one_percentage_point_of_0_or_100_is_achieved(value, latest, direction):
    goal = target(value, direction=direction, percent_unit=True)

    result = assess_unsd(series((2015, 3.0 if value == 0 else 90.0), (2020, latest)), goal)

    assert result.status is UnsdStatus.ACHIEVED
    assert result.notes == (Note.WITHIN_ONE_POINT,)


def test_unsd_one_point_rule_is_only_for_percentages_and_only_within_one_point():
    counts = assess_unsd(series((2015, 3.0), (2020, 0.8)), target(0))
    percent = assess_unsd(series((2015, 3.0), (2020, 1.2)), target(0, percent_unit=True))

    assert counts.status is not UnsdStatus.ACHIEVED
    assert percent.status is not UnsdStatus.ACHIEVED


@pytest.mark.parametrize(
    ("latest", "cagr", "status"),
    [
        # increase desirable: 1.2^(1/5) − 1 = 0.0371373 ≥ 0.02 → 3
        (120, 0.0371373, UnsdStatus.ON_TRACK),
        # 1.1^(1/5) − 1 = 0.0192449: 0.005 ≤ CAGR < 0.02 → 2
        (110, 0.0192449, UnsdStatus.ACCELERATION_NEEDED),
        # 1.01^(1/5) − 1 = 0.00199205 < 0.005 → 1
        (101, 0.00199205, UnsdStatus.STAGNATION_OR_REGRESSION),
    ],
)
def test_unsd_without_target_increase_desirable(latest, cagr, status):
    result = assess_unsd(series((2015, 100), (2020, latest)), Goal(direction=UP))

    assert result.cagr == close(cagr)
    assert result.status is status
    assert result.thresholds.comparison == ">="


@pytest.mark.parametrize(
    ("latest", "cagr", "status"),
    [
        # decrease desirable, mirrored: 0.8^(1/5) − 1 = exp(−0.223144/5) − 1 = −0.0436484 ≤ −0.02
        (80, -0.0436484, UnsdStatus.ON_TRACK),
        # 0.95^(1/5) − 1 = −0.0102062: −0.02 < CAGR ≤ −0.005 → 2
        (95, -0.0102062, UnsdStatus.ACCELERATION_NEEDED),
        # 0.99^(1/5) − 1 = exp(−0.0100503/5) − 1 = −0.00200807 > −0.005 → 1
        (99, -0.00200807, UnsdStatus.STAGNATION_OR_REGRESSION),
    ],
)
def test_unsd_without_target_decrease_desirable(latest, cagr, status):
    result = assess_unsd(series((2015, 100), (2020, latest)), Goal(direction=DOWN))

    assert result.cagr == close(cagr)
    assert result.status is status
    assert (result.thresholds.on_track, result.thresholds.comparison) == (-0.02, "<=")


def test_unsd_base_is_the_year_nearest_2015_so_data_only_before_2015_are_assessed():
    # Years 2010, 2012, 2014: the latest (2014) is t; the nearest other year to 2015 is 2012.
    # CAGR_a = (25/28)^(1/2) − 1 = 0.944911 − 1 = −0.0550888
    # v_e = 25·0.944911^(2025 − 2014) = 25·exp(11·(−0.0566643)) = 25·0.536168 = 13.4042
    # Q = (13.4042 − 28)/(0 − 28) = 0.521279 → 2
    result = assess_unsd(series((2010, 30), (2012, 28), (2014, 25)), END_BY_2025)

    assert (result.base_year, result.base_value) == (2012, 28)
    assert result.expected_value == close(13.4042)
    assert result.progress_ratio == close(0.521279)
    assert result.status is UnsdStatus.ACCELERATION_NEEDED


def test_unsd_nearest_year_tie_goes_to_the_year_after_2015():
    result = assess_unsd(series((2014, 30), (2016, 20), (2020, 10)), Goal(direction=DOWN))

    assert result.base_year == 2016


def test_unsd_and_open_sdg_bases_differ_when_2015_is_missing():
    # Kyrgyzstan: Method A starts in 2018 (first year after 2015), Method B in 2014 (nearest).
    # B: CAGR_a = (19.6/25.8)^(1/9) − 1 = exp(−0.274845/9) − 1 = −0.0300767
    # v_e = 19.6·0.969923² = 19.6·0.940751 = 18.4387; Q = (18.4387 − 25.8)/(−25.8) = 0.285321
    result = assess_unsd(series((2014, 25.8), (2018, 26.7), (2023, 19.6)), END_BY_2025)

    assert result.base_year == 2014
    assert result.cagr == close(-0.0300767)
    assert result.progress_ratio == close(0.285321)
    assert result.status is UnsdStatus.ACCELERATION_NEEDED


def test_unsd_fewer_than_two_points_is_no_result_unless_the_target_is_met():
    missing = assess_unsd(series((2016, 5.0)), END_BY_2025)
    met = assess_unsd(series((2015, 0.0)), END_BY_2025)

    assert (missing.status, missing.reason) == (UnsdStatus.NO_RESULT, Reason.INSUFFICIENT_DATA)
    assert met.status is UnsdStatus.ACHIEVED


def test_unsd_zero_base_value_or_sign_change_is_no_result():
    zero = assess_unsd(series((2015, 0), (2020, 2)), Goal(direction=DOWN))
    crossing = assess_unsd(series((2015, -2), (2020, 3)), Goal(direction=UP))

    assert (zero.status, zero.reason) == (UnsdStatus.NO_RESULT, Reason.ZERO_BASE_VALUE)
    assert (crossing.status, crossing.reason) == (UnsdStatus.NO_RESULT, Reason.SIGN_CHANGE)


def test_unsd_base_that_met_the_target_then_lost_it_is_regression():
    # v_b = 8 ≤ v_T = 10 already, v_t = 12: Q would be (v_e − 8)/(10 − 8) > 1, "on track";
    # the series regressed, so: stagnation or regression.
    result = assess_unsd(series((2015, 8), (2020, 12)), target(10))

    assert (result.status, result.score) == (UnsdStatus.STAGNATION_OR_REGRESSION, 1)
    assert result.notes == (Note.BASE_MET_TARGET,)


def test_unsd_aggregate_is_the_mean_score():
    def unsd(status: UnsdStatus, score: int, achieved: bool = False) -> UnsdResult:
        return UnsdResult(status=status, score=score, achieved=achieved)

    achieved = unsd(UnsdStatus.ACHIEVED, 3, achieved=True)
    fair = unsd(UnsdStatus.ACCELERATION_NEEDED, 2)
    stalled = unsd(UnsdStatus.STAGNATION_OR_REGRESSION, 1)

    # (3 + 2)/2 = 2.5 → on track; (2 + 1)/2 = 1.5 → acceleration; (1 + 1)/2 = 1 → stagnation
    assert aggregate_unsd([achieved, fair]).status is UnsdStatus.ON_TRACK
    assert aggregate_unsd([fair, stalled]).status is UnsdStatus.ACCELERATION_NEEDED
    assert aggregate_unsd([stalled, stalled]).status is UnsdStatus.STAGNATION_OR_REGRESSION
    assert aggregate_unsd([achieved, achieved]).status is UnsdStatus.ACHIEVED
    assert aggregate_unsd([]).reason is Reason.NO_DATA


# --- beyond both: outlook -----------------------------------------------------------------------


def test_outlook_years_to_target_and_required_rate_for_a_zero_target():
    # Current rate: CAGR = −0.0337722 a year, change = (19.6 − 25.8)/8 = −0.775 a year.
    # CAGR form (target 0 taken as 0.001): n = ln(0.001/19.6)/ln(1 − 0.0337722)
    #   = ln 5.10204e-5 / (−0.0343556) = −9.88329/−0.0343556 = 287.676 years
    # linear: (0 − 19.6)/(−0.775) = 25.2903 years
    # required now (2 years left): (0.001/19.6)^(1/2) − 1 = 0.00714286 − 1 = −0.992857 a year,
    # or (0 − 19.6)/2 = −9.8 a year
    result = outlook(CHILD_LABOUR, END_BY_2025)

    assert result.target_met is False
    assert result.annual_rate == close(-0.0337722)
    assert result.annual_change == close(-0.775)
    assert result.years_to_target == close(287.676)
    assert result.years_to_target_linear == close(25.2903)
    assert result.required_annual_rate == close(-0.992857)
    assert result.required_annual_change == close(-9.8)
    assert result.reason is None


def test_outlook_increase_desirable():
    # 50 (2015) → 60 (2020), target 100 by 2030. Rate = 1.2^(1/5) − 1 = 0.0371373.
    # n = ln(100/60)/ln(1.0371373) = 0.510826/0.0364643 = 14.0089 years; linear: 40/2 = 20
    # required: (100/60)^(1/10) − 1 = exp(0.0510826) − 1 = 0.0524098; (100 − 60)/10 = 4 a year
    result = outlook(series((2015, 50), (2020, 60)), target(100, direction=UP))

    assert result.years_to_target == close(14.0089)
    assert result.years_to_target_linear == close(20.0)
    assert result.required_annual_rate == close(0.0524098)
    assert result.required_annual_change == close(4.0)


def test_outlook_target_met_is_zero_years():
    result = outlook(series((2015, 10), (2020, 4)), target(5))

    assert (result.target_met, result.years_to_target, result.years_to_target_linear) == (
        True,
        0.0,
        0.0,
    )
    assert result.required_annual_rate == 0.0


def test_outlook_moving_away_has_no_years_to_target():
    result = outlook(series((2015, 20), (2020, 24)), target(5))

    assert (result.years_to_target, result.years_to_target_linear) == (None, None)
    assert result.reason is Reason.MOVING_AWAY
    # (5/24)^(1/10) − 1 = exp(ln 0.208333 / 10) − 1 = exp(−0.156862) − 1 = −0.145178
    assert result.required_annual_rate == close(-0.145178)


def test_outlook_without_target_has_no_years_to_target():
    result = outlook(series((2015, 100), (2020, 95)), Goal(direction=DOWN))

    assert (result.years_to_target, result.required_annual_rate) == (None, None)
    assert result.reason is Reason.NO_TARGET
    assert result.annual_rate == close(-0.0102062)


def test_outlook_after_the_deadline_has_no_required_rate():
    result = outlook(series((2015, 20), (2023, 12)), target(5, 2020))

    assert (result.required_annual_rate, result.required_annual_change) == (None, None)
    assert result.reason is Reason.DEADLINE_PASSED
    assert result.years_to_target is not None


def test_outlook_with_one_point_still_gives_the_required_rate():
    # (5/10)^(1/10) − 1 = exp(−0.0693147) − 1 = −0.0669670
    result = outlook(series((2020, 10)), target(5))

    assert result.years_to_target is None
    assert result.reason is Reason.INSUFFICIENT_DATA
    assert result.required_annual_rate == close(-0.0669670)


# --- beyond both: bounds ------------------------------------------------------------------------


def with_bounds(*rows: tuple[int, float, float | None, float | None]) -> list[Point]:
    return [Point(year=y, value=v, lower=lo, upper=hi) for y, v, lo, hi in rows]


def test_bounds_robust_classification():
    # 25.8 [24.0, 27.6] in 2015, 19.6 [18.0, 21.2] in 2023, target 0 by 2025, decrease desirable.
    # Pessimistic (base at its favourable end 24.0, latest at its unfavourable end 21.2):
    #   CAGR = (21.2/24)^(1/8) − 1 = exp(−0.124053/8) − 1 = −0.0153870
    #   A: CAGR_T = (0.001/24)^(1/10) − 1 = −0.635265; R = 0.0242214 → limited progress
    #   B: v_e = 21.2·0.984613² = 20.5526; Q = (20.5526 − 24)/(−24) = 0.143641 → 2
    # Optimistic (base 27.6, latest 18.0): CAGR = (18/27.6)^(1/8) − 1 = −0.0520285
    #   A: CAGR_T = (0.001/27.6)^(1/10) − 1 = −0.640326; R = 0.0812531 → limited progress
    #   B: v_e = 18·0.947972² = 16.1757; Q = (16.1757 − 27.6)/(−27.6) = 0.413922 → 2
    # Central results (above): A limited progress, B acceleration needed: both robust.
    points = with_bounds((2015, 25.8, 24.0, 27.6), (2023, 19.6, 18.0, 21.2))

    result = assess_series(points, END_BY_2025)

    open_sdg, unsd = result.open_sdg.bounds, result.unsd.bounds
    assert isinstance(open_sdg, BoundsCheck)
    assert open_sdg.robust is True
    assert (open_sdg.pessimistic.base_value, open_sdg.pessimistic.current_value) == (24.0, 21.2)
    assert (open_sdg.optimistic.base_value, open_sdg.optimistic.current_value) == (27.6, 18.0)
    assert open_sdg.pessimistic.status == open_sdg.optimistic.status == "limited_progress"
    assert unsd.robust is True
    assert unsd.pessimistic.status == unsd.optimistic.status == "acceleration_needed"


def test_bounds_that_change_the_classification_are_not_robust():
    # 100 [90, 110] (2015) → 95 [85, 105] (2020), no target, decrease desirable.
    # Central CAGR = −0.0102062: A moderate progress (P = 0.0102062), B acceleration needed (2).
    # Pessimistic 90 → 105: CAGR = (105/90)^(1/5) − 1 = exp(0.154151/5) − 1 = 0.0313102:
    #   A P = −0.0313102 → deterioration; B > −0.005 → stagnation or regression
    # Optimistic 110 → 85: CAGR = (85/110)^(1/5) − 1 = exp(−0.257829/5) − 1 = −0.0502590:
    #   A P = 0.0502590 → substantial progress; B ≤ −0.02 → on track
    points = with_bounds((2015, 100, 90, 110), (2020, 95, 85, 105))

    result = assess_series(points, Goal(direction=DOWN))

    assert result.open_sdg.status is OpenSdgStatus.MODERATE_PROGRESS
    assert result.open_sdg.bounds.robust is False
    assert result.open_sdg.bounds.pessimistic.status == "deterioration"
    assert result.open_sdg.bounds.optimistic.status == "substantial_progress"
    assert result.unsd.bounds.robust is False
    assert result.unsd.bounds.pessimistic.status == "stagnation_or_regression"
    assert result.unsd.bounds.optimistic.status == "on_track"


def test_bounds_increase_desirable_use_the_upper_bound_as_favourable():
    points = with_bounds((2015, 50, 45, 55), (2020, 60, 58, 62))

    bounds = assess_series(points, target(100, direction=UP)).open_sdg.bounds

    assert (bounds.pessimistic.base_value, bounds.pessimistic.current_value) == (55, 58)
    assert (bounds.optimistic.base_value, bounds.optimistic.current_value) == (45, 62)


def test_a_missing_bound_keeps_the_value_and_no_bounds_give_no_check():
    one_sided = with_bounds((2015, 25.8, None, None), (2023, 19.6, 18.0, 21.2))
    bare = series((2015, 25.8), (2023, 19.6))

    checked = assess_series(one_sided, END_BY_2025).unsd.bounds
    unchecked = assess_series(bare, END_BY_2025)

    assert (checked.pessimistic.base_value, checked.pessimistic.current_value) == (25.8, 21.2)
    assert unchecked.open_sdg.bounds is None
    assert unchecked.unsd.bounds is None


# --- inputs -------------------------------------------------------------------------------------


def test_prepare_sorts_by_year_and_drops_missing_values():
    points = prepare([Point(2020, 2.0), Point(2015, 1.0), Point(2018, math.nan)])

    assert [point.year for point in points] == [2015, 2020]


@pytest.mark.parametrize(
    ("unit", "percent"),
    [("%", True), ("PT", True), ("percent", True), ("Percentage", True), ("number", False),
     ("Number of children", False), ("", False), ("-", False)],
)  # fmt: skip
def test_is_percent_unit(unit, percent):
    assert is_percent_unit(unit) is percent
