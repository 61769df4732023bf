"""Small, known resources for the search tests (ORM + ``index_resources``)."""

from __future__ import annotations

from itertools import count
from typing import Any

from sdg87.countries.models import Country, Region
from sdg87.framework.models import Goal, Target, Theme
from sdg87.library.models import Resource
from sdg87.library.search import index_resources
from sdg87.library.search.backends.sqlite import HEAD_TERMS

_record = count(1)

# Words enough to push what follows them out of a document's head (the second ranking tier).
FILLER = " ".join(f"filler{number}" for number in range(HEAD_TERMS + 20))


def geography() -> dict[str, Country]:
    world = Region.objects.create(m49="001", level="world", name_en="World")
    africa = Region.objects.create(
        m49="002", level="region", parent=world, name_en="Africa", name_fr="Afrique"
    )
    asia = Region.objects.create(
        m49="142", level="region", parent=world, name_en="Asia", name_fr="Asie"
    )
    west = Region.objects.create(
        m49="011", level="intermediate", parent=africa, name_en="Western Africa"
    )

    def make(iso3: str, iso2: str, numeric: str, names: tuple[str, str, str], region: Region):
        return Country.objects.create(
            iso3=iso3,
            iso2=iso2,
            numeric=numeric,
            name_en=names[0],
            name_fr=names[1],
            name_es=names[2],
            region=region,
            intermediate_region=west if region == africa else None,
        )

    return {
        "GHA": make("GHA", "GH", "288", ("Ghana", "Ghana", "Ghana"), africa),
        "CIV": make(
            "CIV", "CI", "384", ("Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire"), africa
        ),
        "NPL": make("NPL", "NP", "524", ("Nepal", "Népal", "Nepal"), asia),
    }


def framework() -> dict[str, Any]:
    goal = Goal.objects.create(code="8", title_en="Decent work", short_en="Decent work")
    return {
        "target": Target.objects.create(code="8.7", goal=goal, title_en="Target 8.7"),
        "theme": Theme.objects.create(
            slug="child-labour", name_en="Child labour", name_fr="Travail des enfants"
        ),
    }


def resource(
    title: str,
    text: str = "",
    *,
    abstract: str = "",
    language: str = "en",
    year: int | None = 2020,
    type: str = "research",
    status: str = "published",
    organisation: str = "",
    countries: list[Country] | None = None,
    themes: list[Theme] | None = None,
    targets: list[Target] | None = None,
    index: bool = True,
) -> Resource:
    item = Resource.objects.create(
        title=title,
        abstract=abstract,
        full_text=text,
        language=language,
        year=year,
        type=type,
        status=status,
        organisation=organisation,
        source="test",
        source_record_id=f"search-{next(_record)}",
    )
    item.countries.set(countries or [])
    item.themes.set(themes or [])
    item.targets.set(targets or [])
    if index:
        index_resources([item.pk])
    return item
