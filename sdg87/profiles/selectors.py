"""The country profile: one view of everything the platform knows about a country, composed
from each app's selectors (indicators, ratifications, pathfinder, partners, library).

Every part is public data: published resources, approved partners, and the pathfinder summary
that ``sdg87.pathfinders`` filters for the actor (the public sees published content only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sdg87.countries import selectors as country_selectors
from sdg87.countries.models import Country
from sdg87.indicators import page_selectors as indicator_pages
from sdg87.instruments import selectors as instrument_selectors
from sdg87.library import selectors as library_selectors
from sdg87.partners.models import Organisation, OrganisationStatus, PledgeStatus
from sdg87.pathfinders import selectors as pathfinder_selectors

KEY_RESOURCES_LIMIT = 10

# Why an organisation is listed among a country's active partners.
BASED_HERE = "based_here"
PLEDGE = "pledge"


@dataclass
class CountryProfile:
    country: Country
    indicators: list[dict[str, Any]]
    ratifications: list[dict[str, Any]]
    pathfinder: dict[str, Any] | None
    partners: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def latest_report(self) -> dict[str, Any] | None:
        """The pathfinder's latest published annual report (None when there is none)."""
        return self.pathfinder["latest_report"] if self.pathfinder else None


def country_profile(
    iso3: str, *, actor: Any = None, resources_limit: int = KEY_RESOURCES_LIMIT
) -> CountryProfile:
    """Raises ``NotFound`` for an unknown code (via ``country_get``). Strings are in the
    active language."""
    country = country_selectors.country_get(iso3)
    data = indicator_pages.country_data(country)
    indicators = []
    for item in data.with_data:
        progress = item.progress
        indicators.append(
            {
                "code": item.indicator.code,
                "title": item.indicator.title,
                "latest_year": item.latest_year,
                "latest_period": item.latest_period or None,
                "latest_value": item.latest_value,
                "latest_label": item.latest_label,
                # the breakdown standing for a missing total ({} for a total, None without a
                # headline value) and how it reads: "Age: 5–17 (AGE=Y5T17)"
                "headline_breakdown": dict(item.breakdown or {}),
                "headline_breakdown_label": item.breakdown_label,
                "unit": item.unit,
                "data_points": item.data_points,
                "progress": _progress_statuses(progress),
                "progress_labels": _progress_labels(progress),
            }
        )
    return CountryProfile(
        country=country,
        indicators=indicators,
        ratifications=_ratification_rows(country),
        pathfinder=country_pathfinder(country.iso3, actor=actor),
        partners=country_partners(country),
        resources=country_resources(country, limit=resources_limit),
    )


def _progress_statuses(progress: Any) -> dict[str, str] | None:
    if progress is None:
        return None
    statuses = {badge.method: badge.status for badge in progress.badges if badge.status}
    return statuses or None


def _progress_labels(progress: Any) -> dict[str, str] | None:
    if progress is None:
        return None
    labels = {badge.method: str(badge.label) for badge in progress.badges if badge.status}
    return labels or None


def _ratification_rows(country: Country) -> list[dict[str, Any]]:
    """One row per instrument: the API contract's fields (as ``ratification_rows_for_country``)
    plus the instrument's short name and the status label for pages and the PDF."""
    rows = []
    for item in instrument_selectors.ratifications_for_country(country):
        chosen = item.chosen
        rows.append(
            {
                "instrument": item.instrument.code,
                "instrument_name": item.instrument.short_name,
                "status": item.category,
                "status_label": item.category_label,
                "date": chosen.date_display if chosen else None,
                "date_precision": (chosen.date_precision or None) if chosen else None,
                "kind": chosen.kind if chosen else None,
                "source": chosen.source if chosen else None,
            }
        )
    return rows


def country_pathfinder(iso3: str, *, actor: Any = None) -> dict[str, Any] | None:
    """The pathfinder summary (``sdg87.pathfinders.selectors.pathfinder_summary``, without
    the indicators on track, which the profile does not show): None when the country is not
    a pathfinder. Two queries."""
    summary = pathfinder_selectors.pathfinder_summary(iso3=iso3, actor=actor, with_indicators=False)
    if summary is not None:
        del summary["indicators_on_track"], summary["indicators_assessed"]
    return summary


def country_partners(country: Country) -> list[dict[str, Any]]:
    """Approved partner organisations based in the country, then approved organisations with
    an active pledge for it; each once, by name within each group. One query."""
    pledged_here = Q(pledges__status=PledgeStatus.ACTIVE, pledges__countries=country)
    organisations = (
        Organisation.objects.filter(status=OrganisationStatus.APPROVED)
        .filter(
            Q(country=country) | Q(pk__in=Organisation.objects.filter(pledged_here).values("pk"))
        )
        .annotate(active_pledges=Count("pledges", filter=pledged_here, distinct=True))
        .order_by("name", "id")
    )
    partners: list[dict[str, Any]] = []
    pledged: list[dict[str, Any]] = []
    for organisation in organisations:
        based_here = organisation.country_id == country.pk
        row = _partner_row(organisation, BASED_HERE if based_here else PLEDGE)
        row["active_pledges"] = organisation.active_pledges
        (partners if based_here else pledged).append(row)
    return partners + sorted(pledged, key=lambda row: (row["name"].casefold(), row["id"]))


def _partner_row(organisation: Any, reason: str) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "kind": organisation.kind,
        "kind_label": str(organisation.get_kind_display()),
        "url": reverse("partners:organisation_detail", args=[organisation.slug]),
        "reason": reason,
        "reason_label": _("Based in the country") if reason == BASED_HERE else _("Active pledge"),
        "active_pledges": 0,
    }


def country_resources(
    country: Country, *, limit: int = KEY_RESOURCES_LIMIT
) -> list[dict[str, Any]]:
    """Published library resources tagged with the country, newest first. One query."""
    resources = (
        library_selectors.visible_resources(None)
        .filter(countries=country)
        .order_by(F("year").desc(nulls_last=True), F("published_at").desc(nulls_last=True), "-id")
        .only("id", "title", "year", "type", "language")[:limit]
    )
    return [
        {
            "id": resource.pk,
            "title": resource.title,
            "year": resource.year,
            "type": resource.type,
            "type_label": str(resource.get_type_display()),
            "language": resource.language,
            "url": reverse("library:resource", args=[resource.pk]),
        }
        for resource in resources
    ]
