"""Partner records in the admin (curators). Every change is audited; an organisation's
status changes only through the review page (``workflow.py``), so it is read-only here."""

from django.contrib import admin
from django.db import models

from sdg87.core.admin import AuditedModelAdmin
from sdg87.partners.models import (
    ActionGroup,
    ActionGroupMembership,
    Meeting,
    Organisation,
    OrganisationAlias,
    Pledge,
    PledgeUpdate,
    ResearchProject,
    WorkPlanItem,
)
from sdg87.partners.services.action_groups import (
    GROUP_AUDIT_FIELDS,
    MEETING_AUDIT_FIELDS,
    MEMBERSHIP_AUDIT_FIELDS,
    WORK_PLAN_AUDIT_FIELDS,
)
from sdg87.partners.services.organisations import ORGANISATION_AUDIT_FIELDS
from sdg87.partners.services.pledges import PLEDGE_AUDIT_FIELDS, UPDATE_AUDIT_FIELDS
from sdg87.partners.services.research import RESEARCH_AUDIT_FIELDS

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    audit_fields = ORGANISATION_AUDIT_FIELDS
    list_display = ("name", "acronym", "kind", "country", "status", "website")
    list_filter = ("status", "kind")
    search_fields = ("name", "acronym", "slug")
    # The slug comes from the name; logos are uploaded (and checked) on the profile page.
    readonly_fields = (
        "slug",
        "logo",
        "status",
        "applicant",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    )
    autocomplete_fields = ("country",)
    formfield_overrides = URL_FIELDS


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(AuditedModelAdmin):
    list_display = ("key", "name", "form", "language")
    list_filter = ("form", "language")
    search_fields = ("key", "name")
    formfield_overrides = URL_FIELDS


@admin.register(ActionGroup)
class ActionGroupAdmin(AuditedModelAdmin):
    audit_fields = GROUP_AUDIT_FIELDS
    list_display = ("name_en", "theme", "slug")
    list_filter = ("theme",)
    search_fields = ("name_en", "name_fr", "name_es")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(ActionGroupMembership)
class ActionGroupMembershipAdmin(AuditedModelAdmin):
    audit_fields = MEMBERSHIP_AUDIT_FIELDS
    list_display = ("group", "organisation", "role", "joined_at")
    list_filter = ("role", "group")


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(AuditedModelAdmin):
    audit_fields = WORK_PLAN_AUDIT_FIELDS
    list_display = ("title", "group", "status", "due_date", "responsible")
    list_filter = ("status", "group")


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    audit_fields = MEETING_AUDIT_FIELDS
    list_display = ("group", "held_on", "place", "online")
    list_filter = ("group",)


@admin.register(Pledge)
class PledgeAdmin(AuditedModelAdmin):
    audit_fields = PLEDGE_AUDIT_FIELDS
    list_display = ("title", "owner", "status", "deadline", "last_reported_at")
    list_filter = ("status",)
    search_fields = ("title",)
    readonly_fields = ("last_reported_at",)


@admin.register(PledgeUpdate)
class PledgeUpdateAdmin(AuditedModelAdmin):
    audit_fields = UPDATE_AUDIT_FIELDS
    list_display = ("pledge", "created_at")
    readonly_fields = ("evidence_file",)  # uploaded (and checked) on the pledge page
    formfield_overrides = URL_FIELDS


@admin.register(ResearchProject)
class ResearchProjectAdmin(AuditedModelAdmin):
    audit_fields = RESEARCH_AUDIT_FIELDS
    list_display = ("title", "organisation", "status", "period_start", "period_end")
    list_filter = ("status",)
    search_fields = ("title", "questions")
