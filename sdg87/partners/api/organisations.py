"""``/api/v1/partners``: the directory of approved partner organisations, applying to join
and the curators' review of applications, and profile edits."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.api_i18n import LANGUAGE_DESCRIPTION, Language, LanguageQuery, requested_language
from sdg87.core.i18n import localized
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination
from sdg87.partners import library_links, selectors, services
from sdg87.partners.api.common import ISO3_PATTERN, SLUG_PATTERN, changed_fields, page_url
from sdg87.partners.models import Organisation, OrganisationKind

router = Router()


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    acronym: str
    kind: str = Field(description="partner type: " + ", ".join(OrganisationKind.values))
    country: str | None = Field(description="ISO3 code of the country it is based in")
    website: str
    url: str = Field(description="the partner's page")

    @staticmethod
    def resolve_country(obj: Organisation) -> str | None:
        return obj.country.iso3 if obj.country_id else None

    @staticmethod
    def resolve_url(obj: Organisation, context: Any) -> str:
        return page_url(context, "organisation_detail", obj.slug)


class MembershipOut(Schema):
    slug: str
    name: str
    role: str = Field(description="chair or member")

    @staticmethod
    def resolve_slug(obj: Any) -> str:
        return obj.group.slug

    @staticmethod
    def resolve_name(obj: Any, context: Any) -> str:
        return localized(obj.group, "name", requested_language(context))


class PledgeRefOut(Schema):
    id: int
    title: str
    status: str
    staleness: str | None


class ResearchRefOut(Schema):
    id: int
    title: str
    status: str


class OrganisationDetailOut(OrganisationOut):
    description: str
    status: str = Field(description="applied, approved or rejected")
    logo_url: str | None
    action_groups: list[MembershipOut]
    pledges: list[PledgeRefOut]
    research_projects: list[ResearchRefOut]
    resources: list[Any] = Field(
        description="published library resources it owns or partners on: id, title, type, year"
    )

    @staticmethod
    def resolve_logo_url(obj: Organisation, context: Any) -> str | None:
        return page_url(context, "organisation_logo", obj.slug) if obj.logo else None

    @staticmethod
    def resolve_action_groups(obj: Organisation) -> Any:
        return selectors.action_groups_of(organisation_id=obj.pk)

    @staticmethod
    def resolve_pledges(obj: Organisation) -> Any:
        return selectors.pledge_list(organisation=obj.slug)

    @staticmethod
    def resolve_research_projects(obj: Organisation) -> Any:
        return selectors.research_project_list(organisation=obj.slug)

    @staticmethod
    def resolve_resources(obj: Organisation) -> list[Any]:
        return library_links.organisation_resources(organisation_id=obj.pk)


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = Field(None, description="partner type")
    country: str | None = Field(None, pattern=ISO3_PATTERN, description="ISO3 code")
    action_group: str | None = Field(None, pattern=SLUG_PATTERN, description="action-group slug")
    q: str | None = Field(None, max_length=100, description="words of the name, or the acronym")
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


@router.get("", response=list[OrganisationOut], summary="Approved partner organisations")
@paginate(PagePagination)
def list_partners(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    return selectors.organisation_list(
        kind=filters.kind,
        country=filters.country,
        action_group=filters.action_group,
        q=filters.q,
    )


# --- applications (before "/{slug}": "applications" is a reserved slug) ---------------


KIND_DESCRIPTION = "partner type: " + ", ".join(OrganisationKind.values)


class ApplicationIn(Schema):
    name: str = Field(max_length=255)
    kind: str = Field(description=KIND_DESCRIPTION)
    acronym: str = Field("", max_length=32)
    website: str = Field("", max_length=200, description="an http or https address")
    country: str = Field("", description="ISO3 code (empty for an international body)")
    description: str = Field("", max_length=5000, description="what the organisation does")
    application_note: str = Field("", max_length=5000, description="why it wants to join")
    duplicate_override_reason: str = Field(
        "",
        description="curators only: why this is not the registered organisation it looks "
        "like (else 409 likely_duplicate listing the matches in details.matches)",
    )


class ApplicationOut(OrganisationOut):
    status: str = Field(description="applied, approved or rejected")
    description: str
    application_note: str
    applicant: str | None = Field(description="user name of the applicant")
    review_comment: str
    reviewed_at: datetime.datetime | None
    created_at: datetime.datetime
    duplicate_override_reason: str

    @staticmethod
    def resolve_applicant(obj: Organisation) -> str | None:
        return obj.applicant.get_username() if obj.applicant_id else None


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    comment: str = Field("", max_length=5000, description="required to reject")


@router.post(
    "/applications",
    response={201: ApplicationOut},
    auth=signed_in,
    summary="Apply for an organisation to join",
)
def apply(request: HttpRequest, payload: ApplicationIn) -> Any:
    """For any signed-in user who does not act for an organisation yet. A likely duplicate
    of a registered or pending organisation (another language, spelling or the acronym) is
    409 ``likely_duplicate`` with the matches in ``details.matches``."""
    organisation = services.organisation_apply(
        actor=request.auth,
        name=payload.name,
        kind=payload.kind,
        acronym=payload.acronym,
        website=payload.website,
        country_code=payload.country or None,
        description=payload.description,
        application_note=payload.application_note,
        duplicate_override_reason=payload.duplicate_override_reason,
        source=AuditSource.API,
    )
    return Status(201, selectors.organisation_get(actor=request.auth, slug=organisation.slug))


@router.get(
    "/applications",
    response=list[ApplicationOut],
    auth=signed_in,
    summary="Applications waiting for review",
)
@paginate(PagePagination)
def list_applications(request: HttpRequest) -> Any:
    """For curators: pending applications, oldest first."""
    return selectors.application_list(actor=request.auth)


@router.post(
    "/applications/{slug}/decision",
    response=ApplicationOut,
    auth=signed_in,
    summary="Approve or reject an application",
)
def decide(request: HttpRequest, slug: str, payload: DecisionIn) -> Any:
    """For curators. Approving makes the applicant (a viewer) the organisation's partner
    editor; rejecting needs a comment. 409 once the application is decided."""
    organisation = selectors.organisation_get(actor=request.auth, slug=slug)
    review = (
        services.organisation_approve
        if payload.decision == "approve"
        else services.organisation_reject
    )
    review(
        actor=request.auth,
        organisation_id=organisation.pk,
        comment=payload.comment,
        source=AuditSource.API,
    )
    return selectors.organisation_get(actor=request.auth, slug=slug)


class OrganisationPatchIn(Schema):
    description: str | None = Field(None, max_length=5000)
    website: str | None = Field(None, max_length=200, description="an http or https address")
    country: str | None = Field(None, description="ISO3 code; empty or null clears it")
    name: str | None = Field(None, max_length=255, description="curators only")
    acronym: str | None = Field(None, max_length=32, description="curators only")
    kind: str | None = Field(None, description="curators only; " + KIND_DESCRIPTION)


@router.get("/{slug}", response=OrganisationDetailOut, summary="One partner organisation")
def get_partner(request: HttpRequest, slug: str, query: Query[LanguageQuery]) -> Any:
    """Applications (not yet approved) are seen only by curators and the applicant: 404
    for everyone else."""
    return selectors.organisation_get(actor=request_actor(request), slug=slug)


@router.patch(
    "/{slug}", response=OrganisationDetailOut, auth=signed_in, summary="Edit a partner's profile"
)
def update_partner(request: HttpRequest, slug: str, payload: OrganisationPatchIn) -> Any:
    """For the organisation's partner editors and curators; the name, acronym and kind for
    curators only. Fields left out stay as they are."""
    organisation = selectors.organisation_get(actor=request.auth, slug=slug)
    changes = changed_fields(payload)
    if "country_code" in changes:
        changes["country_code"] = changes["country_code"] or ""
    services.organisation_update(
        actor=request.auth, organisation_id=organisation.pk, source=AuditSource.API, **changes
    )
    return selectors.organisation_get(actor=request.auth, slug=slug)
