"""Reads on action groups (public; their documents through ``library_links``, which shows
each caller only the library resources it may see)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from sdg87.accounts import permissions
from sdg87.core.errors import NotFound
from sdg87.partners.models import (
    ActionGroup,
    ActionGroupMembership,
    WorkPlanItem,
    WorkPlanStatus,
)

OPEN_STATUSES = (WorkPlanStatus.PLANNED, WorkPlanStatus.IN_PROGRESS)


def action_group_list(*, theme: str | None = None) -> QuerySet[ActionGroup]:
    groups = ActionGroup.objects.select_related("theme").annotate(
        member_count=Count("memberships", distinct=True),
        open_item_count=Count(
            "work_plan", filter=Q(work_plan__status__in=OPEN_STATUSES), distinct=True
        ),
    )
    if theme:
        groups = groups.filter(theme__slug=theme)
    return groups.prefetch_related(_memberships()).order_by("name_en", "id")


def _memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=ActionGroupMembership.objects.select_related("organisation__country").order_by(
            "role", "organisation__name"
        ),
    )


def action_group_get(slug: str) -> ActionGroup:
    group = (
        ActionGroup.objects.select_related("theme")
        .prefetch_related(
            _memberships(),
            Prefetch(
                "work_plan",
                queryset=WorkPlanItem.objects.select_related("responsible").order_by(
                    "due_date", "id"
                ),
            ),
            "meetings",
            "document_links",
        )
        .filter(slug=slug)
        .first()
    )
    if group is None:
        raise NotFound(f"no action group {slug!r}", details={"slug": slug})
    return group


def action_group_for_edit(*, actor: Any, slug: str | None) -> ActionGroup | None:
    """The group a curator edits (``None``: a new one); ``PermissionDenied`` for others."""
    permissions.require_curator(actor)
    return action_group_get(slug) if slug is not None else None


def action_groups_of(*, organisation_id: int) -> QuerySet[ActionGroupMembership]:
    return (
        ActionGroupMembership.objects.filter(organisation_id=organisation_id)
        .select_related("group__theme")
        .order_by("group__name_en")
    )


def work_plan_item_get(item_id: int) -> WorkPlanItem:
    item = WorkPlanItem.objects.select_related("group", "responsible").filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"no work-plan item {item_id}")
    return item
