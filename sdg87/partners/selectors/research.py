"""Reads on the research register: lists, similar research, and the evidence-gap map.

The register is public; a project's contact e-mail is shown to signed-in users only
(``contact_visible`` on every project these selectors return).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Q, QuerySet, Value

from sdg87.accounts import permissions
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.i18n import localized
from sdg87.countries.models import Country, Region
from sdg87.framework.models import Theme
from sdg87.partners import library_links
from sdg87.partners.models import ResearchProject
from sdg87.partners.research_similarity import ResearchMatch, ResearchText, similar_research

GAP_DIMENSIONS = ("region", "country")


def _visible(projects: QuerySet[ResearchProject], actor: Any) -> QuerySet[ResearchProject]:
    return projects.annotate(
        contact_visible=Value(permissions.is_signed_in(actor), output_field=BooleanField())
    )


def research_project_list(
    *,
    actor: Any = None,
    organisation: str | None = None,
    country: str | None = None,
    region: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[ResearchProject]:
    """Registered research, newest first. ``country`` ISO3, ``region`` an M49 code (region or
    sub-region), ``theme`` a slug, ``organisation`` a slug, ``q`` words of the title or
    questions."""
    projects = ResearchProject.objects.all()
    if organisation:
        projects = projects.filter(organisation__slug=organisation)
    if country:
        projects = projects.filter(countries__iso3=country.strip().upper())
    if region:
        projects = projects.filter(
            Q(countries__region__m49=region)
            | Q(countries__subregion__m49=region)
            | Q(countries__intermediate_region__m49=region)
        )
    if theme:
        projects = projects.filter(themes__slug=theme)
    if status:
        projects = projects.filter(status=status)
    if q and q.strip():
        term = q.strip()
        projects = projects.filter(Q(title__icontains=term) | Q(questions__icontains=term))
    projects = (
        projects.distinct()
        .select_related("organisation")
        .prefetch_related("countries", "themes")
        .order_by("-created_at", "-id")
    )
    return _visible(projects, actor)


def research_project_get(*, actor: Any = None, project_id: int) -> ResearchProject:
    projects = _visible(
        ResearchProject.objects.select_related("organisation").prefetch_related(
            "countries", "themes", "similar_projects"
        ),
        actor,
    )
    project = projects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(f"no research project {project_id}", details={"id": project_id})
    return project


def _registered_texts(exclude_id: int | None) -> Iterable[ResearchText]:
    projects = (
        ResearchProject.objects.exclude(pk=exclude_id)
        .only("id", "title", "summary", "questions", "methods", "period_start", "period_end")
        .prefetch_related("countries", "themes")
    )
    for project in projects:
        yield ResearchText(
            id=project.pk,
            title=project.title,
            body=" ".join((project.summary, project.questions, project.methods)),
            countries=frozenset(country.iso3 for country in project.countries.all()),
            themes=frozenset(theme.slug for theme in project.themes.all()),
            start=project.period_start,
            end=project.period_end,
        )


def research_similar(
    *,
    title: str,
    text: str = "",
    country_codes: Iterable[str] = (),
    theme_slugs: Iterable[str] = (),
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    exclude_id: int | None = None,
) -> list[ResearchMatch]:
    """Registered research like the described one, best first, with scores and reasons."""
    candidate = ResearchText(
        id=None,
        title=title or "",
        body=text or "",
        countries=frozenset(code.strip().upper() for code in country_codes if code.strip()),
        themes=frozenset(slug.strip().lower() for slug in theme_slugs if slug.strip()),
        start=start,
        end=end if start is not None else None,
    )
    return similar_research(candidate, _registered_texts(exclude_id))


def similar_published_resources(
    *, title: str, text: str, country_codes: list[str], theme_slugs: list[str]
) -> list[Any]:
    """Published library resources like the described research, best first."""
    return library_links.similar_published_resources(
        title=title, text=text, countries=country_codes, themes=theme_slugs
    )


# --- the evidence-gap map ---------------------------------------------------------------


@dataclass
class GapCell:
    theme: Theme
    projects: int = 0
    studies: int = 0

    @property
    def total(self) -> int:
        return self.projects + self.studies


@dataclass
class GapRow:
    code: str  # ISO3 of a country, M49 of a sub-region
    name: str
    cells: list[GapCell] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(cell.total for cell in self.cells)


@dataclass
class GapMap:
    by: str
    themes: list[Theme]
    rows: list[GapRow]
    region: Region | None
    library_available: bool
    max_count: int
    project_total: int


def evidence_gap_map(
    *, by: str = "region", region: str | None = None, language: str | None = None
) -> GapMap:
    """Registered research and published library studies per theme and
    UN M49 sub-region (``by="region"``) or country (``by="country"``). By country, only
    countries with research are listed unless ``region`` (an M49 code) names the region whose
    countries to list, gaps included."""
    if by not in GAP_DIMENSIONS:
        raise InvalidInput("unknown dimension", details={"by": f"{by!r} is not region or country"})
    themes = list(Theme.objects.order_by("position", "slug"))
    selected_region = None
    if region:
        selected_region = Region.objects.filter(m49=region).first()
        if selected_region is None:
            raise InvalidInput("unknown region", details={"region": f"no M49 region {region!r}"})
    if by == "region":
        rows = _region_rows(language)
        key = "countries__subregion__m49"
    else:
        rows = _country_rows(selected_region, language)
        key = "countries__iso3"
    counts = (
        ResearchProject.objects.exclude(**{f"{key}__isnull": True})
        .exclude(themes__isnull=True)
        .values(key, "themes__slug")
        .annotate(projects=Count("id", distinct=True))
    )
    projects: dict[tuple[str, str], int] = {
        (row[key], row["themes__slug"]): row["projects"] for row in counts
    }
    studies = library_links.published_study_counts(by=by)
    if by == "country" and selected_region is None:
        with_data = {code for code, _theme in projects} | {code for _theme, code in studies}
        rows = [row for row in rows if row.code in with_data]
    for row in rows:
        row.cells = [
            GapCell(
                theme=theme,
                projects=projects.get((row.code, theme.slug), 0),
                studies=studies.get((theme.slug, row.code), 0),
            )
            for theme in themes
        ]
    return GapMap(
        by=by,
        themes=themes,
        rows=rows,
        region=selected_region,
        library_available=library_links.LIBRARY_AVAILABLE,
        max_count=max((cell.total for row in rows for cell in row.cells), default=0),
        project_total=ResearchProject.objects.count(),
    )


def _region_rows(language: str | None) -> list[GapRow]:
    subregions = Region.objects.filter(level=Region.Level.SUBREGION)
    rows = [GapRow(region.m49, localized(region, "name", language)) for region in subregions]
    return sorted(rows, key=lambda row: row.name)


def _country_rows(region: Region | None, language: str | None) -> list[GapRow]:
    countries = Country.objects.all()
    if region is not None:
        countries = countries.filter(
            Q(region=region) | Q(subregion=region) | Q(intermediate_region=region)
        )
    rows = [GapRow(country.iso3, localized(country, "name", language)) for country in countries]
    return sorted(rows, key=lambda row: row.name)


def theme_country_counts(*, theme: str) -> dict[str, int]:
    """Registered research per country (ISO3) for one theme, for the map."""
    counts: defaultdict[str, int] = defaultdict(int)
    rows = (
        ResearchProject.objects.filter(themes__slug=theme)
        .values("countries__iso3")
        .annotate(projects=Count("id", distinct=True))
    )
    for row in rows:
        if row["countries__iso3"]:
            counts[row["countries__iso3"]] += row["projects"]
    return dict(counts)
