"""Schemas and small renderers shared by the pathfinder endpoints.

Money: every amount is a JSON string with two decimals (``"1250.00"``), in the currency named
next to it or, for fields ending in ``_usd``, in US dollars — the same convention as the
partners' budgets, so no amount ever passes through a binary float.
"""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from sdg87.core.api_i18n import requested_language
from sdg87.core.i18n import localized

ISO3_PATTERN = r"^[A-Za-z]{3}$"
USD_DESCRIPTION = 'US dollars as a string with two decimals, e.g. "250000.00"'
AMOUNT_DESCRIPTION = 'amount in the action\'s currency, a string with two decimals, e.g. "1500.00"'
AMOUNT_IN_DESCRIPTION = "non-negative amount with at most two decimals (a number or a string)"
LOCK_DESCRIPTION = (
    "the lock_version you read; a stale one is refused with 409 edit_conflict, so two people "
    "editing at once never overwrite each other silently"
)


def money(value: Decimal | None) -> str | None:
    """``Decimal("1234.5")`` → ``"1234.50"``; None stays None."""
    return None if value is None else f"{Decimal(value):.2f}"


def language_of(request: HttpRequest) -> str:
    return requested_language({"request": request})


class PriorityThemeOut(Schema):
    slug: str
    name: str


def theme_ref(theme: Any, language: str) -> dict[str, str]:
    return {"slug": theme.slug, "name": localized(theme, "name", language)}


class TotalsOut(Schema):
    planned_usd: str = Field(description=USD_DESCRIPTION)
    secured_usd: str = Field(description=USD_DESCRIPTION)
    spent_usd: str = Field(description=USD_DESCRIPTION)
    gap_usd: str = Field(
        description="planned and not yet secured, summed over the actions (an over-funded "
        "action has no gap and does not hide another's); " + USD_DESCRIPTION
    )


def totals_out(totals: Any) -> dict[str, Any]:
    """A :class:`sdg87.pathfinders.funding.Totals` as strings."""
    return {
        "planned_usd": money(totals.planned_usd),
        "secured_usd": money(totals.secured_usd),
        "spent_usd": money(totals.spent_usd),
        "gap_usd": money(totals.gap_usd),
        "actions": totals.actions,
    }


class CountedTotalsOut(TotalsOut):
    actions: int = Field(
        description="actions counted (cancelled ones and those whose "
        "currency has no exchange rate are left out)"
    )


class RoadmapRefOut(Schema):
    id: int
    title: str
    status: str = Field(description="draft, adopted, completed or superseded")
    period_start: int
    period_end: int
    adopted_on: datetime.date | None
    example: bool = Field(description="example content, not real data")
