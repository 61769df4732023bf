"""Atom feed of published annual reports: ``/{lang}/pathfinders/reports/feed/``.

Published reports only, whoever asks (feed readers carry no session): a report a focal point
is drafting, or one under review, never appears. ``?country=ISO3`` (repeatable) narrows it to
some pathfinders; an unknown code is a 400 that names it. Newest publication first.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from sdg87.core.feeds import FEED_ITEMS, PublicAtomFeed, summary
from sdg87.partners.services import inputs
from sdg87.pathfinders.models import AnnualReport, ReportStatus


class PublishedReportsFeed(PublicAtomFeed):
    url_name = "pathfinders:reports_feed"
    item_url_name = "pathfinders:report"
    guid_prefix = "sdg87-report-"

    def filters(self, request: HttpRequest) -> dict[str, Any]:
        found = inputs.countries(request.GET.getlist("country"), field="country")
        return {"country": [country.iso3 for country in found]}

    def title(self, obj: dict[str, Any]) -> str:
        return _("Pathfinder countries: published annual reports")

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _("Progress, challenges and lessons learned reported by Alliance 8.7 pathfinders.")

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("pathfinders:overview")

    def items(self, obj: dict[str, Any]) -> QuerySet[AnnualReport]:
        queryset = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).select_related(
            "pathfinder__country"
        )
        if obj["filters"]["country"]:
            queryset = queryset.filter(pathfinder__country__iso3__in=obj["filters"]["country"])
        return queryset.order_by("-published_at", "-year", "-version", "-id")[:FEED_ITEMS]

    def item_title(self, item: AnnualReport) -> str:
        title = _("%(country)s: annual report %(year)s") % {
            "country": item.pathfinder.country.name,
            "year": item.year,
        }
        if item.version > 1:
            title += " " + _("(version %(version)s)") % {"version": item.version}
        if item.is_example:
            title += " " + _("[example]")
        return title

    def item_description(self, item: AnnualReport) -> str:
        return summary(item.progress or item.lessons_learned)

    def item_categories(self, item: AnnualReport) -> list[str]:
        return [item.pathfinder.country.iso3]


def published_reports_feed(request: HttpRequest) -> HttpResponse:
    return PublishedReportsFeed().view(request)
