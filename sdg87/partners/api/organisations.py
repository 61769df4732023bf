"""``/api/v1/partners``: the directory of approved partner organisations."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sdg87.accounts.auth import request_actor
from sdg87.core.api_i18n import LANGUAGE_DESCRIPTION, Language, LanguageQuery, requested_language
from sdg87.core.i18n import localized
from sdg87.core.pagination import PagePagination
from sdg87.partners import library_links, selectors
from sdg87.partners.api.common import ISO3_PATTERN, SLUG_PATTERN, page_url
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


@router.get("/{slug}", response=OrganisationDetailOut, summary="One partner organisation")
def get_partner(request: HttpRequest, slug: str, query: Query[LanguageQuery]) -> Any:
    """Applications (not yet approved) are seen only by curators and the applicant: 404
    for everyone else."""
    return selectors.organisation_get(actor=request_actor(request), slug=slug)
