"""Reads on pledges (public) and their staleness traffic light."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sdg87.core.errors import NotFound
from sdg87.partners import access
from sdg87.partners.models import Pledge, PledgeStatus, PledgeUpdate
from sdg87.partners.staleness import Staleness, cutoffs


def today() -> datetime.date:
    return timezone.now().date()


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )


def _with_relations(pledges: QuerySet[Pledge]) -> QuerySet[Pledge]:
    return pledges.select_related("owner__country").prefetch_related(
        "countries", "themes", "indicators"
    )


def pledge_list(
    *,
    organisation: str | None = None,
    country: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    staleness: str | None = None,
    q: str | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Pledge]:
    """Pledges, most recently reported first. ``organisation`` is a slug, ``country`` an
    ISO3 code, ``theme`` a theme slug; ``staleness`` (green, amber, red) keeps active pledges
    with that light on ``on`` (default today, UTC)."""
    pledges = Pledge.objects.all()
    if organisation:
        pledges = pledges.filter(owner__slug=organisation)
    if country:
        pledges = pledges.filter(countries__iso3=country.strip().upper())
    if theme:
        pledges = pledges.filter(themes__slug=theme)
    if status:
        pledges = pledges.filter(status=status)
    if q and q.strip():
        pledges = pledges.filter(
            Q(title__icontains=q.strip()) | Q(description__icontains=q.strip())
        )
    if staleness:
        limits = cutoffs(on or today())
        amber_before = _end_of(limits.amber_on_or_before)
        red_before = _end_of(limits.red_on_or_before)
        pledges = pledges.filter(status=PledgeStatus.ACTIVE)
        if staleness == Staleness.GREEN:
            pledges = pledges.filter(last_reported_at__gte=amber_before)
        elif staleness == Staleness.AMBER:
            pledges = pledges.filter(
                last_reported_at__lt=amber_before, last_reported_at__gte=red_before
            )
        else:
            pledges = pledges.filter(last_reported_at__lt=red_before)
    return _with_relations(pledges.distinct()).order_by("-last_reported_at", "-id")


def pledge_get(pledge_id: int) -> Pledge:
    pledge = (
        _with_relations(Pledge.objects.all())
        .prefetch_related(
            Prefetch("updates", queryset=PledgeUpdate.objects.select_related("author"))
        )
        .filter(pk=pledge_id)
        .first()
    )
    if pledge is None:
        raise NotFound(f"no pledge {pledge_id}", details={"id": pledge_id})
    return pledge


def pledge_update_get(update_id: int) -> PledgeUpdate:
    update = PledgeUpdate.objects.select_related("pledge").filter(pk=update_id).first()
    if update is None:
        raise NotFound(f"no progress update {update_id}")
    return update


def pledge_for_change(*, actor: Any, pledge_id: int) -> Pledge:
    """A pledge the actor may edit and report on (``PermissionDenied`` otherwise)."""
    pledge = pledge_get(pledge_id)
    access.require_acts_for_approved(actor, pledge.owner)
    return pledge
