"""Admin for indicators: curators edit definitions (audited); observations, import batches
and national metadata are read-only here (they change through imports)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from sdg87.core.admin import AuditedModelAdmin
from sdg87.indicators.models import (
    ImportBatch,
    Indicator,
    NationalMetadata,
    Observation,
    ObservationRevision,
)


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    """Each save is audited and marks the definition as curated, so that
    ``sdg87 load-data`` no longer overwrites it from ``data/reference/indicators.csv``."""

    list_display = (
        "code",
        "title_en",
        "kind",
        "unit",
        "desired_direction",
        "target_value",
        "target_year",
        "is_headline",
        "curated_at",
    )
    list_filter = ("kind", "desired_direction", "is_headline", "themes")
    search_fields = ("code", "title_en", "title_fr", "title_es")
    filter_horizontal = ("themes",)
    readonly_fields = ("curated_at", "created_at", "updated_at")
    audit_fields = (
        "code",
        "kind",
        "title_en",
        "title_fr",
        "title_es",
        "definition_en",
        "definition_fr",
        "definition_es",
        "reading_note_en",
        "reading_note_fr",
        "reading_note_es",
        "unit",
        "source",
        "desired_direction",
        "target_value",
        "target_year",
        "natural_limit",
        "is_headline",
        "position",
        "sdmx_series",
        "themes",
    )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        obj.curated_at = timezone.now()
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "area_code", "period", "series", "unit", "dimensions_key", "value")
    list_filter = ("indicator",)
    search_fields = ("area_code", "series", "dimensions_key")
    list_select_related = ("indicator",)
    show_full_result_count = False


@admin.register(ObservationRevision)
class ObservationRevisionAdmin(ReadOnlyAdmin):
    list_display = ("observation", "replaced_at", "replaced_by_batch")
    list_select_related = ("observation", "replaced_by_batch")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "file_name",
        "format",
        "created_by",
        "created",
        "updated",
        "unchanged",
        "rejected",
    )
    list_filter = ("format",)
    search_fields = ("file_name", "file_sha256", "source")
    list_select_related = ("created_by",)


@admin.register(NationalMetadata)
class NationalMetadataAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "country", "language")
    list_filter = ("indicator", "language")
    list_select_related = ("indicator", "country")
