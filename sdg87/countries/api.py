"""``/api/v1/countries`` and ``/api/v1/regions``.

Every read takes ``?lang=en|fr|es`` (default ``en``) to choose the language of ``name``;
``names`` always carries all three.
"""

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
    texts_of,
)
from sdg87.core.i18n import localized
from sdg87.core.pagination import PagePagination
from sdg87.countries import selectors
from sdg87.countries.models import Country, Region

router = Router()
regions_router = Router()


class RegionRefOut(Schema):
    m49: str = Field(..., description="UN M49 code")
    name: str

    @staticmethod
    def resolve_name(obj: Region, context: Any) -> str:
        return localized(obj, "name", requested_language(context))


class CountryOut(Schema):
    iso3: str = Field(..., description="ISO 3166-1 alpha-3")
    iso2: str = Field(..., description="ISO 3166-1 alpha-2")
    numeric: str = Field(..., description="ISO 3166-1 numeric (= UN M49 country code)")
    name: str = Field(..., description="Short name in the requested language")
    names: TextsOut
    region: RegionRefOut | None = Field(None, description="UN M49 region (e.g. 002 Africa)")
    subregion: RegionRefOut | None = Field(None, description="UN M49 sub-region")
    intermediate_region: RegionRefOut | None = Field(
        None, description="UN M49 intermediate region, where there is one (e.g. 014)"
    )
    un_member: bool = Field(..., description="A UN member state")

    @staticmethod
    def resolve_name(obj: Country, context: Any) -> str:
        return localized(obj, "name", requested_language(context))

    @staticmethod
    def resolve_names(obj: Country) -> dict[str, str]:
        return texts_of(obj)


class RegionOut(Schema):
    m49: str = Field(..., description="UN M49 code")
    level: str = Field(..., description="world, region, subregion or intermediate")
    parent: str | None = Field(None, description="M49 code of the parent region")
    name: str
    names: TextsOut

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent.m49 if obj.parent is not None else None

    @staticmethod
    def resolve_name(obj: Region, context: Any) -> str:
        return localized(obj, "name", requested_language(context))

    @staticmethod
    def resolve_names(obj: Region) -> dict[str, str]:
        return texts_of(obj)


class CountryFilters(Schema):
    region: str | None = Field(
        None,
        pattern=r"^\d{3}$",
        description="UN M49 code of a region, sub-region or intermediate region (e.g. 202)",
    )
    un_member: bool | None = Field(None, description="true: UN member states only; false: others")
    q: str | None = Field(
        None, max_length=100, description="Part of a name (en, fr or es) or an ISO code"
    )
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


@router.get("", response=list[CountryOut], summary="List countries and territories")
@paginate(PagePagination)
def list_countries(request: HttpRequest, filters: Query[CountryFilters]) -> Any:
    """All ISO 3166-1 countries and territories, ordered by ISO3."""
    return selectors.country_list(region=filters.region, un_member=filters.un_member, q=filters.q)


@regions_router.get("", response=list[RegionOut], summary="List UN M49 regions")
@paginate(PagePagination)
def list_regions(request: HttpRequest, query: Query[LanguageQuery]) -> Any:
    """The UN M49 world, regions, sub-regions and intermediate regions."""
    return selectors.region_list()
