"""``/api/v1/instruments``: the international instruments on forced labour, slavery,
trafficking and child labour. ``?lang=en|fr|es`` chooses the language of titles."""

import datetime
from collections.abc import Callable, Sequence
from typing import Any, overload

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sdg87.core.api_i18n import (
    LANGUAGE_DESCRIPTION,
    Language,
    LanguageQuery,
    TextsOut,
    requested_language,
    texts_of,
)
from sdg87.core.i18n import localized
from sdg87.core.pagination import PagePagination
from sdg87.instruments import selectors
from sdg87.instruments.models import Instrument, Ratification

router = Router()


class InstrumentOut(Schema):
    code: str = Field(..., description="C029, C105, C138, C182, P029, SLAVERY-1926, … PALERMO")
    title: str = Field(..., description="Official title in the requested language")
    short_name: str
    kind: str = Field(..., description="ilo_convention, protocol or un_treaty")
    organisation: str = Field(..., description="ILO, UN or League of Nations")
    adoption_year: int

    @staticmethod
    def resolve_title(obj: Instrument, context: Any) -> str:
        return localized(obj, "title", requested_language(context))

    @staticmethod
    def resolve_short_name(obj: Instrument, context: Any) -> str:
        return localized(obj, "short_name", requested_language(context))


class RatificationCountsOut(Schema):
    in_force: int
    not_yet_in_force: int
    reported_ratified: int = Field(
        ..., description="Parties known only from a yes/no source (ILAB), without a date"
    )
    denounced: int
    signed_only: int
    signatures_recorded: int = Field(
        ..., description="Countries with a recorded signature, parties or not (UNTC tables)"
    )
    parties_without_date: int


class RatificationSourceOut(Schema):
    name: str = Field(..., description='Short name of the source, e.g. "ILO NORMLEX"')
    as_of: datetime.date | None = Field(None, description="Snapshot date of the source")
    records: int


class InstrumentDetailOut(Schema):
    """``InstrumentOut``'s fields, the titles in every language and the ratification counts."""

    code: str = Field(..., description="C029, C105, C138, C182, P029, SLAVERY-1926, … PALERMO")
    title: str = Field(..., description="Official title in the requested language")
    short_name: str
    kind: str = Field(..., description="ilo_convention, protocol or un_treaty")
    organisation: str = Field(..., description="ILO, UN or League of Nations")
    adoption_year: int
    titles: TextsOut
    adoption_date: datetime.date | None = None
    entry_into_force_year: int | None = None
    url: str = Field(..., description="Official page (ILO NORMLEX or UN Treaty Collection)")
    data_available: bool = Field(
        ..., description="false when no loaded source covers this instrument's ratifications"
    )
    parties: int | None = Field(
        None,
        description="Countries bound (in force, not yet in force, or reported ratified); "
        "null when no data is available, never a misleading 0",
    )
    signatories: int | None = Field(None, description="Countries that signed but are not parties")
    denounced: int | None = Field(None, description="Countries that denounced the instrument")
    counts: RatificationCountsOut | None = None
    sources: list[RatificationSourceOut] = Field(default_factory=list)
    notes: list[str] = Field(
        default_factory=list, description="What the sources cover and miss (English)"
    )


class InstrumentFilters(Schema):
    kind: Instrument.Kind | None = Field(None, description="ilo_convention, protocol or un_treaty")
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


@router.get("", response=list[InstrumentOut], summary="List the international instruments")
@paginate(PagePagination)
def list_instruments(request: HttpRequest, filters: Query[InstrumentFilters]) -> Any:
    return selectors.instrument_list(kind=filters.kind)


@router.get("/{code}", response=InstrumentDetailOut, summary="One international instrument")
def get_instrument(request: HttpRequest, code: str, query: Query[LanguageQuery]) -> dict[str, Any]:
    """With its ratification counts. 404 with the error shape when the code is unknown."""
    instrument = selectors.instrument_get(code)
    summary = selectors.instrument_ratification_summary(instrument)
    detail: dict[str, Any] = {
        "code": instrument.code,
        "title": localized(instrument, "title", query.lang),
        "short_name": localized(instrument, "short_name", query.lang),
        "kind": instrument.kind,
        "organisation": instrument.organisation,
        "adoption_year": instrument.adoption_year,
    }
    detail.update(
        titles=texts_of(instrument, "title"),
        adoption_date=instrument.adoption_date,
        entry_into_force_year=instrument.entry_into_force_year,
        url=instrument.url,
        data_available=summary.data_available,
        parties=summary.parties,
        signatories=summary.signatories,
        denounced=summary.denounced,
        counts=(
            {
                "in_force": summary.in_force,
                "not_yet_in_force": summary.not_yet_in_force,
                "reported_ratified": summary.reported_ratified,
                "denounced": summary.denounced,
                "signed_only": summary.signatories,
                "signatures_recorded": summary.signatures_recorded,
                "parties_without_date": summary.parties_without_date,
            }
            if summary.data_available
            else None
        ),
        sources=[vars(source) for source in summary.sources],
    )
    with translation.override("en"):
        detail["notes"] = selectors.instrument_notes(instrument)
    return detail


# --- /api/v1/ratifications ----------------------------------------------------------------

ratifications_router = Router()


class ProvenanceOut(Schema):
    source: str
    chosen: bool = Field(..., description="true for the record shown as the country's standing")
    kind: str
    status: str
    date: str | None = Field(None, description="ISO 8601 at the source's precision")
    date_precision: str | None = Field(None, description="day or year; null when no date")
    denounced_on: str | None = None
    source_detail: str = Field(..., description="repository@commit:path or page, raw cell")
    source_as_of: datetime.date | None = Field(None, description="Snapshot date of the source")
    first_loaded: datetime.datetime | None = Field(
        None, description="When this record was first loaded or imported"
    )
    last_changed: datetime.datetime | None = Field(
        None, description="When a load or import last changed this record"
    )
    batch_file: str | None = Field(None, description="File of the load that last changed it")


class RatificationOut(Schema):
    country: str = Field(..., description="ISO 3166-1 alpha-3")
    country_name: str
    instrument: str = Field(..., description="Instrument code, e.g. C182")
    date: str | None = Field(
        None,
        description="Date of the consent (or signature) in ISO 8601 at the source's precision: "
        "2002-08-21, or 1957 when the source gives the year only; null when unknown",
    )
    year: int | None = None
    date_precision: str | None = Field(None, description="day or year; null when no date")
    kind: str = Field(
        ...,
        description="ratification, accession, succession, acceptance, approval, "
        "definitive_signature, participation, signature, ratification_or_accession",
    )
    status: str = Field(
        ...,
        description="in_force, not_yet_in_force, denounced, signed_only, reported_ratified",
    )
    denounced_on: str | None = None
    source: str = Field(..., description="Short name of the source of the chosen record")
    provenance: list[ProvenanceOut] = Field(
        ..., description="Every source's record for this country and instrument, chosen first"
    )


class RatificationFilters(Schema):
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="ISO3 code; 404 when unknown"
    )
    instrument: str | None = Field(
        None, max_length=32, description="Instrument code such as C182; 404 when unknown"
    )
    status: Ratification.Status | None = Field(None, description="Status of the chosen record")
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


def _provenance(record: Ratification, *, chosen: bool) -> dict[str, Any]:
    return {
        "source": record.source,
        "chosen": chosen,
        "kind": record.kind,
        "status": record.status,
        "date": record.date_display,
        "date_precision": record.date_precision or None,
        "denounced_on": record.denounced_display,
        "source_detail": record.source_detail,
        "source_as_of": record.source_as_of,
        "first_loaded": record.first_batch.created_at if record.first_batch else None,
        "last_changed": record.last_batch.created_at if record.last_batch else None,
        "batch_file": record.last_batch.file_name if record.last_batch else None,
    }


def _ratification_out(item: selectors.Standing, language: str) -> dict[str, Any]:
    chosen = item.chosen
    assert chosen is not None  # the list only has standings with records
    return {
        "country": item.country.iso3,
        "country_name": localized(item.country, "name", language),
        "instrument": item.instrument.code,
        "date": chosen.date_display,
        "year": chosen.year,
        "date_precision": chosen.date_precision or None,
        "kind": chosen.kind,
        "status": chosen.status,
        "denounced_on": chosen.denounced_display,
        "source": chosen.source,
        "provenance": [
            _provenance(record, chosen=index == 0) for index, record in enumerate(item.records)
        ],
    }


@ratifications_router.get(
    "", response=list[RatificationOut], summary="Ratifications by country and instrument"
)
@paginate(PagePagination)
def list_ratifications(request: HttpRequest, filters: Query[RatificationFilters]) -> Any:
    """One entry per country and instrument with a record: the record that speaks for the
    country (a consent beats a signature; a day beats a year beats no date; then the earliest
    date), with every source's record under ``provenance``."""
    standings = selectors.ratification_list(
        country=filters.country, instrument=filters.instrument, status=filters.status
    )
    return MappedSequence(standings, lambda item: _ratification_out(item, filters.lang))


class MappedSequence(Sequence[dict[str, Any]]):
    """``items`` serialised only when a page slices them (a full list is ~2,500 entries)."""

    def __init__(
        self, items: list[selectors.Standing], serialize: Callable[[Any], dict[str, Any]]
    ) -> None:
        self.items = items
        self.serialize = serialize

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self.serialize(item) for item in self.items[index]]
        return self.serialize(self.items[index])
