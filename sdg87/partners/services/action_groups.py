"""Writes on action groups: the groups themselves and their members (curators; partner
editors join and leave for their own organisation), work-plan items (members' partner
editors) and meetings (chairs' partner editors)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from sdg87.accounts import permissions
from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.errors import Conflict, InvalidInput, NotFound
from sdg87.core.models import AuditSource
from sdg87.partners import access
from sdg87.partners.models import (
    ActionGroup,
    ActionGroupMembership,
    Meeting,
    MembershipRole,
    Organisation,
    WorkPlanItem,
    WorkPlanStatus,
)
from sdg87.partners.services import inputs
from sdg87.partners.slugs import slug_base, unique_slug

GROUP_AUDIT_FIELDS = (
    "slug",
    "theme",
    "name_en",
    "name_fr",
    "name_es",
    "description_en",
    "description_fr",
    "description_es",
)
MEMBERSHIP_AUDIT_FIELDS = ("group", "organisation", "role")
WORK_PLAN_AUDIT_FIELDS = (
    "group",
    "title",
    "description",
    "status",
    "progress_note",
    "due_date",
    "responsible",
)
MEETING_AUDIT_FIELDS = ("group", "held_on", "place", "online", "summary")


def _group(group_id: int, *, lock: bool = False) -> ActionGroup:
    groups = ActionGroup.objects.select_for_update() if lock else ActionGroup.objects.all()
    group = groups.filter(pk=group_id).first()
    if group is None:
        raise NotFound(f"no action group {group_id}")
    return group


def _approved_organisation(organisation_id: int | None, *, field: str) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise InvalidInput(
            "unknown organisation", details={field: f"no organisation {organisation_id}"}
        )
    if not organisation.is_approved:
        raise InvalidInput(
            "the organisation is not an approved partner", details={field: organisation.name}
        )
    return organisation


@transaction.atomic
def action_group_create(
    *,
    actor: Any,
    theme_slug: str,
    name_en: str,
    name_fr: str = "",
    name_es: str = "",
    description_en: str = "",
    description_fr: str = "",
    description_es: str = "",
    source: str = AuditSource.SYSTEM,
) -> ActionGroup:
    """Create an action group on a theme (curators)."""
    permissions.require_curator(actor)
    name_en = inputs.required_text(name_en, field="name_en", max_length=200)
    base = slug_base(name_en, fallback="action-group")
    taken = set(ActionGroup.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    group = ActionGroup(
        slug=unique_slug(base, taken),
        theme=inputs.theme(theme_slug, field="theme"),
        name_en=name_en,
        name_fr=(name_fr or "").strip(),
        name_es=(name_es or "").strip(),
        description_en=(description_en or "").strip(),
        description_fr=(description_fr or "").strip(),
        description_es=(description_es or "").strip(),
    )
    inputs.validated(group)
    group.save()
    audit_record(
        actor=actor,
        action="create",
        instance=group,
        after=snapshot(group, GROUP_AUDIT_FIELDS),
        source=source,
    )
    return group


@transaction.atomic
def action_group_member_add(
    *,
    actor: Any,
    group_id: int,
    organisation_id: int,
    role: str = MembershipRole.MEMBER,
    source: str = AuditSource.SYSTEM,
) -> ActionGroupMembership:
    """Add an approved organisation to a group. Curators add anyone in any role (or change
    a member's role); a partner editor joins as a member for its own organisation."""
    group = _group(group_id, lock=True)
    role = inputs.choice(role, MembershipRole, field="role")
    organisation = _approved_organisation(organisation_id, field="organisation")
    if role != MembershipRole.MEMBER:
        permissions.require_curator(actor)
    else:
        access.require_acts_for_approved(actor, organisation)
    membership = ActionGroupMembership.objects.filter(
        group=group, organisation=organisation
    ).first()
    if membership is not None:
        if membership.role == role:
            raise Conflict(
                f"{organisation.name} is already a {role} of this group", code="already_member"
            )
        permissions.require_curator(actor)
        before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
        membership.role = role
        membership.save(update_fields=["role"])
        action = "update"
    else:
        before = None
        membership = ActionGroupMembership.objects.create(
            group=group, organisation=organisation, role=role
        )
        action = "join"
    audit_record(
        actor=actor,
        action=action,
        instance=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        source=source,
    )
    return membership


@transaction.atomic
def action_group_member_remove(
    *, actor: Any, group_id: int, organisation_id: int, source: str = AuditSource.SYSTEM
) -> None:
    """Remove an organisation from a group (curators; a partner editor leaves for its own)."""
    group = _group(group_id, lock=True)
    membership = ActionGroupMembership.objects.filter(
        group=group, organisation_id=organisation_id
    ).first()
    if membership is None:
        raise NotFound("this organisation is not a member of the group")
    permissions.require_organisation(actor, organisation_id)
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    audit_record(actor=actor, action="leave", instance=membership, before=before, source=source)
    membership.delete()


def _require_contributor(actor: Any, group: ActionGroup) -> None:
    access.require(
        access.can_contribute_to_group(actor, group.memberships.all()),
        actor,
        "only curators and the partner editors of the group's members may change its work plan",
    )


def _responsible(organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    return _approved_organisation(organisation_id, field="responsible")


@transaction.atomic
def work_plan_item_create(
    *,
    actor: Any,
    group_id: int,
    title: str,
    description: str = "",
    status: str = WorkPlanStatus.PLANNED,
    due_date: datetime.date | None = None,
    responsible_id: int | None = None,
    source: str = AuditSource.SYSTEM,
) -> WorkPlanItem:
    """Add an item to a group's work plan (curators and the members' partner editors)."""
    group = _group(group_id)
    _require_contributor(actor, group)
    item = WorkPlanItem(
        group=group,
        title=inputs.required_text(title, field="title", max_length=255),
        description=(description or "").strip(),
        status=inputs.choice(status, WorkPlanStatus, field="status"),
        due_date=due_date,
        responsible=_responsible(responsible_id),
    )
    inputs.validated(item)
    item.save()
    audit_record(
        actor=actor,
        action="create",
        instance=item,
        after=snapshot(item, WORK_PLAN_AUDIT_FIELDS),
        source=source,
    )
    return item


@transaction.atomic
def work_plan_item_update(
    *,
    actor: Any,
    item_id: int,
    status: str | None = None,
    progress_note: str | None = None,
    title: str | None = None,
    description: str | None = None,
    due_date: datetime.date | None = None,
    responsible_id: int | None = None,
    source: str = AuditSource.SYSTEM,
) -> WorkPlanItem:
    """Update a work-plan item's status and progress (and, optionally, its other fields)."""
    item = WorkPlanItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"no work-plan item {item_id}")
    _require_contributor(actor, item.group)
    before = snapshot(item, WORK_PLAN_AUDIT_FIELDS)
    if status is not None:
        item.status = inputs.choice(status, WorkPlanStatus, field="status")
    if progress_note is not None:
        item.progress_note = progress_note.strip()
    if title is not None:
        item.title = inputs.required_text(title, field="title", max_length=255)
    if description is not None:
        item.description = description.strip()
    if due_date is not None:
        item.due_date = due_date
    if responsible_id is not None:
        item.responsible = _responsible(responsible_id)
    inputs.validated(item)
    item.save()
    audit_update(
        actor=actor,
        instance=item,
        before=before,
        after=snapshot(item, WORK_PLAN_AUDIT_FIELDS),
        source=source,
    )
    return item


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    group_id: int,
    held_on: datetime.date,
    place: str = "",
    online: bool = False,
    summary: str = "",
    source: str = AuditSource.SYSTEM,
) -> Meeting:
    """Record a group's meeting (curators and the chairs' partner editors)."""
    group = _group(group_id)
    access.require(
        access.can_record_meeting(actor, group.memberships.all()),
        actor,
        "only curators and the partner editors of the group's chairs may record its meetings",
    )
    if held_on is None:
        raise InvalidInput("a meeting needs a date", details={"held_on": "required"})
    meeting = Meeting(
        group=group,
        held_on=held_on,
        place=(place or "").strip(),
        online=bool(online),
        summary=(summary or "").strip(),
    )
    inputs.validated(meeting)
    meeting.save()
    audit_record(
        actor=actor,
        action="create",
        instance=meeting,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
        source=source,
    )
    return meeting
