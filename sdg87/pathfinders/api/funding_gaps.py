"""``/funding-gaps`` (what the pathfinders' roadmaps still need, in US dollars) and
``/exchange-rates`` (the dated table that converts budgets; curators maintain it).

All amounts are strings with two decimals in US dollars (see ``common``). Totals add up:
actions → priorities → countries → the global total. A priority with several themes counts in
each, so theme totals do not add up to the global total.
"""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination
from sdg87.pathfinders import selectors
from sdg87.pathfinders.api.common import ISO3_PATTERN, CountedTotalsOut, totals_out
from sdg87.pathfinders.funding import Totals
from sdg87.pathfinders.services import registry as services

router = Router()


class FundingPledgeOut(Schema):
    id: int
    title: str


class CountryTotalsOut(CountedTotalsOut):
    country: str = Field(description="ISO3 code")


class PriorityTotalsOut(CountedTotalsOut):
    id: int
    title: str
    roadmap: int
    country: str = Field(description="ISO3 code")
    pledges: list[FundingPledgeOut] = Field(description="active pledges covering the priority")


class ThemeTotalsOut(CountedTotalsOut):
    theme: str = Field(description="theme slug")


class YearTotalsOut(CountedTotalsOut):
    year: int = Field(
        description="report year: budgets as given in that year's published reports, at the "
        "exchange rate of 31 December"
    )


class FundingGapsOut(Schema):
    on: datetime.date = Field(description="the day whose exchange rates were used")
    country: str | None = Field(description="the country asked for, or null for all")
    total: CountedTotalsOut = Field(description="global total (or the country's)")
    by_country: list[CountryTotalsOut]
    by_priority: list[PriorityTotalsOut]
    by_theme: list[ThemeTotalsOut]
    history: list[YearTotalsOut]
    missing_rates: list[str] = Field(
        description="currencies with no exchange rate: their actions are left out of every total"
    )
    rate_dates: dict[str, datetime.date] = Field(
        description="the date of the rate used for each currency"
    )
    most_in_need: list[PriorityTotalsOut] = Field(
        description="the priorities with the largest gaps, largest first (at most 10)"
    )


class FundingGapsQuery(Schema):
    country: str | None = Field(None, pattern=ISO3_PATTERN, description="ISO3 code")


class ExchangeRateOut(Schema):
    currency: str = Field(description="ISO 4217 code")
    date: datetime.date
    usd_per_unit: str = Field(description='US dollars for one unit, e.g. "1.0850000000"')
    source: str

    @staticmethod
    def resolve_date(obj: Any) -> datetime.date:
        return obj.rate_date

    @staticmethod
    def resolve_usd_per_unit(obj: Any) -> str:
        return str(obj.usd_per_unit)


class ExchangeRateQuery(Schema):
    currency: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code")


class ExchangeRateIn(Schema):
    usd_per_unit: Decimal = Field(description="US dollars for one unit, greater than 0")
    source: str = Field("", max_length=255, description="where the rate comes from")


def _priority_totals(view: selectors.FundingView, countries: dict[int, str]) -> Any:
    def render(priority_id: int, totals: Totals) -> dict[str, Any]:
        priority = view.priorities[priority_id]
        return {
            **totals_out(totals),
            "id": priority_id,
            "title": priority.title,
            "roadmap": priority.roadmap_id,
            "country": countries[priority.roadmap_id],
            "pledges": [
                {"id": pledge.pk, "title": pledge.title}
                for pledge in view.pledges.get(priority_id, [])
            ],
        }

    return render


@router.get("/funding-gaps", response=FundingGapsOut, summary="Funding gaps in US dollars")
def funding_gaps(request: HttpRequest, query: Query[FundingGapsQuery]) -> Any:
    """Of the current roadmap of every pathfinder (or of `country`): totals globally, by
    country, by priority (with the pledges covering it), by theme and by report year; the
    currencies without a rate; and the priorities most in need."""
    view = selectors.funding_view(actor=request_actor(request), iso3=query.country)
    summary = view.summary
    countries = {roadmap.pk: roadmap.pathfinder.country.iso3 for roadmap in view.roadmaps}
    priority = _priority_totals(view, countries)
    return {
        "on": summary.on,
        "country": query.country.upper() if query.country else None,
        "total": totals_out(summary.total),
        "by_country": [
            {**totals_out(totals), "country": iso3}
            for iso3, totals in sorted(summary.by_country.items())
        ],
        "by_priority": [
            priority(priority_id, totals)
            for priority_id, totals in sorted(summary.by_priority.items())
        ],
        "by_theme": [
            {**totals_out(totals), "theme": slug}
            for slug, totals in sorted(summary.by_theme.items())
        ],
        "history": [{**totals_out(totals), "year": year} for year, totals in view.history],
        "missing_rates": summary.missing_rates,
        "rate_dates": dict(sorted(summary.rate_dates.items())),
        "most_in_need": [
            priority(priority_id, totals)
            for priority_id, totals in summary.priorities_most_in_need()
        ],
    }


@router.get("/exchange-rates", response=list[ExchangeRateOut], summary="The exchange-rate table")
@paginate(PagePagination)
def list_exchange_rates(request: HttpRequest, query: Query[ExchangeRateQuery]) -> Any:
    """US dollars per unit of each currency by date, newest first per currency."""
    return selectors.exchange_rate_list(currency=query.currency)


@router.put(
    "/exchange-rates/{currency}/{rate_date}",
    response=ExchangeRateOut,
    auth=signed_in,
    summary="Set the rate of a currency on a date (curators)",
)
def set_exchange_rate(
    request: HttpRequest, currency: str, rate_date: datetime.date, payload: ExchangeRateIn
) -> Any:
    """Creates the rate or changes it. An unknown currency or a rate of 0 or less answers 400
    naming the field."""
    return services.exchange_rate_set(
        actor=request.auth,
        currency=currency,
        rate_date=rate_date,
        usd_per_unit=payload.usd_per_unit,
        rate_source=payload.source,
        source=AuditSource.API,
    )
