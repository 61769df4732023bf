"""Pathfinder records in the admin (curators): the registry and the exchange-rate table are
maintained here as well as on the platform's pages; every change is audited. Roadmaps are
edited on the pathfinder pages (optimistic locking, the focal points' own forms) and reports
only through their review workflow, so both are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sdg87.core.admin import AuditedModelAdmin
from sdg87.pathfinders.models import AnnualReport, ExchangeRate, Pathfinder, Roadmap
from sdg87.pathfinders.services.registry import PATHFINDER_FIELDS


@admin.register(Pathfinder)
class PathfinderAdmin(AuditedModelAdmin):
    audit_fields = PATHFINDER_FIELDS
    list_display = ("country", "joined_on", "status", "is_example")
    list_filter = ("status", "is_example")
    search_fields = ("country__name_en", "country__iso3")
    autocomplete_fields = ("country",)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedModelAdmin):
    audit_fields = ("currency", "rate_date", "usd_per_unit", "source")
    list_display = ("currency", "rate_date", "usd_per_unit", "source")
    list_filter = ("currency",)
    date_hierarchy = "rate_date"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin):
    list_display = ("title", "pathfinder", "period_start", "period_end", "status", "is_example")
    list_filter = ("status", "is_example")


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("pathfinder", "year", "version", "status", "is_example", "updated_at")
    list_filter = ("status", "year", "is_example")
