"""Input checks and optimistic locking shared by the pathfinder services."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from sdg87.core.errors import Conflict, InvalidInput, NotFound
from sdg87.countries.models import Country
from sdg87.indicators.models import Indicator
from sdg87.partners.currencies import is_currency
from sdg87.partners.services import inputs

MAX_AMOUNT = Decimal("1e15")
MIN_YEAR, MAX_YEAR = 1990, 2100


def country(code: str, *, field: str = "country") -> Country:
    found = Country.objects.filter(iso3=(code or "").strip().upper()).first()
    if found is None:
        raise NotFound(
            f"unknown country {code!r}", details={field: f"{code!r} is not an ISO3 code"}
        )
    return found


def text(value: Any, *, field: str, required: bool = False, max_length: int | None = None) -> str:
    cleaned = "" if value is None else str(value).strip()
    if required and not cleaned:
        raise InvalidInput(f"{field} is required", details={field: "this field is required"})
    if max_length is not None and len(cleaned) > max_length:
        raise InvalidInput(
            f"{field} is too long", details={field: f"at most {max_length} characters"}
        )
    return cleaned


def year(value: Any, *, field: str, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{field} is required", details={field: "give a year"})
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{field} is not a year", details={field: f"{value!r} is not a year"}
        ) from None
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise InvalidInput(
            f"{field} is out of range", details={field: f"between {MIN_YEAR} and {MAX_YEAR}"}
        )
    return number


def date(value: Any, *, field: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"{field} is not a date", details={field: f"{value!r} is not a date (YYYY-MM-DD)"}
        ) from None


def amount(value: Any, *, field: str) -> Decimal:
    """A non-negative amount with at most two decimals; empty means 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(0)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(
            f"{field} is not a number", details={field: f"{value!r} is not a number"}
        ) from None
    if not number.is_finite() or number < 0:
        raise InvalidInput(
            f"{field} cannot be negative", details={field: "a non-negative amount is required"}
        )
    if number >= MAX_AMOUNT:
        raise InvalidInput(f"{field} is too large", details={field: "less than 10^15"})
    return number.quantize(Decimal("0.01"))


def currency(value: Any, *, field: str = "currency") -> str:
    code = (value or "").strip().upper() if isinstance(value, str) else ""
    if not is_currency(code):
        raise InvalidInput(
            "the currency is not an ISO 4217 code",
            details={field: f"{code or '(empty)'!r} is not an ISO 4217 code"},
        )
    return code


# The same checks as the partners' services (one place for "one of the choices" and
# "known theme slugs").
choice = inputs.choice
themes = inputs.themes


def number(value: Any, *, field: str) -> float | None:
    """A finite number, or None when empty."""
    if value is None or value == "":
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} is not a number", details={field: repr(value)}) from None
    if not math.isfinite(result):
        raise InvalidInput(f"{field} is not a finite number", details={field: repr(value)})
    return result


def indicator(code: Any, *, field: str = "indicator") -> Indicator:
    found = Indicator.objects.filter(code=str(code or "").strip()).first()
    if found is None:
        raise InvalidInput("unknown indicator", details={field: f"{code!r} is not an indicator"})
    return found


def check_version(instance: Any, expected: int | None) -> None:
    """Refuse an edit made on a stale copy (``expected`` is the lock_version the editor saw)."""
    if expected is not None and int(expected) != instance.lock_version:
        raise Conflict(
            f"this {instance._meta.verbose_name} was changed by someone else since you opened "
            "it; reload it and make your change again",
            code="edit_conflict",
            details={"lock_version": instance.lock_version, "yours": expected},
        )


def bump_version(instance: Any) -> None:
    """Increment ``lock_version`` in the database only if nobody else did (race-safe)."""
    model = type(instance)
    changed = model.objects.filter(pk=instance.pk, lock_version=instance.lock_version).update(
        lock_version=models.F("lock_version") + 1
    )
    if not changed:
        raise Conflict(
            f"this {instance._meta.verbose_name} was changed by someone else at the same time; "
            "reload it and make your change again",
            code="edit_conflict",
        )
    instance.lock_version += 1
