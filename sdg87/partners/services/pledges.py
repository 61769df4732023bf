"""Writes on pledges and their progress updates: partner editors for their own
organisation's pledges, curators for every one."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.models import AuditSource
from sdg87.partners import access
from sdg87.partners.models import Organisation, Pledge, PledgeStatus, PledgeUpdate
from sdg87.partners.services import inputs
from sdg87.partners.uploads import evidence_checked, safe_stem

PLEDGE_AUDIT_FIELDS = (
    "owner",
    "title",
    "description",
    "deliverables",
    "indicators_text",
    "deadline",
    "budget_amount",
    "budget_currency",
    "status",
)
UPDATE_AUDIT_FIELDS = ("pledge", "text", "evidence_url", "evidence_file")
UNSET: Any = object()


@dataclass(frozen=True)
class EvidenceFile:
    """An uploaded evidence file: its bytes and the name it was sent with."""

    content: bytes
    filename: str


def pledge_snapshot(pledge: Pledge) -> dict[str, Any]:
    values = snapshot(pledge, PLEDGE_AUDIT_FIELDS)
    values["countries"] = sorted(country.iso3 for country in pledge.countries.all())
    values["themes"] = sorted(theme.slug for theme in pledge.themes.all())
    values["indicators"] = sorted(indicator.code for indicator in pledge.indicators.all())
    return values


def _owner(organisation_id: int, actor: Any) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise InvalidInput(
            "unknown organisation", details={"organisation": f"no organisation {organisation_id}"}
        )
    access.require_acts_for_approved(actor, organisation)
    return organisation


@transaction.atomic
def pledge_create(
    *,
    actor: Any,
    organisation_id: int,
    title: str,
    description: str = "",
    deliverables: str = "",
    indicators_text: str = "",
    indicator_codes: Iterable[str] = (),
    deadline: datetime.date | None = None,
    budget_amount: Decimal | str | None = None,
    budget_currency: str = "",
    country_codes: Iterable[str] = (),
    theme_slugs: Iterable[str] = (),
    source: str = AuditSource.SYSTEM,
) -> Pledge:
    """Record a pledge for an approved organisation (its partner editors, curators)."""
    owner = _owner(organisation_id, actor)
    amount, currency = inputs.budget(budget_amount, budget_currency)
    countries = inputs.countries(country_codes)
    themes = inputs.themes(theme_slugs)
    indicators = inputs.indicators(indicator_codes)
    pledge = Pledge(
        owner=owner,
        title=inputs.required_text(title, field="title", max_length=255),
        description=(description or "").strip(),
        deliverables=(deliverables or "").strip(),
        indicators_text=(indicators_text or "").strip(),
        deadline=deadline,
        budget_amount=amount,
        budget_currency=currency,
        status=PledgeStatus.ACTIVE,
        last_reported_at=timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    inputs.validated(pledge)
    pledge.save()
    pledge.countries.set(countries)
    pledge.themes.set(themes)
    pledge.indicators.set(indicators)
    audit_record(
        actor=actor, action="create", instance=pledge, after=pledge_snapshot(pledge), source=source
    )
    return pledge


def _pledge_for_change(actor: Any, pledge_id: int) -> Pledge:
    pledge = (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("owner")
        .filter(pk=pledge_id)
        .first()
    )
    if pledge is None:
        raise NotFound(f"no pledge {pledge_id}")
    access.require_acts_for_approved(actor, pledge.owner)
    return pledge


@transaction.atomic
def pledge_edit(
    *,
    actor: Any,
    pledge_id: int,
    title: str | None = None,
    description: str | None = None,
    deliverables: str | None = None,
    indicators_text: str | None = None,
    indicator_codes: Iterable[str] | None = None,
    deadline: datetime.date | None = UNSET,
    budget_amount: Decimal | str | None = UNSET,
    budget_currency: str | None = UNSET,
    country_codes: Iterable[str] | None = None,
    theme_slugs: Iterable[str] | None = None,
    status: str | None = None,
    source: str = AuditSource.SYSTEM,
) -> Pledge:
    """Edit a pledge (its owner's partner editors, curators). Fields left out stay as they
    are; ``deadline=None`` or ``budget_amount=None`` clear those."""
    pledge = _pledge_for_change(actor, pledge_id)
    before = pledge_snapshot(pledge)
    if title is not None:
        pledge.title = inputs.required_text(title, field="title", max_length=255)
    for field, value in (
        ("description", description),
        ("deliverables", deliverables),
        ("indicators_text", indicators_text),
    ):
        if value is not None:
            setattr(pledge, field, value.strip())
    if deadline is not UNSET:
        pledge.deadline = deadline
    if budget_amount is not UNSET or budget_currency is not UNSET:
        amount = pledge.budget_amount if budget_amount is UNSET else budget_amount
        currency = pledge.budget_currency if budget_currency is UNSET else budget_currency
        pledge.budget_amount, pledge.budget_currency = inputs.budget(amount, currency)
    if status is not None:
        pledge.status = inputs.choice(status, PledgeStatus, field="status")
    countries = inputs.countries(country_codes) if country_codes is not None else None
    themes = inputs.themes(theme_slugs) if theme_slugs is not None else None
    indicators = inputs.indicators(indicator_codes) if indicator_codes is not None else None
    inputs.validated(pledge)
    pledge.save()
    if countries is not None:
        pledge.countries.set(countries)
    if themes is not None:
        pledge.themes.set(themes)
    if indicators is not None:
        pledge.indicators.set(indicators)
    audit_update(
        actor=actor, instance=pledge, before=before, after=pledge_snapshot(pledge), source=source
    )
    return pledge


@transaction.atomic
def pledge_progress_report(
    *,
    actor: Any,
    pledge_id: int,
    text: str,
    evidence_url: str = "",
    evidence_file: EvidenceFile | None = None,
    status: str | None = None,
    source: str = AuditSource.SYSTEM,
) -> PledgeUpdate:
    """Report progress on a pledge with its evidence (its owner's partner editors,
    curators); the pledge's traffic light turns green. ``status`` may close the pledge."""
    pledge = _pledge_for_change(actor, pledge_id)
    update = PledgeUpdate(
        pledge=pledge,
        text=inputs.required_text(text, field="text"),
        evidence_url=inputs.web_url(evidence_url, field="evidence_url"),
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    checked = (
        evidence_checked(evidence_file.content, evidence_file.filename)
        if evidence_file is not None
        else None
    )
    new_status = inputs.choice(status, PledgeStatus, field="status") if status else None
    inputs.validated(update, exclude=["evidence_file"])
    if checked is not None:
        stem = safe_stem(evidence_file.filename if evidence_file else "", default="evidence")
        update.evidence_file.save(
            f"pledge-{pledge.pk}-{stem}.{checked.extension}",
            ContentFile(checked.content),
            save=False,
        )
    update.save()
    before = pledge_snapshot(pledge)
    pledge.last_reported_at = update.created_at
    fields = ["last_reported_at", "updated_at"]
    if new_status and new_status != pledge.status:
        pledge.status = new_status
        fields.append("status")
    pledge.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="report_progress",
        instance=update,
        after=snapshot(update, UPDATE_AUDIT_FIELDS),
        source=source,
    )
    if "status" in fields:
        audit_record(
            actor=actor,
            action="update",
            instance=pledge,
            before=before,
            after=pledge_snapshot(pledge),
            source=source,
        )
    return update


@transaction.atomic
def pledge_link_priorities(
    *,
    actor: Any,
    pledge_id: int,
    priority_ids: Iterable[int],
    source: str = AuditSource.SYSTEM,
) -> Pledge:
    """Say which pathfinder roadmap priorities the pledge supports (replaces the list).

    Only priorities of roadmaps the actor can see (adopted or completed ones for partners);
    an unknown or hidden priority is refused by its id, as if it did not exist."""
    from sdg87.pathfinders.selectors import priorities_visible

    pledge = _pledge_for_change(actor, pledge_id)
    wanted = sorted({int(value) for value in priority_ids})
    found = priorities_visible(actor=actor, priority_ids=wanted)
    unknown = sorted(set(wanted) - {priority.pk for priority in found})
    if unknown:
        raise InvalidInput(
            "unknown roadmap priority",
            details={"roadmap_priorities": f"no roadmap priority {unknown}"},
        )
    before = sorted(pledge.roadmap_priorities.values_list("pk", flat=True))
    pledge.roadmap_priorities.set(found)
    audit_update(
        actor=actor,
        instance=pledge,
        before={"roadmap_priorities": before},
        after={"roadmap_priorities": wanted},
        source=source,
    )
    return pledge
