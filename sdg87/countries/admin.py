from django.contrib import admin

from sdg87.countries.models import Country, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["m49", "name_en", "name_fr", "name_es", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["m49", "name_en", "name_fr", "name_es"]
    list_select_related = ["parent"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = [
        "iso3",
        "iso2",
        "numeric",
        "name_en",
        "name_fr",
        "name_es",
        "subregion",
        "un_member",
    ]
    list_filter = ["un_member", "region", "subregion"]
    search_fields = ["iso3", "iso2", "numeric", "name_en", "name_fr", "name_es", "official_name_en"]
    list_select_related = ["region", "subregion", "intermediate_region"]
