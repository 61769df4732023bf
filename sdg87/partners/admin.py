from django.contrib import admin
from django.db import models

from sdg87.core.admin import AuditedModelAdmin
from sdg87.partners.models import Organisation
from sdg87.partners.services import ORGANISATION_AUDIT_FIELDS


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    audit_fields = ORGANISATION_AUDIT_FIELDS
    list_display = ("name", "acronym", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name", "acronym")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
