"""``/api/v1/instruments``: the international instruments on forced labour, slavery,
trafficking and child labour. ``?lang=en|fr|es`` chooses the language of titles."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sdg87.core.api_i18n import (
    LANGUAGE_DESCRIPTION,
    Language,
    LanguageQuery,
    TextsOut,
    requested_language,
)
from sdg87.core.i18n import localized
from sdg87.core.pagination import PagePagination
from sdg87.instruments import selectors
from sdg87.instruments.models import Instrument

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


class InstrumentDetailOut(InstrumentOut):
    titles: TextsOut
    adoption_date: datetime.date | None = None
    entry_into_force_year: int | None = None
    url: str = Field(..., description="Official page (ILO NORMLEX or UN Treaty Collection)")

    @staticmethod
    def resolve_titles(obj: Instrument) -> dict[str, str]:
        return {"en": obj.title_en, "fr": obj.title_fr, "es": obj.title_es}


class InstrumentFilters(Schema):
    kind: Instrument.Kind | None = Field(None, description="ilo_convention, protocol or un_treaty")
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


@router.get("", response=list[InstrumentOut], summary="List the international instruments")
@paginate(PagePagination)
def list_instruments(request: HttpRequest, filters: Query[InstrumentFilters]) -> Any:
    return selectors.instrument_list(kind=filters.kind)


@router.get("/{code}", response=InstrumentDetailOut, summary="One international instrument")
def get_instrument(request: HttpRequest, code: str, query: Query[LanguageQuery]) -> Instrument:
    """404 with the error shape when the code is unknown."""
    return selectors.instrument_get(code)
