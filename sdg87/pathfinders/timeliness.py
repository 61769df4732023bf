"""Reporting timeliness of a pathfinder, as a traffic light. Pure.

A pathfinder reports once a year. From the date its latest report was published:
green within a year, amber when overdue (one to two years), red from two years; "none" when
it has never published a report and its first is not yet due (less than a year since it
joined); after that, amber then red, counted from the date it joined.
"""

from __future__ import annotations

import datetime

from sdg87.partners.staleness import Staleness, staleness

NONE = "none"


def reporting_timeliness(
    *, last_published: datetime.date | None, joined_on: datetime.date, today: datetime.date
) -> str:
    if last_published is not None:
        return str(staleness(last_published, today))
    light = staleness(joined_on, today)
    return NONE if light == Staleness.GREEN else str(light)
