"""Where partners meet the knowledge library.

Each function reads the library through its selectors or its search, and only ever returns
published resources: the partner pages, action-group pages, the similar-research panel and
the evidence-gap map show them to everyone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sdg87.core.errors import InvalidInput, NotFound
from sdg87.library import selectors as library_selectors
from sdg87.library.search import SearchFilters, resource_search

# The pages read this to say whether resources from the library are shown.
LIBRARY_AVAILABLE = True
# How many resources a partner or action-group page lists, how many similar studies it shows.
PAGE_LIMIT = 50
SIMILAR_LIMIT = 5
# The query sent to the search: the title and the start of the description.
QUERY_CHARS = 1000


@dataclass(frozen=True)
class LinkedResource:
    """A published library resource as the partner pages and the API show it."""

    id: int
    title: str
    type: str
    year: int | None
    score: float | None = None  # search relevance, for similar studies only

    def __str__(self) -> str:
        return self.title


def _linked(resource: Any) -> LinkedResource:
    return LinkedResource(
        id=resource.pk, title=resource.title, type=resource.type, year=resource.year
    )


def organisation_resources(*, organisation_id: int) -> list[LinkedResource]:
    """Published resources the organisation owns or is a partner of, newest first."""
    resources = library_selectors.published_resources_of_organisation(
        organisation_id=organisation_id
    )
    return [_linked(resource) for resource in resources[:PAGE_LIMIT]]


@dataclass(frozen=True)
class GroupDocument:
    """One of an action group's documents as its page and the API show it."""

    id: int
    title: str
    type: str
    year: int | None
    status: str
    note: str
    meeting_id: int | None
    attached_at: datetime.datetime

    def __str__(self) -> str:
        return self.title


def action_group_documents(*, links: Iterable[Any], actor: Any) -> list[GroupDocument]:
    """The group's documents (``links``: its ``ActionGroupDocument`` rows) that ``actor`` may
    see in the library, newest first: published ones for the public, never a draft of
    someone else. One query to the library."""
    by_resource = {link.resource_id: link for link in links}
    if not by_resource:
        return []
    resources = library_selectors.resources_visible_among(
        actor=actor, resource_ids=list(by_resource)
    )
    documents = [
        GroupDocument(
            id=resource.pk,
            title=resource.title,
            type=resource.type,
            year=resource.year,
            status=resource.status,
            note=by_resource[resource.pk].note,
            meeting_id=by_resource[resource.pk].meeting_id,
            attached_at=by_resource[resource.pk].attached_at,
        )
        for resource in resources[:PAGE_LIMIT]
    ]
    documents.sort(key=lambda document: (document.attached_at, document.id), reverse=True)
    return documents


def resource_to_attach(*, actor: Any, resource_id: int) -> Any:
    """A resource ``actor`` may see, to attach to an action group; ``InvalidInput`` naming
    the field when it does not exist or is hidden from the actor (never telling which)."""
    try:
        return library_selectors.resource_get(actor=actor, resource_id=resource_id)
    except NotFound:
        raise InvalidInput(
            "unknown library resource", details={"resource": f"no resource {resource_id}"}
        ) from None


def similar_published_resources(
    *, title: str, text: str, countries: list[str], themes: list[str]
) -> list[LinkedResource]:
    """Published studies like a research project being registered: a full-text search on
    its title and description, restricted to its countries and themes when given, best
    first with the search's relevance score."""
    query = f"{title or ''} {text or ''}".strip()[:QUERY_CHARS]
    if not query:
        return []
    result = resource_search(
        query=query,
        filters=SearchFilters(countries=tuple(countries), themes=tuple(themes)),
        page_size=SIMILAR_LIMIT,
        with_facets=False,
    )
    return [
        LinkedResource(id=hit.id, title=hit.title, type=hit.type, year=hit.year, score=hit.score)
        for hit in result.hits
    ]


def published_study_counts(*, by: str) -> dict[tuple[str, str], int]:
    """Published research and evaluations per (theme slug, ISO3 or M49 sub-region code) for
    the evidence-gap map; ``by`` is "country" or "region"."""
    return library_selectors.published_study_counts(by=by)
