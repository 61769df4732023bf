from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sdg87.instruments.models import Instrument, Ratification, RatificationBatch


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name_en", "kind", "organisation", "adoption_year"]
    list_filter = ["kind", "organisation"]
    search_fields = ["code", "title_en", "title_fr", "title_es", "short_name_en"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ratifications change only through ``sdg87 load-data`` and ``sdg87 import-ratifications``
    (services that validate, batch and audit every write): the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ratification)
class RatificationAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "country", "kind", "status", "date", "date_precision", "source"]
    list_filter = ["instrument", "status", "kind", "source"]
    search_fields = ["country__iso3", "country__name_en", "source", "source_detail"]
    list_select_related = ["instrument", "country"]


@admin.register(RatificationBatch)
class RatificationBatchAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "origin", "sources", "created_at", "created", "updated"]
    list_filter = ["origin"]
