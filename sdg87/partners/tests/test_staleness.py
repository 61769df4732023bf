"""The staleness traffic light on its boundaries (pure)."""

import datetime

import pytest

from sdg87.partners.staleness import Staleness, anniversary, cutoffs, staleness

LAST = datetime.date(2023, 3, 15)


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (datetime.date(2023, 3, 15), Staleness.GREEN),  # the day of the report
        (datetime.date(2024, 3, 14), Staleness.GREEN),  # the day before the first anniversary
        (datetime.date(2024, 3, 15), Staleness.AMBER),  # one year: overdue
        (datetime.date(2025, 3, 14), Staleness.AMBER),  # the day before the second anniversary
        (datetime.date(2025, 3, 15), Staleness.RED),  # two years
        (datetime.date(2030, 1, 1), Staleness.RED),
    ],
)
def test_light_changes_on_the_anniversaries(today, light):
    assert staleness(LAST, today) == light


def test_a_leap_day_report_turns_amber_on_28_february():
    leap = datetime.date(2024, 2, 29)

    assert staleness(leap, datetime.date(2025, 2, 27)) == Staleness.GREEN
    assert staleness(leap, datetime.date(2025, 2, 28)) == Staleness.AMBER
    assert anniversary(leap, 4) == datetime.date(2028, 2, 29)


@pytest.mark.parametrize(
    "today",
    [datetime.date(2025, 3, 15), datetime.date(2025, 2, 28), datetime.date(2028, 2, 29)],
)
def test_cutoffs_agree_with_the_light_for_every_report_date(today):
    limits = cutoffs(today)
    for offset in range(0, 900):
        last = today - datetime.timedelta(days=offset)
        if last <= limits.red_on_or_before:
            expected = Staleness.RED
        elif last <= limits.amber_on_or_before:
            expected = Staleness.AMBER
        else:
            expected = Staleness.GREEN
        assert staleness(last, today) == expected, last
