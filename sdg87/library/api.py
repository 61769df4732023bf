"""``/api/v1/resources/…``: one resource, its similar resources, contributions and the review
workflow. (The list ``GET /api/v1/resources`` is the search API, ``api_search.py``.)

The public sees published resources only; an unpublished one answers 404 unless the caller is
a curator or edits for the organisation that owns it."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.models import AuditSource
from sdg87.library import selectors, services
from sdg87.library.models import DuplicateLink, Resource, ResourceType, TagSuggestion

router = Router()


class TagSuggestionOut(Schema):
    id: int
    kind: str = Field(description='"country", "theme" or "target"')
    value: str = Field(description="ISO3 code, theme slug or target code")
    score: float
    evidence: str = Field(description="The matched words in their context")
    decision: str


class DuplicateLinkOut(Schema):
    id: int
    resource: int
    duplicate_of: int
    similarity: float
    method: str = Field(description='"minhash" (text) or "title"')
    decision: str


class ResourceOut(Schema):
    id: int
    title: str
    abstract: str
    text: str
    language: str = Field(description="ISO 639-1")
    language_detected: bool
    year: int | None
    type: str
    countries: list[str] = Field(description="ISO3 codes")
    themes: list[str] = Field(description="Theme slugs")
    targets: list[str] = Field(description="SDG target codes")
    organisation: str
    authors: list[str]
    url: str
    file_url: str | None
    licence: str
    status: str
    source: str
    source_record_id: str = Field(description="The record's id at its source")
    first_seen_at: datetime.datetime
    last_seen_at: datetime.datetime
    published_at: datetime.datetime | None
    extra: dict[str, Any]
    review_comment: str | None = Field(
        None, description="Curators and owners: the last comment when returned to draft"
    )
    tag_suggestions: list[TagSuggestionOut] | None = Field(
        None, description="Curators and owners only"
    )
    duplicates: list[DuplicateLinkOut] | None = Field(None, description="Curators and owners only")
    actions: list[str] | None = Field(
        None, description="Workflow actions open to the caller (curators and owners)"
    )


class SimilarOut(Schema):
    id: int
    title: str
    language: str
    year: int | None
    type: str
    countries: list[str]
    score: float
    text_similarity: float
    shared_countries: list[str]
    shared_themes: list[str]
    duplicate: bool


class SimilarListOut(Schema):
    count: int
    results: list[SimilarOut]


class TransitionIn(Schema):
    action: Literal["submit", "publish", "return", "withdraw", "restore"]
    comment: str = ""


class ResourceEditIn(Schema):
    """The fields to change; fields left out keep their value."""

    title: str | None = None
    abstract: str | None = None
    language: str | None = Field(None, description="ISO 639-1")
    year: int | None = Field(None, description="null clears it")
    type: ResourceType | None = None
    countries: list[str] | None = Field(None, description="ISO3 codes (replace the list)")
    themes: list[str] | None = Field(None, description="Theme slugs (replace the list)")
    targets: list[str] | None = Field(None, description="SDG target codes (replace the list)")
    url: str | None = None
    licence: str | None = None


class TagDecisionIn(Schema):
    accept: bool


class DuplicateDecisionIn(Schema):
    decision: Literal["confirmed", "dismissed"]


def _suggestion_out(suggestion: TagSuggestion) -> dict[str, Any]:
    return {
        "id": suggestion.pk,
        "kind": suggestion.kind,
        "value": suggestion.value,
        "score": suggestion.score,
        "evidence": suggestion.evidence,
        "decision": suggestion.decision,
    }


def _link_out(link: DuplicateLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "resource": link.resource_id,
        "duplicate_of": link.duplicate_of_id,
        "similarity": link.similarity,
        "method": link.method,
        "decision": link.decision,
    }


def resource_out(resource: Resource, *, actor: Any, request: HttpRequest) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": resource.pk,
        "title": resource.title,
        "abstract": resource.abstract,
        "text": resource.full_text,
        "language": resource.language,
        "language_detected": resource.language_detected,
        "year": resource.year,
        "type": resource.type,
        "countries": sorted(country.iso3 for country in resource.countries.all()),
        "themes": sorted(theme.slug for theme in resource.themes.all()),
        "targets": sorted(target.code for target in resource.targets.all()),
        "organisation": resource.organisation,
        "authors": list(resource.authors or []),
        "url": resource.url,
        "file_url": request.build_absolute_uri(resource.file.url) if resource.file else None,
        "licence": resource.licence,
        "status": resource.status,
        "source": resource.source,
        "source_record_id": resource.source_record_id,
        "first_seen_at": resource.first_seen_at,
        "last_seen_at": resource.last_seen_at,
        "published_at": resource.published_at,
        "extra": resource.extra or {},
    }
    details = selectors.resource_review_details(actor=actor, resource=resource)
    if details is not None:
        document["review_comment"] = resource.review_comment
        document["tag_suggestions"] = [_suggestion_out(item) for item in details.suggestions]
        document["duplicates"] = [_link_out(link) for link in details.duplicate_links]
        document["actions"] = details.actions
    return document


@router.get("/{int:resource_id}", response=ResourceOut, summary="One resource")
def get_resource(request: HttpRequest, resource_id: int) -> Any:
    """A resource with its metadata, full text and provenance. Curators and the owning
    organisation's editors also get its tag suggestions, suspected duplicates and the workflow
    actions open to them; anyone else gets 404 for a resource that is not published."""
    actor = request_actor(request)
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    return resource_out(resource, actor=actor, request=request)


@router.patch(
    "/{int:resource_id}",
    response=ResourceOut,
    auth=signed_in,
    summary="Correct a resource's metadata (curators; owners while draft or in review)",
)
def edit_resource(request: HttpRequest, resource_id: int, body: ResourceEditIn) -> Any:
    """Send only the fields to change. Curators may edit any resource; the partner editors of
    the organisation that contributed it (and its submitter) while it is a draft or in review.
    404 for a resource the caller cannot see, 403 for one they see but may not edit, 400 naming
    the field for a bad value. Recorded in the audit trail."""
    given = body.dict(exclude_unset=True)
    for name in ("countries", "themes", "targets"):
        if name in given:
            given[name] = tuple(given[name] or ())
    if given.get("type") is not None:
        given["type"] = str(given["type"])
    services.resource_edit(
        actor=request.auth,
        resource_id=resource_id,
        edit=services.ResourceEdit(**given),
        source=AuditSource.API,
    )
    resource = selectors.resource_get(actor=request.auth, resource_id=resource_id)
    return resource_out(resource, actor=request.auth, request=request)


@router.get(
    "/{int:resource_id}/similar", response=SimilarListOut, summary="Resources like this one"
)
def similar_resources(request: HttpRequest, resource_id: int) -> Any:
    """Published resources like this one: near-duplicate text (MinHash), similar title, and
    shared countries and themes, best first."""
    actor = request_actor(request)
    resource = selectors.resource_get(actor=actor, resource_id=resource_id)
    results = [
        {
            "id": item.resource.pk,
            "title": item.resource.title,
            "language": item.resource.language,
            "year": item.resource.year,
            "type": item.resource.type,
            "countries": sorted(country.iso3 for country in item.resource.countries.all()),
            "score": item.score,
            "text_similarity": item.text_similarity,
            "shared_countries": item.shared_countries,
            "shared_themes": item.shared_themes,
            "duplicate": item.duplicate,
        }
        for item in selectors.resource_similar(resource=resource)
    ]
    return {"count": len(results), "results": results}


@router.post(
    "/contributions",
    response={201: ResourceOut},
    auth=signed_in,
    summary="Contribute a resource (partner editors and curators)",
)
def contribute(
    request: HttpRequest,
    title: Form[str],
    file: File[UploadedFile | None] = None,
    abstract: Form[str] = "",
    language: Form[str] = "",
    year: Form[int | None] = None,
    type: Form[str] = ResourceType.RESEARCH,
    countries: Form[str] = "",
    url: Form[str] = "",
    organisation: Form[str] = "",
    licence: Form[str] = "",
    authors: Form[str] = "",
    submit: Form[bool] = True,
) -> Any:
    """Multipart form: the metadata and a file (PDF, .docx, HTML or .txt; the type is checked
    from the content, not the name). `countries`: ISO3 codes separated by `;` or `,`;
    `authors`: one per line or separated by `;`. The resource is created as a draft and,
    unless `submit=false`, sent for review. A refused file answers 400 with the reason."""
    upload = None
    if file is not None:
        content = file.read(_upload_limit() + 1)
        upload = services.Upload(name=file.name or "upload", content=content)
    resource = services.resource_contribute(
        actor=request.auth,
        contribution=services.Contribution(
            title=title,
            abstract=abstract,
            language=language,
            year=year,
            type=type,
            countries=tuple(
                part.strip() for part in countries.replace(",", ";").split(";") if part.strip()
            ),
            url=url,
            organisation=organisation,
            licence=licence,
            authors=tuple(
                part.strip() for part in authors.replace("\n", ";").split(";") if part.strip()
            ),
            submit=submit,
        ),
        upload=upload,
        source=AuditSource.API,
    )
    resource = selectors.resource_get(actor=request.auth, resource_id=resource.pk)
    return Status(201, resource_out(resource, actor=request.auth, request=request))


def _upload_limit() -> int:
    return int(settings.LIBRARY_UPLOAD_MAX_BYTES)


@router.post(
    "/{int:resource_id}/transitions",
    response=ResourceOut,
    auth=signed_in,
    summary="Move a resource through the review workflow",
)
def transition(request: HttpRequest, resource_id: int, body: TransitionIn) -> Any:
    """`submit` (owners), `publish`, `return` (with a comment), `restore` (curators),
    `withdraw` (owners and curators). 409 when the resource's status does not allow it."""
    service = services.RESOURCE_TRANSITIONS[body.action]
    options: dict[str, Any] = {"actor": request.auth, "resource_id": resource_id}
    if body.action in ("return", "withdraw"):
        options["comment"] = body.comment
    service(**options, source=AuditSource.API)
    resource = selectors.resource_get(actor=request.auth, resource_id=resource_id)
    return resource_out(resource, actor=request.auth, request=request)


@router.post(
    "/tag-suggestions/{int:suggestion_id}/decision",
    response=TagSuggestionOut,
    auth=signed_in,
    summary="Accept or reject a tag suggestion (curators)",
)
def decide_tag(request: HttpRequest, suggestion_id: int, body: TagDecisionIn) -> Any:
    suggestion = services.tag_suggestion_decide(
        actor=request.auth, suggestion_id=suggestion_id, accept=body.accept, source=AuditSource.API
    )
    return _suggestion_out(suggestion)


@router.post(
    "/duplicates/{int:link_id}/decision",
    response=DuplicateLinkOut,
    auth=signed_in,
    summary="Confirm or dismiss a suspected duplicate (curators)",
)
def decide_duplicate(request: HttpRequest, link_id: int, body: DuplicateDecisionIn) -> Any:
    link = services.duplicate_link_decide(
        actor=request.auth, link_id=link_id, decision=body.decision, source=AuditSource.API
    )
    return _link_out(link)
