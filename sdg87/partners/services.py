"""Writes on partner organisations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sdg87.accounts import permissions
from sdg87.core.audit import audit_record, snapshot
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.partners.models import Organisation

ORGANISATION_AUDIT_FIELDS = ("name", "acronym", "kind", "website")


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    acronym: str = "",
    website: str = "",
    source: str = AuditSource.SYSTEM,
) -> Organisation:
    """Register a partner organisation (curators)."""
    permissions.require_curator(actor)
    organisation = Organisation(
        name=name.strip(), acronym=acronym.strip(), kind=kind, website=website.strip()
    )
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise InvalidInput(
            "the organisation is not valid",
            details={field: " ".join(messages) for field, messages in exc.message_dict.items()},
        ) from None
    organisation.save()
    audit_record(
        actor=actor,
        action="create",
        instance=organisation,
        after=snapshot(organisation, ORGANISATION_AUDIT_FIELDS),
        source=source,
    )
    return organisation
