"""Reads for countries and UN M49 regions."""

from __future__ import annotations

import unicodedata

from django.db.models import Q, QuerySet

from sdg87.core.errors import NotFound
from sdg87.core.i18n import UI_LANGUAGES, localized
from sdg87.countries.models import Country, Region


def country_count() -> int:
    return Country.objects.count()


def _with_regions(queryset: QuerySet[Country]) -> QuerySet[Country]:
    return queryset.select_related("region", "subregion", "intermediate_region")


def country_list(
    *, region: str | None = None, un_member: bool | None = None, q: str | None = None
) -> QuerySet[Country]:
    """Countries ordered by ISO3.

    ``region`` is an M49 code matched against the region, sub-region or intermediate region;
    ``q`` matches a name in any UI language or an ISO code (case-insensitive, substring).
    """
    countries = _with_regions(Country.objects.all())
    if region:
        countries = countries.filter(
            Q(region__m49=region) | Q(subregion__m49=region) | Q(intermediate_region__m49=region)
        )
    if un_member is not None:
        countries = countries.filter(un_member=un_member)
    if q and q.strip():
        term = q.strip()
        names = Q()
        for language in UI_LANGUAGES:
            names |= Q(**{f"name_{language}__icontains": term})
        codes = Q(iso3__iexact=term) | Q(iso2__iexact=term) | Q(numeric=term)
        countries = countries.filter(names | codes | Q(official_name_en__icontains=term))
    return countries.order_by("iso3")


def _collation_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sorted_by_name(countries: QuerySet[Country], language: str | None = None) -> list[Country]:
    """Countries in alphabetical order of their name in ``language`` (accents ignored)."""
    return sorted(
        countries, key=lambda country: _collation_key(localized(country, "name", language))
    )


def country_get(iso3: str) -> Country:
    code = (iso3 or "").strip().upper()
    try:
        return _with_regions(Country.objects.all()).get(iso3=code)
    except Country.DoesNotExist:
        raise NotFound(f"no country with ISO3 code {iso3!r}", details={"iso3": iso3}) from None


def region_list() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("m49")


def regions_for_filter() -> list[Region]:
    """Regions, sub-regions and intermediate regions in tree order, each level sorted by its
    name in the current language; each carries ``depth`` (0 = region) for indenting."""
    regions = list(Region.objects.exclude(level=Region.Level.WORLD).select_related("parent"))
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    world_children = [r for r in regions if r.level == Region.Level.REGION]
    ordered: list[Region] = []

    def visit(region: Region, depth: int) -> None:
        region.depth = depth  # type: ignore[attr-defined]
        ordered.append(region)
        for child in sorted(children.get(region.pk, []), key=lambda r: _collation_key(r.name)):
            visit(child, depth + 1)

    for region in sorted(world_children, key=lambda r: _collation_key(r.name)):
        visit(region, 0)
    return ordered
