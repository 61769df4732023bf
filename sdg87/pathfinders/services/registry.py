"""The pathfinder registry and the exchange-rate table: curators only."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from sdg87.accounts.permissions import require_curator
from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.errors import Conflict, InvalidInput
from sdg87.core.models import AuditSource
from sdg87.pathfinders.models import ExchangeRate, Pathfinder, PathfinderStatus
from sdg87.pathfinders.services import common

PATHFINDER_FIELDS = ("country", "joined_on", "status", "summary", "contact", "is_example")


@transaction.atomic
def pathfinder_create(
    *,
    actor: Any,
    iso3: str,
    joined_on: datetime.date | str,
    status: str = PathfinderStatus.ACTIVE,
    summary: str = "",
    contact: str = "",
    is_example: bool = False,
    source: str = AuditSource.WEB,
) -> Pathfinder:
    require_curator(actor)
    country = common.country(iso3)
    if Pathfinder.objects.filter(country=country).exists():
        raise Conflict(
            f"{country.iso3} is already a pathfinder country",
            details={"country": "already registered"},
        )
    joined = common.date(joined_on, field="joined_on")
    if joined is None:
        raise InvalidInput("joined_on is required", details={"joined_on": "give a date"})
    pathfinder = Pathfinder.objects.create(
        country=country,
        joined_on=joined,
        status=common.choice(status, PathfinderStatus, field="status"),
        summary=common.text(summary, field="summary"),
        contact=common.text(contact, field="contact"),
        is_example=is_example,
    )
    audit_record(
        actor=actor,
        action="create",
        instance=pathfinder,
        after=snapshot(pathfinder, PATHFINDER_FIELDS),
        source=source,
    )
    return pathfinder


@transaction.atomic
def pathfinder_update(
    *, actor: Any, iso3: str, source: str = AuditSource.WEB, **changes: Any
) -> Pathfinder:
    require_curator(actor)
    pathfinder = Pathfinder.objects.select_for_update().get(country=common.country(iso3))
    before = snapshot(pathfinder, PATHFINDER_FIELDS)
    for name, value in changes.items():
        if name == "joined_on":
            pathfinder.joined_on = common.date(value, field="joined_on") or pathfinder.joined_on
        elif name == "status":
            pathfinder.status = common.choice(value, PathfinderStatus, field="status")
        elif name in ("summary", "contact"):
            setattr(pathfinder, name, common.text(value, field=name))
        else:
            raise InvalidInput(f"unknown field {name!r}", details={name: "not editable"})
    pathfinder.save()
    audit_update(
        actor=actor,
        instance=pathfinder,
        before=before,
        after=snapshot(pathfinder, PATHFINDER_FIELDS),
        source=source,
    )
    return pathfinder


@transaction.atomic
def exchange_rate_set(
    *,
    actor: Any,
    currency: str,
    rate_date: datetime.date | str,
    usd_per_unit: Decimal | str | float,
    rate_source: str = "",
    source: str = AuditSource.WEB,
) -> ExchangeRate:
    """Create or change the rate of ``currency`` on ``rate_date`` (US dollars per unit)."""
    require_curator(actor)
    code = common.currency(currency)
    day = common.date(rate_date, field="rate_date")
    if day is None:
        raise InvalidInput("rate_date is required", details={"rate_date": "give a date"})
    value = _rate(usd_per_unit)
    existing = ExchangeRate.objects.filter(currency=code, rate_date=day).first()
    if existing is None:
        rate = ExchangeRate.objects.create(
            currency=code, rate_date=day, usd_per_unit=value, source=rate_source[:255]
        )
        audit_record(
            actor=actor,
            action="create",
            instance=rate,
            after=snapshot(rate, ("currency", "rate_date", "usd_per_unit", "source")),
            source=source,
        )
        return rate
    before = snapshot(existing, ("usd_per_unit", "source"))
    existing.usd_per_unit = value
    existing.source = rate_source[:255]
    existing.save(update_fields=["usd_per_unit", "source"])
    audit_update(
        actor=actor,
        instance=existing,
        before=before,
        after=snapshot(existing, ("usd_per_unit", "source")),
        source=source,
    )
    return existing


def _rate(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except Exception:
        raise InvalidInput(
            "the rate is not a number", details={"usd_per_unit": f"{value!r} is not a number"}
        ) from None
    if not number.is_finite() or number <= 0 or number >= Decimal("1e13"):
        raise InvalidInput(
            "the rate must be a positive number",
            details={"usd_per_unit": "US dollars per unit, greater than 0"},
        )
    return number.quantize(Decimal("1e-10"))
