from django.contrib import admin

from sdg87.framework.models import GlobalEstimate, Goal, Indicator, Target, TargetSynergy, Theme


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["code", "short_en", "short_fr", "short_es"]
    search_fields = ["code", "title_en", "title_fr", "title_es"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "deadline_year", "title_en"]
    list_filter = ["goal", "deadline_year"]
    search_fields = ["code", "title_en", "title_fr", "title_es"]
    list_select_related = ["goal"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "target", "title_en"]
    search_fields = ["code", "title_en", "title_fr", "title_es"]
    list_select_related = ["target"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_fr", "name_es", "position"]
    search_fields = ["slug", "name_en", "name_fr", "name_es"]


@admin.register(TargetSynergy)
class TargetSynergyAdmin(admin.ModelAdmin):
    list_display = ["source", "related", "description_en", "position"]
    list_select_related = ["source", "related"]


@admin.register(GlobalEstimate)
class GlobalEstimateAdmin(admin.ModelAdmin):
    list_display = ["key", "label_en", "value", "unit", "reference_year", "source_year", "parent"]
    list_filter = ["unit", "source_year"]
    search_fields = ["key", "label_en", "source"]
    list_select_related = ["parent"]
