"""Reads on organisations, with who may see what: approved partners are public; an
application is seen by curators, its applicant and the organisation's editors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from sdg87.accounts import permissions
from sdg87.accounts.roles import Role
from sdg87.core.errors import InvalidInput, NotFound, PermissionDenied
from sdg87.partners.models import Organisation, OrganisationAlias, OrganisationStatus
from sdg87.partners.names import (
    NameMatch,
    OrganisationName,
    alias_index,
    known_as,
    likely_duplicates,
)


def organisation_visible(actor: Any, organisation: Organisation) -> bool:
    if organisation.status == OrganisationStatus.APPROVED:
        return True
    if permissions.can_act_for_organisation(actor, organisation.pk):
        return True
    return permissions.is_signed_in(actor) and organisation.applicant_id == actor.pk


def organisation_list(
    *,
    kind: str | None = None,
    country: str | None = None,
    action_group: str | None = None,
    q: str | None = None,
) -> QuerySet[Organisation]:
    """Approved partners, by name; filters: kind, country ISO3, action-group slug, a name."""
    organisations = Organisation.objects.filter(status=OrganisationStatus.APPROVED)
    if kind:
        organisations = organisations.filter(kind=kind)
    if country:
        organisations = organisations.filter(country__iso3=country.strip().upper())
    if action_group:
        organisations = organisations.filter(memberships__group__slug=action_group)
    if q and q.strip():
        term = q.strip()
        organisations = organisations.filter(Q(name__icontains=term) | Q(acronym__iexact=term))
    return (
        organisations.select_related("country")
        .annotate(
            pledge_count=Count("pledges", distinct=True),
            research_count=Count("research_projects", distinct=True),
            group_count=Count("memberships", distinct=True),
        )
        .order_by("name", "id")
    )


def organisation_get(*, actor: Any, slug: str) -> Organisation:
    """One organisation the actor may see (``NotFound`` otherwise)."""
    organisation = (
        Organisation.objects.select_related("country", "applicant").filter(slug=slug).first()
    )
    if organisation is None or not organisation_visible(actor, organisation):
        raise NotFound(f"no organisation {slug!r}", details={"slug": slug})
    return organisation


def organisation_get_by_id(*, actor: Any, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.select_related("country").filter(pk=organisation_id).first()
    if organisation is None or not organisation_visible(actor, organisation):
        raise NotFound(f"no organisation {organisation_id}")
    return organisation


def application_list(
    *, actor: Any, status: str = OrganisationStatus.APPLIED
) -> QuerySet[Organisation]:
    """Applications to review (curators)."""
    if not permissions.is_curator(actor):
        permissions.require_signed_in(actor)
        raise PermissionDenied("only a curator or an administrator may review applications")
    return (
        Organisation.objects.filter(status=status)
        .select_related("country", "applicant")
        .order_by("created_at", "id")
    )


def applications_of(*, actor: Any) -> QuerySet[Organisation]:
    """The actor's own applications, newest first."""
    if not permissions.is_signed_in(actor):
        return Organisation.objects.none()
    return Organisation.objects.filter(applicant=actor).order_by("-created_at")


def organisation_duplicates(
    *, name: str, acronym: str = "", exclude_id: int | None = None
) -> list[NameMatch]:
    """Registered or pending organisations that ``name``/``acronym`` likely is already."""
    index = alias_index(OrganisationAlias.objects.values_list("key", "name", "form"))
    candidate = OrganisationName(None, name, acronym, known_as(name, acronym, index))
    existing = (
        Organisation.objects.exclude(status=OrganisationStatus.REJECTED)
        .exclude(pk=exclude_id)
        .values_list("pk", "name", "acronym")
    )
    return likely_duplicates(
        candidate,
        (
            OrganisationName(
                pk, other_name, other_acronym, known_as(other_name, other_acronym, index)
            )
            for pk, other_name, other_acronym in existing
        ),
    )


def organisation_choices() -> QuerySet[Organisation]:
    """Approved organisations for pick lists."""
    return Organisation.objects.filter(status=OrganisationStatus.APPROVED).order_by("name")


def approved_organisation_ids(slugs: list[str], *, field: str) -> list[int]:
    """The ids of approved partners named by slug; ``InvalidInput`` naming ``field`` lists
    the slugs that are no approved partner (a pending application is not told apart)."""
    wanted = sorted({slug.strip() for slug in slugs if slug.strip()})
    found = dict(organisation_choices().filter(slug__in=wanted).values_list("slug", "pk"))
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise InvalidInput(
            "unknown partner organisation",
            details={field: f"no approved partner {', '.join(unknown)}"},
        )
    return [found[slug] for slug in wanted]


def organisation_choices_for(actor: Any) -> list[tuple[int, str]]:
    """The approved organisations ``actor`` may act for, as (id, name) pick-list choices:
    every one for curators, its own for a partner editor, none for anyone else."""
    organisations = organisation_choices()
    if not permissions.is_curator(actor):
        own = actor.organisation_id if permissions.role_of(actor) == Role.PARTNER_EDITOR else None
        organisations = organisations.filter(pk=own) if own is not None else organisations.none()
    return [(organisation.pk, organisation.name) for organisation in organisations]


def organisation_for_edit(*, actor: Any, slug: str) -> Organisation:
    """An organisation whose profile the actor may edit (``PermissionDenied`` otherwise)."""
    organisation = organisation_get(actor=actor, slug=slug)
    permissions.require_organisation(actor, organisation.pk)
    return organisation


def application_get(*, actor: Any, slug: str) -> Organisation:
    """An organisation as its reviewer sees it (curators)."""
    permissions.require_curator(actor)
    return organisation_get(actor=actor, slug=slug)
