"""Reading ratification tables: one adapter per file format, no database access.

Each adapter turns a file into :class:`RatificationRecord` objects that still name countries
and instruments as the file does (ISO3, ISO2 or a name; an instrument code). The service
(``sdg87.instruments.services``) resolves those against the database, checks dates against the
instrument's adoption and writes. Rows that record nothing (an ILO member without a
ratification, "no action", an ILAB "No") are counted as skipped, with the reason.

Formats:

* :mod:`.treaty_table` — NORMLEX / UN Treaty Collection style CSV (the bundled
  ``ratification/ilo_*`` and ``untc_*`` files, and ``sdg87 import-ratifications``).
* :mod:`.hr_status` — the UN human-rights treaty status tables (``hr_status_*.csv``).
* :mod:`.ilab` — the ILAB yes/no table (``ilab_ratifications_2016-2021.csv``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, Protocol

from sdg87.core.bundled_files import CsvRow
from sdg87.core.errors import InvalidInput

CountryScheme = Literal["iso3", "iso2", "name"]

# A status the file gives as "ratified" / "party": in force, unless the instrument's own
# entry-into-force rule says not yet (sdg87.instruments.standing.party_status).
PARTY = "party"

DAY = "day"
YEAR = "year"

KINDS = (
    "ratification",
    "accession",
    "succession",
    "acceptance",
    "approval",
    "definitive_signature",
    "participation",
    "signature",
    "ratification_or_accession",
)
STATUSES = ("in_force", "not_yet_in_force", "denounced", "signed_only", "reported_ratified")

# Names and markers used by the sources, mapped to ours. UN Treaty Collection markers are
# case-sensitive (A = acceptance, a = accession), so they are matched before lower-casing.
UNTC_MARKERS = {
    "a": "accession",
    "d": "succession",
    "A": "acceptance",
    "AA": "approval",
    "s": "definitive_signature",
    "P": "participation",
}
KIND_ALIASES = {
    "definitive_signature_or_acceptance_of_protocol": "definitive_signature",
    "ratification_accession": "ratification_or_accession",
    "state_party": "ratification_or_accession",
}
STATUS_ALIASES = {
    "ratified": PARTY,
    "party": PARTY,
    "state_party": PARTY,
    "signed_and_party": PARTY,
    "signatory_not_party": "signed_only",
    "signatory": "signed_only",
    "signed": "signed_only",
    "signatory_state": "signed_only",
}
# Rows that say the country has not acted: nothing to record.
NOT_A_PARTY = {"not_ratified", "no_action", "not_party", "no"}
# Parties to some instruments that are not countries (no ISO 3166 code): skipped.
NON_STATE_PARTIES = {"european union", "european community", "european economic community"}

DENOUNCED = re.compile(r"denounced[\s_:.]*(?P<when>\d{4}(?:-\d{2}-\d{2})?)?")


@dataclass(frozen=True)
class RatificationRecord:
    """One row of a ratification table, as the file says it."""

    row: CsvRow  # where it came from, for errors naming file, row and field
    country: str
    country_field: str
    country_scheme: CountryScheme
    instrument: str
    instrument_field: str
    kind: str
    status: str  # one of STATUSES, or PARTY (to be derived)
    date: date | None
    date_precision: str  # DAY, YEAR or "" (no date)
    source: str
    source_detail: str
    denounced_on: date | None = None
    denounced_precision: str = ""
    date_field: str = "date"
    denounced_field: str = "status"

    @property
    def is_signature(self) -> bool:
        return self.kind == "signature"


@dataclass
class ReadResult:
    records: list[RatificationRecord] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


class RatificationReader(Protocol):
    """One file format. ``instrument`` and ``source`` fill in what the file does not say."""

    def __call__(
        self, path: Path, *, data_dir: Path, instrument: str | None, source: str | None
    ) -> ReadResult: ...


def normalized_word(value: str) -> str:
    return re.sub(r"[\s\-/]+", "_", value.strip().lower())


def parse_kind(row: CsvRow, field_name: str, value: str) -> str:
    raw = value.strip()
    if not raw:
        raise row.error(field_name, "a value is required")
    if raw in UNTC_MARKERS:
        return UNTC_MARKERS[raw]
    word = normalized_word(raw)
    word = KIND_ALIASES.get(word, word)
    if word not in KINDS:
        raise row.error(field_name, f"{raw!r} is not a kind ({', '.join(KINDS)})")
    return word


def parse_precise_date(row: CsvRow, field_name: str, value: str) -> tuple[date | None, str]:
    """``yyyy`` (year precision, stored as 1 January) or ``yyyy-mm-dd``; empty is no date."""
    raw = value.strip()
    if not raw:
        return None, ""
    if re.fullmatch(r"\d{4}", raw):
        year = int(raw)
        if year < 1:
            raise row.error(field_name, f"{raw!r} is not a year")
        return date(year, 1, 1), YEAR
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw), DAY
        except ValueError:
            raise row.error(field_name, f"{raw!r} is not a real date") from None
    raise row.error(field_name, f"{raw!r} is not a date (YYYY or YYYY-MM-DD)")


@dataclass(frozen=True)
class ParsedStatus:
    status: str | None  # None: the row records nothing (not a party)
    denounced_on: date | None = None
    denounced_precision: str = ""


def parse_status(row: CsvRow, field_name: str, value: str) -> ParsedStatus:
    """Our statuses, the sources' words (ratified, party, signatory_not_party…) and
    NORMLEX's ``denounced 1990``."""
    raw = value.strip()
    if not raw:
        raise row.error(field_name, "a value is required")
    word = normalized_word(raw)
    if word in NOT_A_PARTY:
        return ParsedStatus(None)
    denounced = DENOUNCED.fullmatch(raw.lower())
    if denounced:
        when = denounced.group("when") or ""
        on, precision = parse_precise_date(row, field_name, when)
        return ParsedStatus("denounced", on, precision)
    word = STATUS_ALIASES.get(word, word)
    if word != PARTY and word not in STATUSES:
        raise row.error(
            field_name,
            f"{raw!r} is not a status ({', '.join(STATUSES)}, or ratified, party, "
            "signatory_not_party, not_ratified, denounced YYYY)",
        )
    return ParsedStatus(word)


def check_kind_and_status(row: CsvRow, kind: str, status: str, status_field: str) -> None:
    if kind == "signature" and status == "denounced":
        raise row.error(status_field, "a signature cannot be denounced; record the consent row")
    if kind != "signature" and status == "signed_only":
        raise row.error(status_field, "signed_only is the status of a signature row")


def source_text(row: CsvRow, *fields: str) -> str:
    """The non-empty values of ``fields``, joined: the source's own provenance text."""
    return "; ".join(value for name in fields if (value := row.text(name, required=False)))


def missing_source_error(row: CsvRow) -> InvalidInput:
    return row.error("source", "a value is required (a `source` column or --source)")
