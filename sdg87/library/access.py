"""Who may see and change a resource: the library's permission rules, written once. Pure.

- Everyone sees published resources.
- Curators see and act on every resource.
- The owning organisation's partner editors, and the person who submitted it, see the
  resource whatever its status and may take the owner's workflow actions on it.
"""

from __future__ import annotations

from typing import Any

from sdg87.accounts.permissions import is_curator, is_editor_for, is_signed_in, role_of
from sdg87.accounts.roles import Role
from sdg87.library.models import ResourceStatus


def is_owner(user: Any, resource: Any) -> bool:
    """The user submitted the resource or edits for the organisation that owns it."""
    if not is_signed_in(user):
        return False
    if resource.submitted_by_id is not None and resource.submitted_by_id == user.pk:
        return True
    return is_editor_for(user, resource.owner_organisation_id)


def can_view(user: Any, resource: Any) -> bool:
    return (
        resource.status == ResourceStatus.PUBLISHED or is_curator(user) or is_owner(user, resource)
    )


def can_contribute(user: Any) -> bool:
    """Partner editors (for their organisation) and curators submit resources."""
    return is_curator(user) or role_of(user) == Role.PARTNER_EDITOR


def can_review(user: Any) -> bool:
    return is_curator(user)
