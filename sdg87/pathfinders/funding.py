"""Funding gaps in US dollars, from action budgets and a dated exchange-rate table. Pure.

- An action's gap is what is planned and not yet secured: ``max(planned - secured, 0)``; an
  over-funded action has no gap and does not hide another action's gap.
- Cancelled actions are left out.
- Amounts convert at the latest rate dated on or before the reference day; when the table has
  only later rates, the earliest one is used (and its date reported). A currency with no rate
  at all is reported in ``missing_rates`` and its actions are left out of every USD total.
- Priorities, countries and the global total are sums of their actions' gaps, so they add up.
  A priority with several themes counts in each of them: theme totals do not add up to the
  global total.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Rate:
    currency: str
    rate_date: datetime.date
    usd_per_unit: Decimal


class RateTable:
    """Dated rates per currency; USD converts to itself."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        by_currency: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
        for rate in rates:
            by_currency[rate.currency].append((rate.rate_date, rate.usd_per_unit))
        self._rates = {code: sorted(items) for code, items in by_currency.items()}

    def rate(self, currency: str, on: datetime.date) -> tuple[Decimal, datetime.date | None] | None:
        """(USD per unit, date of the rate used) or None when the currency has no rate."""
        if currency == "USD":
            return Decimal(1), None
        items = self._rates.get(currency)
        if not items:
            return None
        index = bisect.bisect_right([day for day, _value in items], on) - 1
        day, value = items[max(index, 0)]
        return value, day

    def to_usd(self, amount: Decimal, currency: str, on: datetime.date) -> Decimal | None:
        found = self.rate(currency, on)
        if found is None:
            return None
        return (Decimal(amount) * found[0]).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BudgetLine:
    """One action's budget in its own currency."""

    action_id: int
    action_title: str
    priority_id: int
    priority_title: str
    country: str
    currency: str
    planned: Decimal
    secured: Decimal
    spent: Decimal
    themes: tuple[str, ...] = ()
    cancelled: bool = False


@dataclass
class Totals:
    planned_usd: Decimal = ZERO
    secured_usd: Decimal = ZERO
    spent_usd: Decimal = ZERO
    gap_usd: Decimal = ZERO
    actions: int = 0

    def add(self, other: Totals) -> None:
        self.planned_usd += other.planned_usd
        self.secured_usd += other.secured_usd
        self.spent_usd += other.spent_usd
        self.gap_usd += other.gap_usd
        self.actions += other.actions


@dataclass
class ActionFunding:
    line: BudgetLine
    totals: Totals | None  # None when the currency has no rate
    rate_date: datetime.date | None = None


@dataclass
class FundingSummary:
    on: datetime.date
    actions: list[ActionFunding] = field(default_factory=list)
    by_priority: dict[int, Totals] = field(default_factory=dict)
    by_theme: dict[str, Totals] = field(default_factory=dict)
    by_country: dict[str, Totals] = field(default_factory=dict)
    total: Totals = field(default_factory=Totals)
    missing_rates: list[str] = field(default_factory=list)
    rate_dates: dict[str, datetime.date] = field(default_factory=dict)

    def priorities_most_in_need(self, limit: int = 10) -> list[tuple[int, Totals]]:
        """Priorities by gap, largest first (ties by id), only those with a gap."""
        ranked = [(pid, totals) for pid, totals in self.by_priority.items() if totals.gap_usd > 0]
        ranked.sort(key=lambda item: (-item[1].gap_usd, item[0]))
        return ranked[:limit]


def action_totals(line: BudgetLine, rates: RateTable, on: datetime.date) -> ActionFunding:
    found = rates.rate(line.currency, on)
    if found is None:
        return ActionFunding(line=line, totals=None)
    per_unit, rate_date = found

    def usd(amount: Decimal) -> Decimal:
        return (Decimal(amount) * per_unit).quantize(CENT, rounding=ROUND_HALF_UP)

    planned, secured, spent = usd(line.planned), usd(line.secured), usd(line.spent)
    totals = Totals(
        planned_usd=planned,
        secured_usd=secured,
        spent_usd=spent,
        gap_usd=max(planned - secured, ZERO),
        actions=1,
    )
    return ActionFunding(line=line, totals=totals, rate_date=rate_date)


def funding_summary(
    lines: Sequence[BudgetLine], rates: RateTable, on: datetime.date
) -> FundingSummary:
    summary = FundingSummary(on=on)
    missing: set[str] = set()
    for line in lines:
        if line.cancelled:
            continue
        funding = action_totals(line, rates, on)
        summary.actions.append(funding)
        if funding.totals is None:
            missing.add(line.currency)
            continue
        if funding.rate_date is not None:
            summary.rate_dates[line.currency] = funding.rate_date
        summary.by_priority.setdefault(line.priority_id, Totals()).add(funding.totals)
        summary.by_country.setdefault(line.country, Totals()).add(funding.totals)
        for theme in line.themes:
            summary.by_theme.setdefault(theme, Totals()).add(funding.totals)
        summary.total.add(funding.totals)
    summary.missing_rates = sorted(missing)
    return summary


def gap_by_year(
    lines_by_year: dict[int, Sequence[BudgetLine]], rates: RateTable
) -> list[tuple[int, Totals]]:
    """The global totals reported each year (budgets as given in that year's report),
    converted at the rate of 31 December of that year."""
    history = []
    for year in sorted(lines_by_year):
        summary = funding_summary(lines_by_year[year], rates, datetime.date(year, 12, 31))
        history.append((year, summary.total))
    return history
