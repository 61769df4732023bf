"""Admin views of the library for curators: browsing and correcting metadata. Status changes
and tag decisions go through the review queue (the services), so they are read-only here."""

from django.contrib import admin

from sdg87.library.models import DuplicateLink, Harvest, Resource, TagSuggestion


class TagSuggestionInline(admin.TabularInline):
    model = TagSuggestion
    extra = 0
    fields = ["kind", "value", "score", "decision", "evidence"]
    readonly_fields = fields
    can_delete = False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "language", "year", "status", "source"]
    list_filter = ["status", "type", "language", "source"]
    search_fields = ["title", "source_record_id", "organisation"]
    readonly_fields = [
        "status",
        "source",
        "source_record_id",
        "content_hash",
        "first_seen_at",
        "last_seen_at",
        "published_at",
        "submitted_by",
        "file_sha256",
    ]
    raw_id_fields = ["countries", "themes", "targets", "partner_organisations"]
    inlines = [TagSuggestionInline]


@admin.register(DuplicateLink)
class DuplicateLinkAdmin(admin.ModelAdmin):
    list_display = ["resource", "duplicate_of", "similarity", "method", "decision"]
    list_filter = ["method", "decision"]
    raw_id_fields = ["resource", "duplicate_of"]
    readonly_fields = ["similarity", "method", "decision"]


@admin.register(Harvest)
class HarvestAdmin(admin.ModelAdmin):
    list_display = ["url", "protocol", "last_harvested_at", "records_seen"]
    readonly_fields = ["last_harvested_at", "last_datestamp", "resumption_token", "records_seen"]
