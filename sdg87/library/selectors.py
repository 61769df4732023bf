"""Reads of the library with its visibility rules: the public sees published resources only;
curators see everything; the owning organisation's editors (and the submitter) see their own."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from sdg87.accounts.permissions import is_curator, is_signed_in, role_of
from sdg87.accounts.roles import Role
from sdg87.core.errors import NotFound, PermissionDenied
from sdg87.countries.models import Country
from sdg87.framework.models import Theme
from sdg87.library import access, duplicates, workflow
from sdg87.library.models import (
    DuplicateLink,
    Resource,
    ResourceBucket,
    ResourceFingerprint,
    ResourceStatus,
    ResourceType,
    TagSuggestion,
)

SIMILAR_LIMIT = 10
SIMILAR_CANDIDATES = 60
# How much each kind of likeness counts in the "similar resources" score.
TEXT_WEIGHT = 0.6
COUNTRY_WEIGHT = 0.25
THEME_WEIGHT = 0.15


def _with_facets(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    return queryset.select_related("owner_organisation").prefetch_related(
        "countries", "themes", "targets"
    )


def visible_resources(actor: Any) -> QuerySet[Resource]:
    """The resources ``actor`` may see."""
    queryset = Resource.objects.all()
    if is_curator(actor):
        return queryset
    visible = Q(status=ResourceStatus.PUBLISHED)
    if is_signed_in(actor):
        visible |= Q(submitted_by_id=actor.pk)
        if role_of(actor) == Role.PARTNER_EDITOR and actor.organisation_id is not None:
            visible |= Q(owner_organisation_id=actor.organisation_id)
    return queryset.filter(visible)


def resource_get(*, actor: Any, resource_id: int) -> Resource:
    """One resource with its countries, themes and targets; ``NotFound`` when ``actor`` may
    not see it (an unpublished resource is not revealed to exist)."""
    resource = _with_facets(Resource.objects.filter(pk=resource_id)).first()
    if resource is None or not access.can_view(actor, resource):
        raise NotFound(f"no resource {resource_id}")
    return resource


def published_resource_get(resource_id: int) -> Resource:
    return resource_get(actor=None, resource_id=resource_id)


@dataclass(frozen=True)
class ReviewDetails:
    """What curators and owners see beside a resource: tag suggestions, suspected duplicates
    and the workflow actions open to them."""

    suggestions: list[TagSuggestion]
    duplicate_links: list[DuplicateLink]
    actions: list[str]


def resource_review_details(*, actor: Any, resource: Resource) -> ReviewDetails | None:
    curator = access.can_review(actor)
    owner = access.is_owner(actor, resource)
    if not (curator or owner):
        return None
    suggestions = list(resource.tag_suggestions.order_by("kind", "-score", "value"))
    links = list(
        DuplicateLink.objects.filter(Q(resource=resource) | Q(duplicate_of=resource))
        .select_related("resource", "duplicate_of")
        .order_by("-similarity")
    )
    if not curator:  # owners see the duplicates they can see
        links = [
            link
            for link in links
            if access.can_view(actor, link.resource) and access.can_view(actor, link.duplicate_of)
        ]
    return ReviewDetails(
        suggestions=suggestions,
        duplicate_links=links,
        actions=workflow.allowed_actions(resource.status, curator=curator, owner=owner),
    )


def with_labels(suggestions: list[TagSuggestion]) -> list[TagSuggestion]:
    """Give each suggestion a ``label``: the country's or theme's name in the current language,
    the target's code."""
    values: dict[str, list[str]] = defaultdict(list)
    for item in suggestions:
        values[item.kind].append(item.value)
    names: dict[tuple[str, str], str] = {}
    if values[TagSuggestion.Kind.COUNTRY]:
        for country in Country.objects.filter(iso3__in=values[TagSuggestion.Kind.COUNTRY]):
            names[(TagSuggestion.Kind.COUNTRY, country.iso3)] = country.name
    if values[TagSuggestion.Kind.THEME]:
        for theme in Theme.objects.filter(slug__in=values[TagSuggestion.Kind.THEME]):
            names[(TagSuggestion.Kind.THEME, theme.slug)] = theme.name
    for item in suggestions:
        item.label = names.get((item.kind, item.value), item.value)  # type: ignore[attr-defined]
    return suggestions


def review_queue(*, actor: Any) -> list[Resource]:
    """Resources in review, oldest first, with their open tag suggestions and suspected
    duplicates (curators only)."""
    if not access.can_review(actor):
        raise PermissionDenied("the review queue is for curators")
    open_suggestions = TagSuggestion.objects.filter(
        decision=TagSuggestion.Decision.SUGGESTED
    ).order_by("kind", "-score")
    queue = list(
        _with_facets(Resource.objects.filter(status=ResourceStatus.IN_REVIEW))
        .select_related("submitted_by")
        .prefetch_related(Prefetch("tag_suggestions", queryset=open_suggestions))
        .order_by("updated_at", "pk")
    )
    ids = [resource.pk for resource in queue]
    by_resource: dict[int, list[DuplicateLink]] = defaultdict(list)
    for link in (
        DuplicateLink.objects.filter(Q(resource_id__in=ids) | Q(duplicate_of_id__in=ids))
        .exclude(decision=DuplicateLink.Decision.DISMISSED)
        .select_related("resource", "duplicate_of")
    ):
        for resource_id in (link.resource_id, link.duplicate_of_id):
            if resource_id in ids:
                by_resource[resource_id].append(link)
    for resource in queue:
        resource.queue_duplicates = by_resource.get(resource.pk, [])  # type: ignore[attr-defined]
    return queue


def contributions_of(*, actor: Any) -> QuerySet[Resource]:
    """What the actor submitted or their organisation owns, newest first."""
    if not is_signed_in(actor):
        return Resource.objects.none()
    mine = Q(submitted_by_id=actor.pk)
    if role_of(actor) == Role.PARTNER_EDITOR and actor.organisation_id is not None:
        mine |= Q(owner_organisation_id=actor.organisation_id)
    return Resource.objects.filter(mine).order_by("-updated_at")


# --- similar resources ---------------------------------------------------------------------------


@dataclass
class SimilarResource:
    resource: Resource
    score: float
    text_similarity: float
    shared_countries: list[str] = field(default_factory=list)
    shared_themes: list[str] = field(default_factory=list)
    duplicate: bool = False


def _overlap(first: set[Any], second: set[Any]) -> float:
    return len(first & second) / len(first | second) if first and second else 0.0


def resource_similar(*, resource: Resource, limit: int = SIMILAR_LIMIT) -> list[SimilarResource]:
    """Published resources like ``resource``: near-duplicate text (MinHash over the shared
    LSH buckets), similar title, and shared countries and themes."""
    fingerprint = ResourceFingerprint.objects.filter(resource=resource).first()
    text_candidates: dict[int, float] = {}
    if fingerprint is not None and fingerprint.signature:
        own = ResourceBucket.objects.filter(resource=resource).values_list("band", "bucket")
        matches = Q()
        for band, bucket in own:
            matches |= Q(band=band, bucket=bucket)
        if matches:
            sharing = (
                ResourceBucket.objects.filter(matches)
                .exclude(resource=resource)
                .values("resource_id")
                .annotate(bands=Count("band"))
                .order_by("-bands")[:SIMILAR_CANDIDATES]
            )
            ids = [row["resource_id"] for row in sharing]
            for other in ResourceFingerprint.objects.filter(resource_id__in=ids):
                text_candidates[other.resource_id] = duplicates.estimated_jaccard(
                    bytes(fingerprint.signature), bytes(other.signature)
                )
    country_ids = {country.pk for country in resource.countries.all()}
    theme_ids = {theme.pk for theme in resource.themes.all()}
    facet_ids: list[int] = []
    if country_ids or theme_ids:
        shares = Q()
        counts = {}
        if country_ids:
            shares |= Q(countries__in=country_ids)
            counts["shared_countries"] = Count(
                "countries", filter=Q(countries__in=country_ids), distinct=True
            )
        if theme_ids:
            shares |= Q(themes__in=theme_ids)
            counts["shared_themes"] = Count("themes", filter=Q(themes__in=theme_ids), distinct=True)
        facet_ids = list(
            Resource.objects.filter(status=ResourceStatus.PUBLISHED)
            .exclude(pk=resource.pk)
            .filter(shares)
            .annotate(**counts)
            .order_by(*[f"-{name}" for name in counts], "-year", "pk")
            .values_list("pk", flat=True)
            .distinct()[:SIMILAR_CANDIDATES]
        )
    candidate_ids = set(text_candidates) | set(facet_ids)
    candidates = list(
        _with_facets(Resource.objects.filter(pk__in=candidate_ids, status=ResourceStatus.PUBLISHED))
    )
    linked = set(
        DuplicateLink.objects.filter(Q(resource=resource) | Q(duplicate_of=resource))
        .exclude(decision=DuplicateLink.Decision.DISMISSED)
        .values_list("resource_id", "duplicate_of_id")
    )
    linked_ids = {item for pair in linked for item in pair} - {resource.pk}
    own_countries = {country.iso3 for country in resource.countries.all()}
    own_themes = {theme.slug for theme in resource.themes.all()}
    results = []
    for other in candidates:
        countries = {country.iso3 for country in other.countries.all()}
        themes = {theme.slug for theme in other.themes.all()}
        text = text_candidates.get(other.pk, 0.0)
        title = duplicates.title_similarity(resource.title, other.title)
        score = (
            TEXT_WEIGHT * max(text, title * 0.8)
            + COUNTRY_WEIGHT * _overlap(own_countries, countries)
            + THEME_WEIGHT * _overlap(own_themes, themes)
        )
        results.append(
            SimilarResource(
                resource=other,
                score=round(score, 3),
                text_similarity=round(text, 3),
                shared_countries=sorted(own_countries & countries),
                shared_themes=sorted(own_themes & themes),
                duplicate=other.pk in linked_ids,
            )
        )
    results.sort(key=lambda item: (-item.score, -(item.resource.year or 0), item.resource.pk))
    return results[:limit]


# --- for other apps (partners) -----------------------------------------------------------


def published_resources_of_organisation(*, organisation_id: int) -> QuerySet[Resource]:
    """Published resources an organisation contributed or is linked to."""
    return (
        Resource.objects.filter(status=ResourceStatus.PUBLISHED)
        .filter(Q(owner_organisation_id=organisation_id) | Q(partner_organisations=organisation_id))
        .distinct()
        .order_by("-year", "title")
    )


# Resource types counted as studies on the partners' evidence-gap map.
STUDY_TYPES = (ResourceType.RESEARCH, ResourceType.EVALUATION)
STUDY_COUNT_KEYS = {"country": "countries__iso3", "region": "countries__subregion__m49"}


def published_study_counts(*, by: str) -> dict[tuple[str, str], int]:
    """Published research and evaluations per (theme slug, ISO3 code) with ``by="country"``
    or per (theme slug, UN M49 sub-region code) with ``by="region"``, in one query; a study
    counts once in each of its cells."""
    if by not in STUDY_COUNT_KEYS:
        raise ValueError(f"count studies by country or region, not {by!r}")
    key = STUDY_COUNT_KEYS[by]
    rows = (
        Resource.objects.filter(status=ResourceStatus.PUBLISHED, type__in=STUDY_TYPES)
        .filter(**{f"{key}__isnull": False, "themes__isnull": False})
        .values("themes__slug", key)
        .annotate(studies=Count("id", distinct=True))
        .order_by()
    )
    return {(row["themes__slug"], row[key]): row["studies"] for row in rows}


def resources_visible_among(*, actor: Any, resource_ids: list[int]) -> QuerySet[Resource]:
    """Those of ``resource_ids`` that ``actor`` may see (published ones for the public), for
    other apps that keep links to resources (the partners' action-group documents)."""
    return visible_resources(actor).filter(pk__in=resource_ids).order_by("-year", "title")


def theme_choices() -> list[tuple[str, str]]:
    """Every theme as (slug, name in the active language), in the themes' own order."""
    return [(theme.slug, theme.name) for theme in Theme.objects.order_by("position", "slug")]
