"""Pages that show pathfinder progress: the overview with its map, one page per country,
funding gaps, and the exchange-rate table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sdg87.core.errors import Conflict, InvalidInput
from sdg87.core.models import AuditSource
from sdg87.framework import selectors as framework_selectors
from sdg87.pathfinders import access, selectors
from sdg87.pathfinders.forms import ExchangeRateForm
from sdg87.pathfinders.models import RoadmapStatus
from sdg87.pathfinders.services import registry
from sdg87.pathfinders.views.common import domain_errors, show_refusal

TIMELINESS_ORDER = ("green", "amber", "red", "none")
TIMELINESS_COLOURS = {"green": "#1a7f37", "amber": "#d29b00", "red": "#b00020", "none": "#8c96a3"}
ROADMAP_COLOURS = {
    RoadmapStatus.ADOPTED: "#1a7f37",
    RoadmapStatus.DRAFT: "#d29b00",
    RoadmapStatus.COMPLETED: "#0b5cad",
    RoadmapStatus.SUPERSEDED: "#8c96a3",
    "none": "#b00020",
}


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


SORT_KEYS: dict[str, Any] = {
    "country": lambda row: (row["country"].name or "").casefold(),
    "example": lambda row: row["example"],
    "status": lambda row: row["status_label"],
    "roadmap": lambda row: row["roadmap"]["status_label"] if row["roadmap"] else "~",
    "actions": lambda row: (
        row["actions_on_track_share"] is None,
        row["actions_on_track_share"] or 0,
    ),
    "timeliness": lambda row: TIMELINESS_ORDER.index(row["timeliness"]),
    "indicators": lambda row: (
        not row["indicators_assessed"],
        _ratio(row["indicators_on_track"], row["indicators_assessed"]) or 0,
        row["indicators_assessed"],
    ),
    "gap": lambda row: row["funding"]["gap_usd"],
}


def _columns() -> list[tuple[str, str, bool]]:
    """(sort key, heading, numeric) of the overview table, in order."""
    return [
        ("country", _("Country"), False),
        ("example", _("Example"), False),
        ("status", _("Status"), False),
        ("roadmap", _("Roadmap"), False),
        ("actions", _("Actions on track"), True),
        ("timeliness", _("Reporting"), False),
        ("indicators", _("Indicators on track"), True),
        ("gap", _("Funding gap (USD)"), True),
    ]


def _sorted(rows: list[dict[str, Any]], sort: str) -> tuple[list[dict[str, Any]], str]:
    """The rows sorted by ``sort`` ("gap", "-gap", …); an unknown key sorts by country."""
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, sort = "country", "country"
    ordered = sorted(rows, key=SORT_KEYS[key], reverse=sort.startswith("-"))
    return ordered, sort


def _map_data(rows: list[dict[str, Any]], colour_by: str) -> dict[str, Any]:
    if colour_by == "roadmap":
        labels = {str(value): str(label) for value, label in RoadmapStatus.choices}
        labels["none"] = _("No roadmap yet")
        keys = [str(value) for value in RoadmapStatus.values] + ["none"]
        categories = [
            {"key": key, "label": labels[key], "color": ROADMAP_COLOURS[key]} for key in keys
        ]
        values = {
            row["iso3"]: {
                "category": row["roadmap"]["status"] if row["roadmap"] else "none",
                "label": row["roadmap"]["status_label"] if row["roadmap"] else labels["none"],
                "name": row["country"].name,
            }
            for row in rows
        }
    else:
        labels = {key: _(selectors.TIMELINESS_LABELS[key]) for key in TIMELINESS_ORDER}
        categories = [
            {"key": key, "label": labels[key], "color": TIMELINESS_COLOURS[key]}
            for key in TIMELINESS_ORDER
        ]
        values = {
            row["iso3"]: {
                "category": row["timeliness"],
                "label": row["timeliness_label"],
                "name": row["country"].name,
            }
            for row in rows
        }
    return {
        "mode": "categorical",
        "values": values,
        "categories": categories,
        "missing_label": _("Not a pathfinder country"),
    }


def overview(request: HttpRequest) -> HttpResponse:
    rows = selectors.pathfinder_overview(actor=request.user)
    ordered, sort = _sorted(rows, request.GET.get("sort", "country"))
    colour_by = "roadmap" if request.GET.get("map") == "roadmap" else "timeliness"
    map_data = _map_data(rows, colour_by)
    context = {
        "rows": ordered,
        "sort": sort,
        "columns": _columns(),
        "colour_by": colour_by,
        "map_data": map_data,
        "legend": map_data["categories"],
        "totals": {
            "countries": len(rows),
            "with_roadmap": sum(1 for row in rows if row["roadmap"]),
            "gap_usd": sum((row["funding"]["gap_usd"] for row in rows), Decimal(0)),
        },
        "is_curator": access.sees_everything(request.user),
    }
    return render(request, "pathfinders/overview.html", context)


@domain_errors
def detail(request: HttpRequest, iso3: str) -> HttpResponse:
    page = selectors.pathfinder_page(actor=request.user, iso3=iso3)
    context = {
        "pathfinder": page.pathfinder,
        "summary": page.summary,
        "roadmap": page.roadmap,
        "other_roadmaps": page.other_roadmaps,
        "funding": {"summary": page.funding},
        "reports": page.reports,
        "can_edit": selectors.can_edit(request.user, page.pathfinder.country.iso3),
    }
    return render(request, "pathfinders/detail.html", context)


def funding(request: HttpRequest) -> HttpResponse:
    view = selectors.funding_view(actor=request.user)
    countries = {
        roadmap.pathfinder.country.iso3: roadmap.pathfinder.country for roadmap in view.roadmaps
    }
    themes = {theme.slug: theme.name for theme in framework_selectors.theme_list()}
    by_country = sorted(
        view.summary.by_country.items(), key=lambda item: (-item[1].gap_usd, item[0])
    )
    by_theme = sorted(view.summary.by_theme.items(), key=lambda item: (-item[1].gap_usd, item[0]))
    context = {
        "view": view,
        "by_country": [(countries[iso3], totals) for iso3, totals in by_country],
        "in_need": [
            (view.priorities[pid], totals, view.pledges.get(pid, []))
            for pid, totals in view.summary.priorities_most_in_need(limit=len(view.priorities))
        ],
        "by_theme": [(themes.get(slug, slug), totals) for slug, totals in by_theme],
        "history": view.history,
        "chart_data": {
            "categories": [year for year, _totals in view.history],
            "series": [
                {
                    "name": _("Funding gap (USD)"),
                    "kind": "bar",
                    "data": [float(totals.gap_usd) for _year, totals in view.history],
                },
                {
                    "name": _("Planned (USD)"),
                    "kind": "line",
                    "data": [float(totals.planned_usd) for _year, totals in view.history],
                },
                {
                    "name": _("Secured (USD)"),
                    "kind": "line",
                    "data": [float(totals.secured_usd) for _year, totals in view.history],
                },
            ],
            "x_name": _("Year reported on"),
        },
    }
    return render(request, "pathfinders/funding.html", context)


@require_http_methods(["GET", "POST"])
@domain_errors
def exchange_rates(request: HttpRequest) -> HttpResponse:
    form = ExchangeRateForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rate = registry.exchange_rate_set(
                actor=request.user, source=AuditSource.WEB, **form.cleaned_data
            )
        except (InvalidInput, Conflict) as exc:
            status = show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The rate of %(currency)s on %(date)s is saved.")
                % {"currency": rate.currency, "date": rate.rate_date.isoformat()},
            )
            return redirect("pathfinders:exchange_rates")
    elif form.errors:
        status = 400
    context = {
        "rates": list(selectors.exchange_rates()),
        "form": form,
        "can_edit": access.sees_everything(request.user),
    }
    return render(request, "pathfinders/exchange_rates.html", context, status=status)
