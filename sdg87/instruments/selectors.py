"""Reads for the international instruments and their ratifications."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.core.errors import NotFound
from sdg87.core.i18n import localized
from sdg87.countries.models import Country
from sdg87.countries.selectors import country_get, sorted_by_name
from sdg87.instruments import standing
from sdg87.instruments.bundled_sources import INSTRUMENT_NOTES
from sdg87.instruments.models import (
    Instrument,
    Ratification,
    RatificationKind,
    RatificationStatus,
    RecordDisplay,
)


def instrument_list(*, kind: str | None = None) -> QuerySet[Instrument]:
    """Instruments in the order the bundled list gives (chronological)."""
    instruments = Instrument.objects.order_by("position", "code")
    if kind:
        instruments = instruments.filter(kind=kind)
    return instruments


def instrument_get(code: str) -> Instrument:
    """One instrument by code (case-insensitive: ``c029`` finds ``C029``)."""
    try:
        return Instrument.objects.get(code=(code or "").strip().upper())
    except Instrument.DoesNotExist:
        raise NotFound(f"no instrument with code {code!r}", details={"code": code}) from None


# --- ratifications ------------------------------------------------------------------------


@dataclass
class Standing:
    """One country's standing toward one instrument: every source's record, the one that
    speaks for the country first (``standing.choose``)."""

    country: Country | CountryRow
    instrument: Instrument
    records: list[Ratification] | list[RecordRow] = field(default_factory=list)

    @property
    def chosen(self) -> Any:
        return self.records[0] if self.records else None

    @property
    def category(self) -> str:
        return standing.category(self.chosen)

    @property
    def is_party(self) -> bool:
        return standing.is_party(self.chosen)

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def category_label(category: str) -> str:
    if category == standing.NO_RECORD:
        return str(_("No record"))
    return str(Ratification.Status(category).label)


@dataclass(frozen=True)
class SourceSummary:
    name: str
    as_of: date | None
    records: int


@dataclass
class RatificationSummary:
    """Counts for one instrument; every count is ``None`` when no source covers it."""

    data_available: bool
    parties: int | None = None
    in_force: int | None = None
    not_yet_in_force: int | None = None
    reported_ratified: int | None = None
    denounced: int | None = None
    signatories: int | None = None  # signed, not (yet) a party
    signatures_recorded: int | None = None  # every country with a signature row
    parties_without_date: int | None = None
    sources: list[SourceSummary] = field(default_factory=list)


def _ratifications(*, provenance: bool = False) -> QuerySet[Ratification]:
    """Ratifications with their country and instrument; ``provenance`` also loads the import
    batches that first loaded and last changed each record (the API shows them; pages and
    counts do not, and skipping them halves the rows built on the instrument pages)."""
    related = (
        ("country", "instrument", "first_batch", "last_batch")
        if provenance
        else (
            "country",
            "instrument",
        )
    )
    return Ratification.objects.select_related(*related).order_by()


def _group(ratifications: Iterable[Ratification]) -> list[Standing]:
    grouped: dict[tuple[int, int], Standing] = {}
    for ratification in ratifications:
        key = (ratification.country_id, ratification.instrument_id)
        if key not in grouped:
            grouped[key] = Standing(ratification.country, ratification.instrument)
        grouped[key].records.append(ratification)
    for item in grouped.values():
        item.records = standing.ordered(item.records)
    return sorted(grouped.values(), key=lambda s: (s.instrument.position, s.country.iso3))


def ratification_list(
    *,
    country: str | None = None,
    instrument: str | None = None,
    status: str | None = None,
    provenance: bool = True,
) -> list[Standing]:
    """Standings that have at least one record, by instrument then ISO3. Unknown country or
    instrument codes raise ``NotFound``; ``status`` filters on the chosen record's status."""
    ratifications = _ratifications(provenance=provenance)
    if country:
        ratifications = ratifications.filter(country=country_get(country))
    if instrument:
        ratifications = ratifications.filter(instrument=instrument_get(instrument))
    standings = _group(ratifications)
    if status:
        standings = [s for s in standings if s.category == status]
    return standings


def ratifications_for_country(country: str | Country) -> list[Standing]:
    """The country's standing toward every instrument, in the instruments' order; an
    instrument with no record has an empty ``records`` list. ``country`` is an ISO3 code
    (``NotFound`` for unknown codes) or a country already loaded.

    One query: every instrument, joined to the country's records (one row per record, or one
    row with no record)."""
    if not isinstance(country, Country):
        country = country_get(country)
    record_fields = RECORD_FIELDS[1:]
    rows = instrument_list().annotate(
        mine=FilteredRelation("ratifications", condition=Q(ratifications__country=country)),
        **{f"record_{name}": F(f"mine__{name}") for name in record_fields},
        record_id=F("mine__id"),
    )
    instruments: dict[int, Instrument] = {}
    records: dict[int, list[RecordRow]] = {}
    for row in rows:
        instruments.setdefault(row.pk, row)
        found = records.setdefault(row.pk, [])
        if row.record_id is not None:
            found.append(RecordRow(*(getattr(row, f"record_{name}") for name in record_fields)))
    return [
        Standing(country, instrument, standing.ordered(records[pk]))
        for pk, instrument in instruments.items()
    ]


def ratification_rows_for_country(iso3: str) -> list[dict[str, Any]]:
    """``ratifications_for_country`` as plain JSON-ready dicts (for the country profile API):
    one per instrument, ``status`` ``no_record`` where no source records anything."""
    rows = []
    for item in ratifications_for_country(iso3):
        chosen = item.chosen
        rows.append(
            {
                "instrument": item.instrument.code,
                "status": item.category,
                "date": chosen.date_display if chosen else None,
                "date_precision": (chosen.date_precision or None) if chosen else None,
                "kind": chosen.kind if chosen else None,
                "source": chosen.source if chosen else None,
            }
        )
    return rows


@dataclass(frozen=True, slots=True)
class CountryRow:
    """A country as the instrument page shows it: plain values, not a model instance."""

    pk: int
    iso3: str
    name_en: str
    name_fr: str
    name_es: str

    @property
    def name(self) -> str:
        return localized(self, "name")


@dataclass(frozen=True, slots=True)
class RecordRow(RecordDisplay):
    """One source's record as the instrument page shows it (the fields of
    :class:`Ratification` that ``standing`` and the page read, as plain values)."""

    kind: str
    status: str
    date: date | None
    date_precision: str
    denounced_on: date | None
    denounced_precision: str
    source: str
    source_as_of: date | None

    def get_kind_display(self) -> str:
        return str(RatificationKind(self.kind).label) if self.kind in RatificationKind else ""

    def get_status_display(self) -> str:
        status = self.status
        return str(RatificationStatus(status).label) if status in RatificationStatus else ""


RECORD_FIELDS = (
    "country_id",
    "kind",
    "status",
    "date",
    "date_precision",
    "denounced_on",
    "denounced_precision",
    "source",
    "source_as_of",
)


def instrument_standings(instrument: Instrument) -> list[Standing]:
    """Every country's standing toward ``instrument`` (countries without a record included),
    in alphabetical order of the country name in the current language.

    Two queries of plain values (``values_list``): the page reads a few fields of every
    record of every country (hundreds of countries, about a thousand records), and building
    model instances for them was most of its time (benchmarks/load.md)."""
    records: dict[int, list[RecordRow]] = {}
    rows = Ratification.objects.filter(instrument=instrument).order_by()
    for country_id, *values in rows.values_list(*RECORD_FIELDS):
        records.setdefault(country_id, []).append(RecordRow(*values))
    countries = sorted_by_name(
        CountryRow(*values)  # type: ignore[arg-type]
        for values in Country.objects.order_by().values_list(
            "pk", "iso3", "name_en", "name_fr", "name_es"
        )
    )
    return [
        Standing(country, instrument, standing.ordered(records.get(country.pk, [])))
        for country in countries
    ]


def kind_labels() -> dict[str, str]:
    """Kind of record → its label in the current language."""
    return {value: str(label) for value, label in RatificationKind.choices}


def status_labels() -> dict[str, str]:
    """Status of a record → its label in the current language."""
    return {value: str(label) for value, label in RatificationStatus.choices}


def summarize(instrument: Instrument, standings: Iterable[Standing]) -> RatificationSummary:
    """The counts of one instrument from its standings (those with records count)."""
    recorded = [s for s in standings if s.records]
    if not recorded:
        return RatificationSummary(data_available=False)
    categories = Counter(s.category for s in recorded)
    sources: dict[str, list[Ratification]] = {}
    for item in recorded:
        for record in item.records:
            sources.setdefault(record.source, []).append(record)
    return RatificationSummary(
        data_available=True,
        parties=sum(categories[c] for c in standing.PARTY_STATUSES),
        in_force=categories[standing.IN_FORCE],
        not_yet_in_force=categories[standing.NOT_YET_IN_FORCE],
        reported_ratified=categories[standing.REPORTED_RATIFIED],
        denounced=categories[standing.DENOUNCED],
        signatories=categories[standing.SIGNED_ONLY],
        signatures_recorded=sum(1 for s in recorded if any(r.is_signature for r in s.records)),
        parties_without_date=sum(
            1 for s in recorded if s.is_party and s.chosen is not None and s.chosen.date is None
        ),
        sources=[
            SourceSummary(
                name, max((r.source_as_of for r in rows if r.source_as_of), default=None), len(rows)
            )
            for name, rows in sorted(sources.items())
        ],
    )


def instrument_ratification_summary(instrument: Instrument) -> RatificationSummary:
    return summarize(instrument, _group(_ratifications().filter(instrument=instrument)))


def instrument_summaries() -> dict[str, RatificationSummary]:
    """Instrument code → its counts, for every instrument (one query)."""
    by_instrument: dict[int, list[Standing]] = {}
    for item in _group(_ratifications()):
        by_instrument.setdefault(item.instrument.pk, []).append(item)
    return {
        instrument.code: summarize(instrument, by_instrument.get(instrument.pk, []))
        for instrument in instrument_list()
    }


def instrument_notes(instrument: Instrument) -> list[str]:
    """What the bundled sources cover for this instrument, and what they miss."""
    return [str(note) for note in INSTRUMENT_NOTES.get(instrument.code, ())]


def parties_over_time(standings: Iterable[Standing]) -> list[tuple[int, int]]:
    chosen = [s.chosen for s in standings if s.chosen is not None]
    return standing.parties_by_year(chosen, until=timezone.localdate().year)


@dataclass
class Timeline:
    """New consents per year and instrument (the record that speaks for each country)."""

    instruments: list[Instrument]
    years: list[int]
    counts: dict[int, dict[str, int]]  # year → instrument code → new consents
    undated: dict[str, int]  # instrument code → consents without a date

    def rows(self) -> list[tuple[int, list[int], int]]:
        codes = [instrument.code for instrument in self.instruments]
        return [
            (
                year,
                [self.counts.get(year, {}).get(code, 0) for code in codes],
                sum(self.counts.get(year, {}).values()),
            )
            for year in self.years
        ]


def ratification_timeline() -> Timeline:
    counts: dict[int, dict[str, int]] = {}
    undated: dict[str, int] = {}
    for item in _group(_ratifications()):
        chosen = item.chosen
        if chosen is None or chosen.is_signature:
            continue
        code = item.instrument.code
        if chosen.date is None:
            undated[code] = undated.get(code, 0) + 1
            continue
        per_year = counts.setdefault(chosen.date.year, {})
        per_year[code] = per_year.get(code, 0) + 1
    return Timeline(
        instruments=list(instrument_list()),
        years=list(range(min(counts), max(counts) + 1)) if counts else [],
        counts=counts,
        undated=undated,
    )
