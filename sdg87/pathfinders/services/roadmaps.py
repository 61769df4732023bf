"""Writes on roadmaps and what they hold: priorities, actions (with budgets), linked indicators
and milestones. Curators and the country's focal points; partner editors never. Edits carry the
``lock_version`` the editor saw, so concurrent edits conflict instead of overwriting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from sdg87.accounts.permissions import require_country
from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.ids import split_ids
from sdg87.core.models import AuditSource
from sdg87.partners.models import Organisation
from sdg87.partners.uploads import evidence_checked, safe_stem
from sdg87.pathfinders import selectors
from sdg87.pathfinders.models import (
    Action,
    ActionStatus,
    Milestone,
    Priority,
    Roadmap,
    RoadmapIndicator,
    RoadmapStatus,
)
from sdg87.pathfinders.services import common

ROADMAP_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "adopted_on",
    "status",
    "document_url",
    "document",
    "consultation",
    "is_example",
)
ACTION_FIELDS = (
    "priority",
    "title",
    "description",
    "lead_agency",
    "start_date",
    "end_date",
    "status",
    "currency",
    "budget_planned",
    "budget_secured",
    "budget_spent",
)


def _roadmap_for_write(actor: Any, roadmap_id: int) -> Roadmap:
    roadmap = selectors.roadmap_get(actor=actor, roadmap_id=roadmap_id)
    require_country(actor, roadmap.pathfinder.country.iso3)
    return roadmap


def _roadmap_values(values: dict[str, Any], roadmap: Roadmap | None = None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            cleaned[name] = common.text(value, field=name, required=True, max_length=255)
        elif name in ("period_start", "period_end"):
            cleaned[name] = common.year(value, field=name)
        elif name == "adopted_on":
            cleaned[name] = common.date(value, field=name)
        elif name == "status":
            cleaned[name] = common.choice(value, RoadmapStatus, field=name)
        elif name == "document_url":
            cleaned[name] = _web_url(value, field=name)
        elif name == "consultation":
            cleaned[name] = common.text(value, field=name)
        elif name == "document":
            cleaned[name] = _document(value)
        else:
            raise InvalidInput(f"unknown field {name!r}", details={name: "not a roadmap field"})
    start = cleaned.get("period_start", roadmap.period_start if roadmap else None)
    end = cleaned.get("period_end", roadmap.period_end if roadmap else None)
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            "the roadmap ends before it starts",
            details={"period_end": f"{end} is before {start}"},
        )
    return cleaned


@dataclass(frozen=True)
class RoadmapDocument:
    """An uploaded roadmap document: the name the client gave and the bytes."""

    name: str
    content: bytes


def _document(value: Any) -> ContentFile | None:
    """The checked document file (its kind judged from its bytes, its name made safe), or None
    to leave the stored one as it is."""
    if value is None:
        return None
    if not isinstance(value, RoadmapDocument):
        raise InvalidInput("the document must be a file", details={"document": "a file"})
    checked = evidence_checked(value.content, value.name, field="document")
    return ContentFile(
        checked.content, name=f"{safe_stem(value.name, 'roadmap')}.{checked.extension}"
    )


def _set_values(roadmap: Roadmap, cleaned: dict[str, Any]) -> None:
    for name, value in cleaned.items():
        if name == "document":
            if value is not None:
                roadmap.document.save(value.name, value, save=False)
        else:
            setattr(roadmap, name, value)


def _web_url(value: Any, *, field: str) -> str:
    url = common.text(value, field=field, max_length=500)
    if url and not url.lower().startswith(("http://", "https://")):
        raise InvalidInput(
            "only http and https links are allowed", details={field: "an http(s) URL"}
        )
    return url


@transaction.atomic
def roadmap_create(
    *,
    actor: Any,
    iso3: str,
    title: str,
    period_start: int,
    period_end: int,
    is_example: bool = False,
    source: str = AuditSource.WEB,
    **values: Any,
) -> Roadmap:
    """A new roadmap (a draft unless ``status`` says otherwise) of a pathfinder country."""
    pathfinder = selectors.pathfinder_get(iso3)
    require_country(actor, pathfinder.country.iso3)
    cleaned = _roadmap_values(
        {"title": title, "period_start": period_start, "period_end": period_end, **values}
    )
    roadmap = Roadmap(
        pathfinder=pathfinder,
        is_example=is_example,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _set_values(roadmap, cleaned)
    roadmap.save()
    audit_record(
        actor=actor,
        action="create",
        instance=roadmap,
        after=snapshot(roadmap, ROADMAP_FIELDS),
        source=source,
    )
    return roadmap


@transaction.atomic
def roadmap_update(
    *,
    actor: Any,
    roadmap_id: int,
    lock_version: int | None = None,
    source: str = AuditSource.WEB,
    **values: Any,
) -> Roadmap:
    roadmap = _roadmap_for_write(actor, roadmap_id)
    common.check_version(roadmap, lock_version)
    before = snapshot(roadmap, ROADMAP_FIELDS)
    _set_values(roadmap, _roadmap_values(values, roadmap))
    common.bump_version(roadmap)
    roadmap.save()
    audit_update(
        actor=actor,
        instance=roadmap,
        before=before,
        after=snapshot(roadmap, ROADMAP_FIELDS),
        source=source,
    )
    return roadmap


# --- priorities -------------------------------------------------------------------------------


def _priority_for_write(actor: Any, priority_id: int) -> Priority:
    priority = Priority.objects.filter(pk=priority_id).first()
    if priority is None:
        raise NotFound(f"no priority {priority_id}", details={"priority": priority_id})
    try:
        _roadmap_for_write(actor, priority.roadmap_id)
    except NotFound:
        raise NotFound(f"no priority {priority_id}", details={"priority": priority_id}) from None
    return priority


def _priority_snapshot(priority: Priority) -> dict[str, Any]:
    values = snapshot(priority, ("roadmap", "position", "title", "description"))
    values["themes"] = sorted(theme.slug for theme in priority.themes.all())
    return values


@transaction.atomic
def priority_create(
    *,
    actor: Any,
    roadmap_id: int,
    title: str,
    description: str = "",
    themes: Iterable[str] = (),
    position: int | None = None,
    source: str = AuditSource.WEB,
) -> Priority:
    roadmap = _roadmap_for_write(actor, roadmap_id)
    theme_rows = common.themes(themes)
    if position is None:
        position = roadmap.priorities.count() + 1
    priority = Priority.objects.create(
        roadmap=roadmap,
        position=position,
        title=common.text(title, field="title", required=True, max_length=255),
        description=common.text(description, field="description"),
    )
    priority.themes.set(theme_rows)
    audit_record(
        actor=actor,
        action="create",
        instance=priority,
        after=_priority_snapshot(priority),
        source=source,
    )
    return priority


@transaction.atomic
def priority_update(
    *, actor: Any, priority_id: int, source: str = AuditSource.WEB, **values: Any
) -> Priority:
    priority = _priority_for_write(actor, priority_id)
    before = _priority_snapshot(priority)
    for name, value in values.items():
        if name == "title":
            priority.title = common.text(value, field=name, required=True, max_length=255)
        elif name == "description":
            priority.description = common.text(value, field=name)
        elif name == "position":
            priority.position = _position(value)
        elif name == "themes":
            priority.themes.set(common.themes(value))
        else:
            raise InvalidInput(f"unknown field {name!r}", details={name: "not a priority field"})
    priority.save()
    audit_update(
        actor=actor,
        instance=priority,
        before=before,
        after=_priority_snapshot(priority),
        source=source,
    )
    return priority


@transaction.atomic
def priority_delete(*, actor: Any, priority_id: int, source: str = AuditSource.WEB) -> None:
    priority = _priority_for_write(actor, priority_id)
    if priority.actions.exists():
        raise InvalidInput(
            "a priority with actions cannot be deleted; delete or move its actions first",
            details={"priority": "has actions"},
        )
    audit_record(
        actor=actor,
        action="delete",
        instance=priority,
        before=_priority_snapshot(priority),
        source=source,
    )
    priority.delete()


# --- actions ----------------------------------------------------------------------------------


def _action_values(values: dict[str, Any], action: Action | None = None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            cleaned[name] = common.text(value, field=name, required=True, max_length=255)
        elif name in ("description",):
            cleaned[name] = common.text(value, field=name)
        elif name == "lead_agency":
            cleaned[name] = common.text(value, field=name, max_length=255)
        elif name in ("start_date", "end_date"):
            cleaned[name] = common.date(value, field=name)
        elif name == "status":
            cleaned[name] = common.choice(value, ActionStatus, field=name)
        elif name == "currency":
            cleaned[name] = common.currency(value, field=name)
        elif name in ("budget_planned", "budget_secured", "budget_spent"):
            cleaned[name] = common.amount(value, field=name)
        elif name == "position":
            cleaned[name] = _position(value)
        elif name != "partners":
            raise InvalidInput(f"unknown field {name!r}", details={name: "not an action field"})
    start = cleaned.get("start_date", action.start_date if action else None)
    end = cleaned.get("end_date", action.end_date if action else None)
    if start and end and end < start:
        raise InvalidInput(
            "the action ends before it starts", details={"end_date": f"{end} is before {start}"}
        )
    return cleaned


def _position(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            "position is not a whole number", details={"position": repr(value)}
        ) from None
    if not 0 <= number <= 10_000:
        raise InvalidInput("position is out of range", details={"position": "0 to 10000"})
    return number


def _identifier(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} is not an id", details={field: repr(value)}) from None


def _partners(ids: Iterable[Any]) -> list[Organisation]:
    possible, impossible = split_ids(
        ids, field="partners", message="partners must be organisation ids"
    )
    found = list(Organisation.objects.filter(pk__in=possible, status="approved"))
    unknown = sorted(impossible | (possible - {organisation.pk for organisation in found}))
    if unknown:
        raise InvalidInput(
            "unknown partner organisation",
            details={"partners": f"no approved organisation {unknown}"},
        )
    return found


def _action_snapshot(action: Action) -> dict[str, Any]:
    values = snapshot(action, ACTION_FIELDS)
    values["partners"] = sorted(organisation.pk for organisation in action.partners.all())
    return values


@transaction.atomic
def action_create(
    *,
    actor: Any,
    priority_id: int,
    title: str,
    source: str = AuditSource.WEB,
    **values: Any,
) -> Action:
    priority = _priority_for_write(actor, priority_id)
    partners = _partners(values.get("partners") or [])
    cleaned = _action_values({"title": title, **values})
    cleaned.setdefault("position", priority.actions.count() + 1)
    action = Action.objects.create(priority=priority, **cleaned)
    action.partners.set(partners)
    audit_record(
        actor=actor, action="create", instance=action, after=_action_snapshot(action), source=source
    )
    return action


def _action_for_write(actor: Any, action_id: int) -> Action:
    action = selectors.action_get(actor=actor, action_id=action_id)
    require_country(actor, action.priority.roadmap.pathfinder.country.iso3)
    return action


@transaction.atomic
def action_update(
    *,
    actor: Any,
    action_id: int,
    lock_version: int | None = None,
    source: str = AuditSource.WEB,
    **values: Any,
) -> Action:
    action = _action_for_write(actor, action_id)
    common.check_version(action, lock_version)
    before = _action_snapshot(action)
    if "priority" in values:
        target = _priority_for_write(actor, _identifier(values.pop("priority"), "priority"))
        if target.roadmap_id != action.priority.roadmap_id:
            raise InvalidInput(
                "an action can move only to another priority of the same roadmap",
                details={"priority": "another roadmap"},
            )
        action.priority = target
    for name, value in _action_values(values, action).items():
        setattr(action, name, value)
    if "partners" in values:
        action.partners.set(_partners(values["partners"] or []))
    common.bump_version(action)
    action.save()
    audit_update(
        actor=actor,
        instance=action,
        before=before,
        after=_action_snapshot(action),
        source=source,
    )
    return action


@transaction.atomic
def action_delete(*, actor: Any, action_id: int, source: str = AuditSource.WEB) -> None:
    action = _action_for_write(actor, action_id)
    if action.report_updates.exists():
        raise InvalidInput(
            "this action is reported on in an annual report; cancel it instead of deleting it",
            details={"action": "reported on"},
        )
    audit_record(
        actor=actor,
        action="delete",
        instance=action,
        before=_action_snapshot(action),
        source=source,
    )
    action.delete()


# --- linked indicators and milestones ---------------------------------------------------------


@transaction.atomic
def roadmap_indicator_set(
    *,
    actor: Any,
    roadmap_id: int,
    indicator: str,
    baseline_value: float | None = None,
    baseline_year: int | None = None,
    target_value: float | None = None,
    target_year: int | None = None,
    source: str = AuditSource.WEB,
) -> RoadmapIndicator:
    """Link an indicator to the roadmap (or change its baseline and target)."""
    roadmap = _roadmap_for_write(actor, roadmap_id)
    indicator_row = common.indicator(indicator)
    base_year = common.year(baseline_year, field="baseline_year", required=False)
    goal_year = common.year(target_year, field="target_year", required=False)
    if base_year and goal_year and goal_year < base_year:
        raise InvalidInput(
            "the target year is before the baseline year",
            details={"target_year": f"{goal_year} is before {base_year}"},
        )
    fields = {
        "baseline_value": common.number(baseline_value, field="baseline_value"),
        "baseline_year": base_year,
        "target_value": common.number(target_value, field="target_value"),
        "target_year": goal_year,
    }
    link, created = RoadmapIndicator.objects.get_or_create(
        roadmap=roadmap, indicator=indicator_row, defaults=fields
    )
    if created:
        audit_record(actor=actor, action="create", instance=link, after=fields, source=source)
        return link
    before = snapshot(link, tuple(fields))
    for name, value in fields.items():
        setattr(link, name, value)
    link.save()
    audit_update(actor=actor, instance=link, before=before, after=fields, source=source)
    return link


@transaction.atomic
def roadmap_indicator_remove(
    *, actor: Any, roadmap_id: int, indicator: str, source: str = AuditSource.WEB
) -> None:
    roadmap = _roadmap_for_write(actor, roadmap_id)
    link = RoadmapIndicator.objects.filter(roadmap=roadmap, indicator__code=indicator).first()
    if link is None:
        raise NotFound(
            f"{indicator} is not linked to this roadmap", details={"indicator": indicator}
        )
    audit_record(
        actor=actor, action="delete", instance=link, before={"indicator": indicator}, source=source
    )
    link.delete()


@transaction.atomic
def milestone_create(
    *,
    actor: Any,
    roadmap_id: int,
    title: str,
    due_on: Any,
    action_id: int | None = None,
    achieved_on: Any = None,
    source: str = AuditSource.WEB,
) -> Milestone:
    roadmap = _roadmap_for_write(actor, roadmap_id)
    due = common.date(due_on, field="due_on")
    if due is None:
        raise InvalidInput("due_on is required", details={"due_on": "give a date"})
    action = None
    if action_id is not None:
        action = Action.objects.filter(pk=action_id, priority__roadmap=roadmap).first()
        if action is None:
            raise InvalidInput(
                "the action is not part of this roadmap", details={"action": action_id}
            )
    milestone = Milestone.objects.create(
        roadmap=roadmap,
        action=action,
        title=common.text(title, field="title", required=True, max_length=255),
        due_on=due,
        achieved_on=common.date(achieved_on, field="achieved_on"),
    )
    audit_record(
        actor=actor,
        action="create",
        instance=milestone,
        after=snapshot(milestone, ("roadmap", "action", "title", "due_on", "achieved_on")),
        source=source,
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, actor: Any, milestone_id: int, source: str = AuditSource.WEB, **values: Any
) -> Milestone:
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(f"no milestone {milestone_id}", details={"milestone": milestone_id})
    _roadmap_for_write(actor, milestone.roadmap_id)
    fields = ("title", "due_on", "achieved_on")
    before = snapshot(milestone, fields)
    for name, value in values.items():
        if name == "title":
            milestone.title = common.text(value, field=name, required=True, max_length=255)
        elif name in ("due_on", "achieved_on"):
            day = common.date(value, field=name)
            if name == "due_on" and day is None:
                raise InvalidInput("due_on is required", details={"due_on": "give a date"})
            setattr(milestone, name, day)
        else:
            raise InvalidInput(f"unknown field {name!r}", details={name: "not a milestone field"})
    milestone.save()
    audit_update(
        actor=actor,
        instance=milestone,
        before=before,
        after=snapshot(milestone, fields),
        source=source,
    )
    return milestone
