"""Writes on partner organisations: registration by curators, applications to join and their
review, profile edits, and the bundled alias table used to catch duplicates."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.accounts import permissions
from sdg87.accounts import services as account_services
from sdg87.accounts.roles import Role
from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.bundled_files import CsvRow, read_csv, require_unique, upsert
from sdg87.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sdg87.core.models import AuditSource
from sdg87.core.reports import LoadReport
from sdg87.partners import selectors, workflow
from sdg87.partners.models import (
    WEB_URL,
    Organisation,
    OrganisationAlias,
    OrganisationStatus,
    next_free_slug,
)
from sdg87.partners.names import NameMatch
from sdg87.partners.services import inputs
from sdg87.partners.uploads import logo_checked

logger = logging.getLogger(__name__)

ORGANISATION_AUDIT_FIELDS = (
    "name",
    "acronym",
    "slug",
    "kind",
    "country",
    "website",
    "description",
    "logo",
    "status",
    "duplicate_override_reason",
)
ALIASES_FILE = Path("reference") / "organisation_aliases.csv"
ALIAS_COLUMNS = ("key", "form", "language", "name", "source_url")


# --- shared steps -----------------------------------------------------------------------


def _match_details(matches: list[NameMatch]) -> list[dict[str, Any]]:
    slugs = dict(
        Organisation.objects.filter(pk__in=[m.id for m in matches]).values_list("pk", "slug")
    )
    return [
        {
            "id": match.id,
            "slug": slugs.get(match.id, ""),
            "name": match.name,
            "score": round(match.score, 2),
            "reasons": match.reasons,
        }
        for match in matches
    ]


def _guard_duplicates(
    *, actor: Any, name: str, acronym: str, override_reason: str, exclude_id: int | None = None
) -> str:
    """Refuse a likely duplicate unless a curator gives a reason; the reason to record."""
    matches = selectors.organisation_duplicates(name=name, acronym=acronym, exclude_id=exclude_id)
    if not matches:
        return ""
    if not override_reason.strip():
        names = "; ".join(match.name for match in matches)
        raise Conflict(
            _("This organisation seems to be registered already: %(names)s.") % {"names": names},
            code="likely_duplicate",
            details={"matches": _match_details(matches)},
        )
    if not permissions.is_curator(actor):
        raise PermissionDenied(
            "only a curator may register an organisation that looks like a duplicate"
        )
    return override_reason.strip()


def _store_logo(organisation: Organisation, content: bytes | None) -> None:
    if content is None:
        return
    checked = logo_checked(content)
    organisation.logo.save(
        f"{organisation.slug}.{checked.extension}", ContentFile(checked.content), save=False
    )


def _mail_after_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # a mail server down must not undo a committed review
            logger.exception("could not send the e-mail %r", subject)

    transaction.on_commit(send)


def _curator_addresses() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, role__in=[Role.CURATOR, Role.ADMIN])
        .exclude(email="")
    )
    return list(users.values_list("email", flat=True))


def _new_organisation(
    *,
    actor: Any,
    name: str,
    kind: str,
    acronym: str,
    website: str,
    country_code: str | None,
    description: str,
    duplicate_override_reason: str,
) -> Organisation:
    """A checked, unsaved organisation; a likely duplicate of a registered or pending one
    is refused (``Conflict`` naming it) unless a curator says why it is not one."""
    name = inputs.required_text(name, field="name", max_length=255)
    acronym = (acronym or "").strip()
    organisation = Organisation(
        name=name,
        acronym=acronym,
        kind=inputs.choice(kind, Organisation.Kind, field="kind"),
        website=inputs.web_url(website, field="website"),
        country=inputs.country(country_code),
        description=(description or "").strip(),
        slug=next_free_slug(name),
    )
    inputs.validated(organisation, exclude=["logo"])
    organisation.duplicate_override_reason = _guard_duplicates(
        actor=actor,
        name=organisation.name,
        acronym=organisation.acronym,
        override_reason=duplicate_override_reason,
    )
    return organisation


def _audit_new(
    *, actor: Any, organisation: Organisation, action: str, source: str, comment: str
) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=organisation,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
        source=source,
        comment=comment,
    )


# --- services ---------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    acronym: str = "",
    website: str = "",
    country_code: str | None = None,
    description: str = "",
    duplicate_override_reason: str = "",
    source: str = AuditSource.SYSTEM,
) -> Organisation:
    """Register an approved partner organisation (curators)."""
    permissions.require_curator(actor)
    organisation = _new_organisation(
        actor=actor,
        name=name,
        kind=kind,
        acronym=acronym,
        website=website,
        country_code=country_code,
        description=description,
        duplicate_override_reason=duplicate_override_reason,
    )
    organisation.status = OrganisationStatus.APPROVED
    organisation.save()
    _audit_new(
        actor=actor,
        organisation=organisation,
        action="create",
        source=source,
        comment=organisation.duplicate_override_reason,
    )
    return organisation


@transaction.atomic
def organisation_apply(
    *,
    actor: Any,
    name: str,
    kind: str,
    acronym: str = "",
    website: str = "",
    country_code: str | None = None,
    description: str = "",
    application_note: str = "",
    logo: bytes | None = None,
    duplicate_override_reason: str = "",
    source: str = AuditSource.SYSTEM,
) -> Organisation:
    """Apply for an organisation to join the partnership (any signed-in user). A likely
    duplicate of a registered organisation is refused with that organisation named."""
    permissions.require_signed_in(actor)
    if permissions.role_of(actor) == Role.PARTNER_EDITOR:
        raise Conflict(
            "you already act for an organisation; ask a curator to register another one",
            code="already_a_partner",
        )
    organisation = _new_organisation(
        actor=actor,
        name=name,
        kind=kind,
        acronym=acronym,
        website=website,
        country_code=country_code,
        description=description,
        duplicate_override_reason=duplicate_override_reason,
    )
    organisation.status = OrganisationStatus.APPLIED
    organisation.applicant = actor
    organisation.application_note = (application_note or "").strip()
    _store_logo(organisation, logo)
    organisation.save()
    _audit_new(
        actor=actor,
        organisation=organisation,
        action="apply",
        source=source,
        comment=organisation.application_note,
    )
    _mail_after_commit(
        subject=_("New partner application: %(name)s") % {"name": organisation.name},
        body=_(
            "%(user)s applied for %(name)s to join the partnership. "
            "Review the application in the partner applications page."
        )
        % {"user": actor.get_username(), "name": organisation.name},
        recipients=_curator_addresses(),
    )
    return organisation


def _review(
    *, actor: Any, organisation_id: int, action: str, comment: str, source: str
) -> Organisation:
    permissions.require_curator(actor)
    organisation = (
        Organisation.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise NotFound(f"no organisation {organisation_id}")
    target = workflow.target_status(organisation.status, action)
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    organisation.status = target
    organisation.review_comment = comment
    organisation.reviewed_by = actor
    organisation.reviewed_at = timezone.now()
    organisation.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=action,
        instance=organisation,
        before=before,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
        source=source,
        comment=comment,
    )
    return organisation


def applicant_can_be_made_editor(*, actor: Any, organisation: Organisation) -> bool:
    """Whether approving lets the applicant act for the organisation straight away: the
    applicant is an active viewer (or already its partner editor) and the reviewer is a
    curator or an administrator."""
    applicant = organisation.applicant
    return (
        applicant is not None
        and applicant.is_active
        and (applicant.role == Role.VIEWER or permissions.is_editor_for(applicant, organisation.pk))
        and permissions.is_curator(actor)
    )


@transaction.atomic
def organisation_approve(
    *, actor: Any, organisation_id: int, comment: str = "", source: str = AuditSource.SYSTEM
) -> Organisation:
    """Approve an application (curators). The applicant, when a viewer, becomes the
    organisation's partner editor; the applicant is told by e-mail."""
    organisation = _review(
        actor=actor,
        organisation_id=organisation_id,
        action="approve",
        comment=(comment or "").strip(),
        source=source,
    )
    applicant = organisation.applicant
    if applicant is not None and applicant_can_be_made_editor(
        actor=actor, organisation=organisation
    ):
        account_services.user_grant_partner_editor(
            actor=actor, user=applicant, organisation=organisation, source=source
        )
    if applicant is not None:
        _mail_after_commit(
            subject=_("%(name)s is now an Alliance 8.7 partner") % {"name": organisation.name},
            body=_("Your application for %(name)s was approved.") % {"name": organisation.name}
            + (f"\n\n{organisation.review_comment}" if organisation.review_comment else ""),
            recipients=[applicant.email],
        )
    return organisation


@transaction.atomic
def organisation_reject(
    *, actor: Any, organisation_id: int, comment: str, source: str = AuditSource.SYSTEM
) -> Organisation:
    """Reject an application with a comment for the applicant (curators)."""
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput("say why the application is rejected", details={"comment": "required"})
    organisation = _review(
        actor=actor,
        organisation_id=organisation_id,
        action="reject",
        comment=comment,
        source=source,
    )
    if organisation.applicant is not None:
        _mail_after_commit(
            subject=_("Your application for %(name)s") % {"name": organisation.name},
            body=_("Your application for %(name)s was not approved:") % {"name": organisation.name}
            + f"\n\n{comment}",
            recipients=[organisation.applicant.email],
        )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation_id: int,
    description: str | None = None,
    website: str | None = None,
    country_code: str | None = None,
    logo: bytes | None = None,
    remove_logo: bool = False,
    name: str | None = None,
    acronym: str | None = None,
    kind: str | None = None,
    source: str = AuditSource.SYSTEM,
) -> Organisation:
    """Edit an organisation's profile: its partner editors and curators; the name, acronym
    and kind only curators (``None`` leaves a field as it is; ``country_code=""`` clears)."""
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None or not selectors.organisation_visible(actor, organisation):
        raise NotFound(f"no organisation {organisation_id}")
    permissions.require_organisation(actor, organisation.pk)
    before = snapshot(organisation, ORGANISATION_AUDIT_FIELDS)
    if name is not None or acronym is not None or kind is not None:
        permissions.require_curator(actor)
        if name is not None:
            organisation.name = inputs.required_text(name, field="name", max_length=255)
        if acronym is not None:
            organisation.acronym = acronym.strip()
        if kind is not None:
            organisation.kind = inputs.choice(kind, Organisation.Kind, field="kind")
    if description is not None:
        organisation.description = description.strip()
    if website is not None:
        organisation.website = inputs.web_url(website, field="website")
    if country_code is not None:
        organisation.country = inputs.country(country_code)
    inputs.validated(organisation, exclude=["logo"])
    if remove_logo and organisation.logo:
        organisation.logo = ""
    _store_logo(organisation, logo)
    organisation.save()
    audit_update(
        actor=actor,
        instance=organisation,
        before=before,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
        source=source,
    )
    return organisation


# --- the alias table ----------------------------------------------------------------------


def _parse_alias(row: CsvRow) -> dict[str, Any]:
    key = row.matching("key", r"[a-z0-9-]+", "a lower-case key such as 'ilo'")
    name = row.text("name", max_length=255)
    source_url = row.text("source_url")
    try:
        WEB_URL(source_url)
    except Exception:
        raise row.error("source_url", f"{source_url!r} is not an http or https address") from None
    return {
        "ref": f"{key}|{name}",
        "key": key,
        "name": name,
        "form": row.choice("form", OrganisationAlias.Form.values),
        "language": row.matching("language", r"[a-z]{2}", "an ISO 639-1 code", required=False),
        "source_url": source_url,
    }


@transaction.atomic
def organisation_aliases_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load ``reference/organisation_aliases.csv`` (idempotent; audited by the system)."""
    rows = read_csv(data_dir / ALIASES_FILE, data_dir=data_dir, columns=ALIAS_COLUMNS)
    records = [_parse_alias(row) for row in rows]
    require_unique(rows, [record["ref"] for record in records], "name")
    report = LoadReport(name="organisation aliases")
    upsert(OrganisationAlias, key="ref", records=records, report=report)
    return [report]
