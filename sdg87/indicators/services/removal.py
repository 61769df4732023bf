"""Removing observations that another part of the platform wrote and now withdraws (the
example pathfinder reports, when the examples are removed). Audited, all-or-nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sdg87.core.audit import audit_record
from sdg87.core.models import AuditSource
from sdg87.indicators.models import Observation


@transaction.atomic
def observations_delete_by_source(
    *, actor: Any, series: str, sources: list[str], audit_source: str = AuditSource.SYSTEM
) -> int:
    """Delete the observations of ``series`` whose source is exactly one of ``sources``;
    returns how many were deleted (their revisions go with them)."""
    if not series or not sources:
        return 0
    queryset = Observation.objects.filter(series=series, source__in=sources)
    count = queryset.count()
    if not count:
        return 0
    queryset.delete()
    audit_record(
        actor=actor,
        action="delete",
        object_type="indicators.observation",
        object_repr=f"{count} observations of series {series}",
        before={"series": series, "sources": sorted(sources), "count": count},
        source=audit_source,
    )
    return count
