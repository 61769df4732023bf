"""Reporting timeliness, pure: the traffic light turns on the anniversaries of the last
published report (or of the date the country joined, when it never published one)."""

from __future__ import annotations

import datetime

import pytest

from sdg87.pathfinders.timeliness import NONE, reporting_timeliness

JOINED = datetime.date(2018, 3, 10)
ONE_DAY = datetime.timedelta(days=1)


def light(last_published, today, joined_on=JOINED):
    return reporting_timeliness(last_published=last_published, joined_on=joined_on, today=today)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2022, 5, 1), "green"),  # the day of publication
        (datetime.date(2023, 4, 30), "green"),  # the day before the first anniversary
        (datetime.date(2023, 5, 1), "amber"),  # the first anniversary
        (datetime.date(2024, 4, 30), "amber"),  # the day before the second anniversary
        (datetime.date(2024, 5, 1), "red"),  # the second anniversary
        (datetime.date(2030, 1, 1), "red"),
    ],
)
def test_light_turns_on_the_anniversaries_of_the_last_published_report(today, expected):
    assert light(datetime.date(2022, 5, 1), today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2025, 2, 27), "green"),
        (datetime.date(2025, 2, 28), "amber"),  # 29 Feb 2024 + 1 year falls on 28 Feb 2025
        (datetime.date(2026, 2, 27), "amber"),
        (datetime.date(2026, 2, 28), "red"),
    ],
)
def test_report_published_on_29_february_turns_on_28_february_in_common_years(today, expected):
    assert light(datetime.date(2024, 2, 29), today) == expected


def test_recent_report_is_green_however_long_ago_the_country_joined():
    assert light(datetime.date(2024, 1, 1), datetime.date(2024, 6, 1), joined_on=JOINED) == "green"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (JOINED, NONE),
        (datetime.date(2019, 3, 9), NONE),  # first report not yet due
        (datetime.date(2019, 3, 10), "amber"),  # first anniversary of joining
        (datetime.date(2020, 3, 9), "amber"),
        (datetime.date(2020, 3, 10), "red"),  # second anniversary of joining
    ],
)
def test_never_reported_is_none_then_amber_then_red_from_joining(today, expected):
    assert light(None, today) == expected


def test_never_reported_country_that_joined_on_29_february_is_overdue_on_28_february():
    joined = datetime.date(2020, 2, 29)

    assert light(None, datetime.date(2021, 2, 27), joined_on=joined) == NONE
    assert light(None, datetime.date(2021, 2, 28), joined_on=joined) == "amber"
    assert light(None, datetime.date(2022, 2, 28), joined_on=joined) == "red"


def test_country_that_published_within_its_first_year_is_green_not_none():
    joined = datetime.date(2024, 1, 1)

    assert light(joined + ONE_DAY, joined + 2 * ONE_DAY, joined_on=joined) == "green"
