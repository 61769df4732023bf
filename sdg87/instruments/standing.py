"""A country's standing toward an instrument: the rules, without the database.

Two decisions live here and nowhere else:

* :func:`party_status` — whether a consent the source calls "ratified" / "party" is already in
  force at the source's snapshot. ILO conventions and protocols enter into force for a member
  12 months after the ratification is registered: with a day, that is computed; with a year only
  (NORMLEX's comparative table) a ratification in the snapshot's own year is *not yet in force*
  (registered at most a few months before), an earlier one is counted in force. UN treaties are
  counted in force once the source lists the state as a party.
* :func:`choose` — which of several sources' records speaks for the country (the others are
  shown as provenance). In order: a consent (ratification, accession, …) beats a signature; a
  day beats a year beats no date (so UNTC's dates win over NORMLEX/hr_status years, and the
  ILAB yes/no table only counts where nothing else records a consent); then the earliest date
  (the day the country became bound); then the most recent snapshot; then the source name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol, TypeVar

IN_FORCE = "in_force"
NOT_YET_IN_FORCE = "not_yet_in_force"
DENOUNCED = "denounced"
SIGNED_ONLY = "signed_only"
REPORTED_RATIFIED = "reported_ratified"
NO_RECORD = "no_record"

# Statuses of a country that has consented to be bound and has not denounced.
PARTY_STATUSES = frozenset({IN_FORCE, NOT_YET_IN_FORCE, REPORTED_RATIFIED})
# Map and legend order.
CATEGORIES = (IN_FORCE, NOT_YET_IN_FORCE, REPORTED_RATIFIED, SIGNED_ONLY, DENOUNCED, NO_RECORD)

ILO_MONTHS_TO_ENTRY_INTO_FORCE = 12
PRECISION_RANK = {"day": 0, "year": 1, "": 2}


class RecordLike(Protocol):
    kind: str
    status: str
    date: date | None
    date_precision: str
    source: str
    source_as_of: date | None


RecordT = TypeVar("RecordT", bound=RecordLike)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(f"no such month: {year}-{month}")  # pragma: no cover


def party_status(
    *, organisation: str, kind: str, on: date | None, precision: str, as_of: date
) -> str:
    """The status of a consent recorded as "ratified"/"party" at ``as_of``."""
    if organisation != "ILO" or kind == "signature" or on is None:
        return IN_FORCE
    if precision == "day":
        in_force_from = add_months(on, ILO_MONTHS_TO_ENTRY_INTO_FORCE)
        return IN_FORCE if in_force_from <= as_of else NOT_YET_IN_FORCE
    return NOT_YET_IN_FORCE if on.year >= as_of.year else IN_FORCE


def _rank(record: RecordLike) -> tuple[bool, int, date, int, str]:
    return (
        record.kind == "signature",
        PRECISION_RANK.get(record.date_precision, 2),
        record.date or date.max,
        -(record.source_as_of or date.min).toordinal(),
        record.source,
    )


def ordered(records: Iterable[RecordT]) -> list[RecordT]:
    """The records with the one that speaks for the country first."""
    return sorted(records, key=_rank)


def choose(records: Sequence[RecordT]) -> RecordT | None:
    return ordered(records)[0] if records else None


def category(record: RecordLike | None) -> str:
    return record.status if record is not None else NO_RECORD


def is_party(record: RecordLike | None) -> bool:
    return record is not None and record.status in PARTY_STATUSES


class DatedRecord(Protocol):
    status: str
    date: date | None
    denounced_on: date | None


def parties_by_year(chosen: Iterable[DatedRecord], *, until: int) -> list[tuple[int, int]]:
    """Cumulative number of parties at the end of each year, from the first dated consent to
    ``until``: a consent counts from its year, a denunciation removes it from its year.
    Records without a date (ILAB yes/no) cannot be placed and are left out."""
    joined: dict[int, int] = {}
    left: dict[int, int] = {}
    for record in chosen:
        if record.date is None or record.status not in PARTY_STATUSES | {DENOUNCED}:
            continue
        joined[record.date.year] = joined.get(record.date.year, 0) + 1
        if record.status == DENOUNCED and record.denounced_on is not None:
            left[record.denounced_on.year] = left.get(record.denounced_on.year, 0) + 1
    if not joined:
        return []
    points, total = [], 0
    for year in range(min(joined), max(until, *joined) + 1):
        total += joined.get(year, 0) - left.get(year, 0)
        points.append((year, total))
    return points
