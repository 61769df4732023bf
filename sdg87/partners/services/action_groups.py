"""Writes on action groups: the groups themselves and their members (curators; partner
editors join and leave for their own organisation), work-plan items (members' partner
editors), meetings and documents kept in the library (chairs' partner editors)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from sdg87.accounts import permissions
from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.errors import Conflict, InvalidInput, NotFound
from sdg87.core.ids import split_ids
from sdg87.core.models import AuditSource
from sdg87.partners import access, library_links
from sdg87.partners.models import (
    ActionGroup,
    ActionGroupDocument,
    ActionGroupMembership,
    Meeting,
    MembershipRole,
    Organisation,
    WorkPlanItem,
    WorkPlanStatus,
)
from sdg87.partners.services import inputs
from sdg87.partners.services.audited import create_audited
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
DOCUMENT_AUDIT_FIELDS = ("group", "resource", "meeting", "note")


def _group(group_id: int, *, lock: bool = False) -> ActionGroup:
    groups = ActionGroup.objects.select_for_update() if lock else ActionGroup.objects.all()
    group = groups.filter(pk=group_id).first()
    if group is None:
        raise NotFound(f"no action group {group_id}")
    return group


def _approved_organisation(organisation_id: int | None, *, field: str) -> Organisation:
    if organisation_id is None:
        raise InvalidInput("unknown organisation", details={field: "required"})
    return _approved_organisations([organisation_id], field=field)[0]


def _group_names(
    group: ActionGroup, texts: dict[str, str | None], *, theme_slug: str | None
) -> None:
    """Set the names, descriptions and theme given (``None`` leaves one as it is)."""
    if theme_slug is not None:
        group.theme = inputs.theme(theme_slug, field="theme")
    for field, value in texts.items():
        if value is None:
            continue
        if field == "name_en":
            group.name_en = inputs.required_text(value, field="name_en", max_length=200)
        else:
            setattr(group, field, value.strip())


def _approved_organisations(organisation_ids: Iterable[int], *, field: str) -> list[Organisation]:
    possible, impossible = split_ids(
        organisation_ids, field=field, message=f"{field} must be organisation ids"
    )
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=possible)}
    unknown = sorted(impossible | {pk for pk in possible if pk not in found})
    if unknown:
        raise InvalidInput("unknown organisation", details={field: f"no organisation {unknown}"})
    pending = sorted(o.name for o in found.values() if not o.is_approved)
    if pending:
        raise InvalidInput(
            "only approved partners join action groups",
            details={field: f"not an approved partner: {', '.join(pending)}"},
        )
    return [found[pk] for pk in sorted(possible)]


def _set_memberships(
    *,
    actor: Any,
    group: ActionGroup,
    chair_ids: Iterable[int] | None,
    member_ids: Iterable[int] | None,
    source: str,
) -> None:
    """Make the group's chairs and members these organisations (curators). A list left out
    (``None``) keeps that role's organisations, except those the other list moves; each
    join, role change and departure is audited."""
    if chair_ids is None and member_ids is None:
        return
    current = {m.organisation_id: m for m in group.memberships.select_for_update()}
    current_with = {
        role: {pk for pk, m in current.items() if m.role == role} for role in MembershipRole
    }
    chairs = (
        {o.pk for o in _approved_organisations(chair_ids, field="chairs")}
        if chair_ids is not None
        else current_with[MembershipRole.CHAIR]
    )
    members = (
        {o.pk for o in _approved_organisations(member_ids, field="members")}
        if member_ids is not None
        else current_with[MembershipRole.MEMBER] - chairs
    )
    if chair_ids is None:
        chairs -= members
    both = sorted(chairs & members)
    if both:
        raise InvalidInput(
            "an organisation is either a chair or a member",
            details={"members": f"also listed as chair: {both}"},
        )
    wanted = dict.fromkeys(chairs, MembershipRole.CHAIR) | dict.fromkeys(
        members, MembershipRole.MEMBER
    )
    for organisation_id, membership in current.items():
        if organisation_id not in wanted:
            audit_record(
                actor=actor,
                action="leave",
                instance=membership,
                before=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
                source=source,
            )
            membership.delete()
    for organisation_id, role in sorted(wanted.items()):
        membership = current.get(organisation_id)
        if membership is None:
            membership = ActionGroupMembership.objects.create(
                group=group, organisation_id=organisation_id, role=role
            )
            audit_record(
                actor=actor,
                action="join",
                instance=membership,
                after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
                source=source,
            )
        elif membership.role != role:
            before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
            membership.role = role
            membership.save(update_fields=["role"])
            audit_update(
                actor=actor,
                instance=membership,
                before=before,
                after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
                source=source,
            )


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
    chair_ids: Iterable[int] = (),
    member_ids: Iterable[int] = (),
    source: str = AuditSource.SYSTEM,
) -> ActionGroup:
    """Create an action group on a theme, with its chairs and members (curators)."""
    permissions.require_curator(actor)
    group = ActionGroup()
    _group_names(
        group,
        {
            "name_en": name_en,
            "name_fr": name_fr or "",
            "name_es": name_es or "",
            "description_en": description_en or "",
            "description_fr": description_fr or "",
            "description_es": description_es or "",
        },
        theme_slug=theme_slug,
    )
    base = slug_base(group.name_en, fallback="action-group")
    taken = set(ActionGroup.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    group.slug = unique_slug(base, taken)
    create_audited(actor=actor, instance=group, fields=GROUP_AUDIT_FIELDS, source=source)
    _set_memberships(
        actor=actor, group=group, chair_ids=chair_ids, member_ids=member_ids, source=source
    )
    return group


@transaction.atomic
def action_group_update(
    *,
    actor: Any,
    group_id: int,
    theme_slug: str | None = None,
    name_en: str | None = None,
    name_fr: str | None = None,
    name_es: str | None = None,
    description_en: str | None = None,
    description_fr: str | None = None,
    description_es: str | None = None,
    chair_ids: Iterable[int] | None = None,
    member_ids: Iterable[int] | None = None,
    source: str = AuditSource.SYSTEM,
) -> ActionGroup:
    """Edit an action group (curators). ``None`` leaves a field as it is; the slug stays
    (links to the group keep working). ``chair_ids``/``member_ids`` replace that role's
    organisations (see ``_set_memberships``)."""
    permissions.require_curator(actor)
    group = _group(group_id, lock=True)
    before = snapshot(group, GROUP_AUDIT_FIELDS)
    _group_names(
        group,
        {
            "name_en": name_en,
            "name_fr": name_fr,
            "name_es": name_es,
            "description_en": description_en,
            "description_fr": description_fr,
            "description_es": description_es,
        },
        theme_slug=theme_slug,
    )
    inputs.validated(group)
    group.save()
    audit_update(
        actor=actor,
        instance=group,
        before=before,
        after=snapshot(group, GROUP_AUDIT_FIELDS),
        source=source,
    )
    _set_memberships(
        actor=actor, group=group, chair_ids=chair_ids, member_ids=member_ids, source=source
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
    return create_audited(actor=actor, instance=item, fields=WORK_PLAN_AUDIT_FIELDS, source=source)


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
    _require_chairs_or_curator(
        actor,
        group,
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
    return create_audited(actor=actor, instance=meeting, fields=MEETING_AUDIT_FIELDS, source=source)


def _require_chairs_or_curator(actor: Any, group: ActionGroup, message: str) -> None:
    access.require(access.can_act_for_chairs(actor, group.memberships.all()), actor, message)


@transaction.atomic
def action_group_document_attach(
    *,
    actor: Any,
    group_id: int,
    resource_id: int,
    note: str = "",
    meeting_id: int | None = None,
    source: str = AuditSource.SYSTEM,
) -> ActionGroupDocument:
    """Keep a library resource as one of the group's documents, optionally as the record
    of one of its meetings (curators and the chairs' partner editors). Only a resource the
    actor may see; a draft shows on the group's page once the library publishes it."""
    group = _group(group_id, lock=True)
    _require_chairs_or_curator(
        actor,
        group,
        "only curators and the partner editors of the group's chairs may attach its documents",
    )
    resource = library_links.resource_to_attach(actor=actor, resource_id=resource_id)
    meeting = None
    if meeting_id is not None:
        meeting = Meeting.objects.filter(pk=meeting_id, group=group).first()
        if meeting is None:
            raise InvalidInput(
                "unknown meeting", details={"meeting": f"no meeting {meeting_id} of this group"}
            )
    if ActionGroupDocument.objects.filter(group=group, resource_id=resource.pk).exists():
        raise Conflict(
            "this resource is already one of the group's documents",
            code="already_attached",
            details={"resource": resource.pk},
        )
    link = ActionGroupDocument(
        group=group,
        resource_id=resource.pk,
        meeting=meeting,
        note=inputs.optional_text(note, field="note", max_length=500),
        attached_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return create_audited(
        actor=actor, instance=link, fields=DOCUMENT_AUDIT_FIELDS, source=source, action="attach"
    )


@transaction.atomic
def action_group_document_detach(
    *, actor: Any, group_id: int, resource_id: int, source: str = AuditSource.SYSTEM
) -> None:
    """Remove a document from the group; the resource stays in the library (curators and
    the chairs' partner editors)."""
    group = _group(group_id, lock=True)
    _require_chairs_or_curator(
        actor,
        group,
        "only curators and the partner editors of the group's chairs may remove its documents",
    )
    link = ActionGroupDocument.objects.filter(group=group, resource_id=resource_id).first()
    if link is None:
        raise NotFound(f"resource {resource_id} is not one of the group's documents")
    audit_record(
        actor=actor,
        action="detach",
        instance=link,
        before=snapshot(link, DOCUMENT_AUDIT_FIELDS),
        source=source,
    )
    link.delete()
