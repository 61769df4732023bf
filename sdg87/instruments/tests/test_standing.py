"""The pure rules: entry into force, which record speaks for a country, parties over time."""

import datetime
from dataclasses import dataclass
from datetime import date

import pytest

from sdg87.instruments import standing


@dataclass
class Record:
    kind: str = "ratification"
    status: str = "in_force"
    date: datetime.date | None = None
    date_precision: str = ""
    source: str = "S"
    source_as_of: datetime.date | None = None
    denounced_on: datetime.date | None = None


@pytest.mark.parametrize(
    ("on", "precision", "as_of", "expected"),
    [
        (date(2026, 1, 1), "year", date(2026, 6, 4), "not_yet_in_force"),
        (date(2025, 1, 1), "year", date(2026, 6, 4), "in_force"),
        (date(2025, 7, 1), "day", date(2026, 6, 4), "not_yet_in_force"),
        (date(2025, 6, 4), "day", date(2026, 6, 4), "in_force"),
        (None, "", date(2026, 6, 4), "in_force"),
    ],
)
def test_an_ilo_ratification_enters_into_force_twelve_months_after(on, precision, as_of, expected):
    status = standing.party_status(
        organisation="ILO", kind="ratification", on=on, precision=precision, as_of=as_of
    )

    assert status == expected


def test_a_un_treaty_party_is_in_force_from_the_source_listing_it():
    status = standing.party_status(
        organisation="UN",
        kind="accession",
        on=date(2015, 3, 1),
        precision="day",
        as_of=date(2015, 3, 14),
    )

    assert status == "in_force"


def test_a_consent_beats_a_signature_even_without_a_date():
    signature = Record(kind="signature", date=date(2000, 12, 12), date_precision="day")
    reported = Record(kind="ratification_or_accession", status="reported_ratified")

    assert standing.choose([signature, reported]) is reported


def test_a_day_beats_a_year_beats_no_date():
    year = Record(date=date(2001, 1, 1), date_precision="year", source="NORMLEX")
    day = Record(date=date(2001, 5, 3), date_precision="day", source="UNTC")
    undated = Record(status="reported_ratified", source="ILAB")

    assert standing.ordered([undated, year, day]) == [day, year, undated]


def test_among_equally_precise_dates_the_earliest_wins():
    later = Record(kind="definitive_signature", date=date(1984, 6, 27), date_precision="day")
    earlier = Record(kind="succession", date=date(1962, 3, 7), date_precision="day")

    assert standing.choose([later, earlier]) is earlier


def test_on_the_same_date_the_most_recent_snapshot_wins():
    old = Record(date=date(2005, 11, 3), date_precision="day", source_as_of=date(2015, 3, 14))
    new = Record(date=date(2005, 11, 3), date_precision="day", source_as_of=date(2024, 1, 1))

    assert standing.choose([old, new]) is new


def test_no_records_means_no_record():
    assert standing.choose([]) is None
    assert standing.category(None) == "no_record"


def test_parties_by_year_adds_consents_and_removes_denunciations():
    records = [
        Record(date=date(1958, 1, 1)),
        Record(status="denounced", date=date(1958, 1, 1), denounced_on=date(1960, 1, 1)),
        Record(date=date(1960, 1, 1)),
        Record(status="reported_ratified"),  # no date: left out
        Record(kind="signature", status="signed_only", date=date(1959, 1, 1)),
    ]

    points = standing.parties_by_year(records, until=1961)

    assert points == [(1958, 2), (1959, 2), (1960, 2), (1961, 2)]


def test_parties_by_year_is_empty_without_dated_consents():
    assert standing.parties_by_year([Record(status="reported_ratified")], until=2020) == []
