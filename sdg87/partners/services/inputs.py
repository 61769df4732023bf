"""Turning what callers send (codes, slugs, URLs, amounts) into checked values.

Every failure is ``InvalidInput`` naming the field, raised before anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from sdg87.core.errors import InvalidInput
from sdg87.countries.models import Country
from sdg87.framework.models import Indicator, Theme
from sdg87.partners.currencies import is_currency
from sdg87.partners.models import WEB_URL


def _codes(values: Iterable[str], *, upper: bool) -> list[str]:
    cleaned = {(value or "").strip() for value in values}
    return sorted(
        {value.upper() if upper else value.lower() for value in cleaned if value},
    )


def countries(codes: Iterable[str], *, field: str = "countries") -> list[Country]:
    """Countries by ISO3 code; unknown codes are named in the error."""
    wanted = _codes(codes, upper=True)
    found = list(Country.objects.filter(iso3__in=wanted))
    unknown = sorted(set(wanted) - {country.iso3 for country in found})
    if unknown:
        raise InvalidInput(
            f"unknown country code {', '.join(unknown)}",
            details={field: f"unknown ISO3 code(s): {', '.join(unknown)}"},
        )
    return found


def country(code: str | None, *, field: str = "country") -> Country | None:
    if not (code or "").strip():
        return None
    return countries([code or ""], field=field)[0]


def themes(slugs: Iterable[str], *, field: str = "themes") -> list[Theme]:
    wanted = _codes(slugs, upper=False)
    found = list(Theme.objects.filter(slug__in=wanted))
    unknown = sorted(set(wanted) - {theme.slug for theme in found})
    if unknown:
        raise InvalidInput(
            f"unknown theme {', '.join(unknown)}",
            details={field: f"unknown theme(s): {', '.join(unknown)}"},
        )
    return found


def theme(slug: str, *, field: str = "theme") -> Theme:
    if not (slug or "").strip():
        raise InvalidInput("a theme is required", details={field: "required"})
    return themes([slug], field=field)[0]


def indicators(codes: Iterable[str], *, field: str = "indicator_codes") -> list[Indicator]:
    """SDG indicators by code ("8.7.1")."""
    wanted = _codes(codes, upper=False)
    found = list(Indicator.objects.filter(code__in=wanted))
    unknown = sorted(set(wanted) - {indicator.code for indicator in found})
    if unknown:
        raise InvalidInput(
            f"unknown SDG indicator {', '.join(unknown)}",
            details={field: f"unknown indicator code(s): {', '.join(unknown)}"},
        )
    return found


def web_url(value: str | None, *, field: str) -> str:
    """An http or https address (or empty)."""
    url = (value or "").strip()
    if not url:
        return ""
    try:
        WEB_URL(url)
    except ValidationError:
        raise InvalidInput(
            "the address must start with http:// or https://",
            details={field: f"{url[:100]!r} is not an http or https address"},
        ) from None
    return url


def budget(
    amount: Decimal | str | float | int | None, currency: str | None
) -> tuple[Decimal | None, str]:
    """A non-negative amount with its ISO 4217 currency, or neither."""
    code = (currency or "").strip().upper()
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        if code:
            raise InvalidInput(
                "a currency without an amount", details={"budget_amount": "give the amount"}
            )
        return None, ""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise InvalidInput(
            "the budget is not a number", details={"budget_amount": f"{amount!r} is not a number"}
        ) from None
    if not value.is_finite() or value < 0:
        raise InvalidInput(
            "the budget cannot be negative",
            details={"budget_amount": "a non-negative amount is required"},
        )
    if value >= Decimal("1e14"):
        raise InvalidInput("the budget is too large", details={"budget_amount": "less than 10^14"})
    if not is_currency(code):
        raise InvalidInput(
            "the currency is not an ISO 4217 code",
            details={"budget_currency": f"{code or '(empty)'!r} is not an ISO 4217 code"},
        )
    return value.quantize(Decimal("0.01")), code


def period(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            "the period ends before it starts", details={"period_end": "before the start"}
        )
    if end is not None and start is None:
        raise InvalidInput("a period end needs a start", details={"period_start": "required"})
    return start, end


def required_text(value: str | None, *, field: str, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{field} is required", details={field: "required"})
    if max_length is not None and len(text) > max_length:
        raise InvalidInput(
            f"{field} is too long", details={field: f"at most {max_length} characters"}
        )
    return text


def optional_text(value: str | None, *, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise InvalidInput(
            f"{field} is too long", details={field: f"at most {max_length} characters"}
        )
    return text


def choice(value: str, choices: type[models.TextChoices], *, field: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            f"unknown {field}",
            details={field: f"{value!r} is not one of {', '.join(choices.values)}"},
        )
    return value


def validated(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``full_clean()`` with the errors as ``InvalidInput`` (one message per field)."""
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=True)
    except ValidationError as exc:
        details: dict[str, Any] = {
            field: " ".join(str(message) for message in messages)
            for field, messages in exc.message_dict.items()
        }
        raise InvalidInput(
            f"the {instance._meta.verbose_name} is not valid", details=details
        ) from None
