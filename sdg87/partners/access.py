"""Who may act on partner records: the partnership's rules, built on the platform's
permission rules in ``sdg87.accounts.permissions`` (never re-implemented here).

- A partner editor acts for its own organisation: its profile, pledges and their progress
  updates, research projects, and joining or leaving action groups.
- Curators act for every organisation, review applications and manage action groups.
- Partner editors of an action group's members add and update its work-plan items; those of
  its chairs also record its meetings and attach library resources as its documents.

Services call the ``require_…`` functions; pages call the ``can_…`` ones to show or hide
actions. Pure apart from reading the group's memberships passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sdg87.accounts import permissions
from sdg87.accounts.roles import Role
from sdg87.core.errors import PermissionDenied
from sdg87.partners.models import MembershipRole, Organisation


def acts_for_approved(actor: Any, organisation: Organisation) -> bool:
    """The actor may act for ``organisation`` and it is an approved partner."""
    return organisation.is_approved and permissions.can_act_for_organisation(actor, organisation.pk)


def require_acts_for_approved(actor: Any, organisation: Organisation) -> None:
    permissions.require_organisation(actor, organisation.pk)
    if not organisation.is_approved:
        raise PermissionDenied(
            "the organisation is not an approved partner yet", code="not_approved"
        )


def _editor_of_any(actor: Any, organisation_ids: Iterable[int]) -> bool:
    return any(permissions.is_editor_for(actor, pk) for pk in organisation_ids)


def can_contribute_to_group(actor: Any, memberships: Iterable[Any]) -> bool:
    """Curators, and partner editors of the group's members (``memberships`` of the group)."""
    return permissions.is_curator(actor) or _editor_of_any(
        actor, (membership.organisation_id for membership in memberships)
    )


def can_act_for_chairs(actor: Any, memberships: Iterable[Any]) -> bool:
    """Curators, and partner editors of the group's chairs: they record its meetings and
    keep its documents."""
    return permissions.is_curator(actor) or _editor_of_any(
        actor,
        (m.organisation_id for m in memberships if m.role == MembershipRole.CHAIR),
    )


def require(allowed: bool, actor: Any, message: str) -> None:
    if allowed:
        return
    permissions.require_signed_in(actor)
    raise PermissionDenied(message)


def own_organisation_id(actor: Any) -> int | None:
    """The organisation a partner editor acts for (None for every other role)."""
    if permissions.role_of(actor) != Role.PARTNER_EDITOR:
        return None
    return actor.organisation_id
