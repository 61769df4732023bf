"""Reads on accounts and the audit trail, with their visibility rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from sdg87.accounts import permissions
from sdg87.accounts.models import ApiToken, User
from sdg87.core.models import AuditEntry


def user_profile(*, user: Any) -> User:
    """The signed-in user with the scope loaded (countries and organisation)."""
    permissions.require_signed_in(user)
    return User.objects.select_related("organisation").prefetch_related("countries").get(pk=user.pk)


def tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first."""
    permissions.require_signed_in(user)
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def audit_entries(
    *,
    actor: Any,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_name: str | None = None,
    action: str | None = None,
    since: datetime.datetime | datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first (curators only).

    ``actor_name`` matches the user's current username or the name recorded at the
    time; ``since`` keeps entries at or after that moment (a naive value is UTC).
    """
    permissions.require_curator(actor)
    entries = AuditEntry.objects.select_related("actor").order_by("-occurred_at", "-id")
    if object_type:
        entries = entries.filter(object_type=object_type.strip().lower())
    if object_id:
        entries = entries.filter(object_id=object_id.strip())
    if actor_name:
        name = actor_name.strip()
        entries = entries.filter(Q(actor__username=name) | Q(actor_label=name))
    if action:
        entries = entries.filter(action=action.strip())
    if since is not None:
        entries = entries.filter(occurred_at__gte=as_utc_moment(since))
    return entries


def as_utc_moment(value: datetime.datetime | datetime.date) -> datetime.datetime:
    """A date means its first moment in UTC; a naive datetime is taken as UTC."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value
