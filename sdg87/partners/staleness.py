"""The staleness traffic light of a pledge, from the date it was last reported on.

- green: reported within the last year (before the first anniversary of the last report);
- amber: overdue, from the first anniversary until the day before the second;
- red: two years or more without a report (from the second anniversary).

An anniversary of 29 February falls on 28 February in common years. Pure: no ORM.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Staleness(models.TextChoices):
    GREEN = "green", _("Updated within a year")
    AMBER = "amber", _("Overdue: no update for over a year")
    RED = "red", _("No update for two years or more")


def anniversary(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved ``years`` years on (29 February → 28 February in common years)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def staleness(last_reported: datetime.date, today: datetime.date) -> Staleness:
    """The traffic light on ``today`` for a pledge last reported on ``last_reported``."""
    if today < anniversary(last_reported, 1):
        return Staleness.GREEN
    if today < anniversary(last_reported, 2):
        return Staleness.AMBER
    return Staleness.RED


@dataclass(frozen=True)
class StalenessCutoffs:
    """Last-report dates that separate the lights on a given day, for filtering in queries:
    green when reported after ``amber_on_or_before``, red when on or before
    ``red_on_or_before``, amber in between."""

    amber_on_or_before: datetime.date
    red_on_or_before: datetime.date


def cutoffs(today: datetime.date) -> StalenessCutoffs:
    return StalenessCutoffs(
        amber_on_or_before=_latest_date_reaching(today, 1),
        red_on_or_before=_latest_date_reaching(today, 2),
    )


def _latest_date_reaching(today: datetime.date, years: int) -> datetime.date:
    """The latest report date whose ``years``-th anniversary is on or before ``today``."""
    candidate = anniversary(today, -years)
    # A report on 29 February reaches its anniversary on 28 February in common years.
    following = candidate + datetime.timedelta(days=1)
    if anniversary(following, years) <= today:
        return following
    return candidate
