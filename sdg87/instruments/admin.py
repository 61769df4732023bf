from django.contrib import admin

from sdg87.instruments.models import Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name_en", "kind", "organisation", "adoption_year"]
    list_filter = ["kind", "organisation"]
    search_fields = ["code", "title_en", "title_fr", "title_es", "short_name_en"]
