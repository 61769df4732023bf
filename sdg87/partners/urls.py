from django.urls import path

from sdg87.partners.views import action_groups, organisations, pledges, research

app_name = "partners"
urlpatterns = [
    path("", organisations.directory, name="directory"),
    path("apply/", organisations.organisation_apply, name="apply"),
    path("applications/", organisations.application_list, name="applications"),
    path(
        "applications/<slug:slug>/",
        organisations.application_review,
        name="application_review",
    ),
    # Action groups
    path("action-groups/", action_groups.action_group_list, name="action_group_list"),
    path("action-groups/new/", action_groups.action_group_form, name="action_group_create"),
    path(
        "action-groups/<slug:slug>/",
        action_groups.action_group_detail,
        name="action_group_detail",
    ),
    path(
        "action-groups/<slug:slug>/edit/",
        action_groups.action_group_form,
        name="action_group_edit",
    ),
    path(
        "action-groups/<slug:slug>/documents/",
        action_groups.document_attach,
        name="group_document_attach",
    ),
    path(
        "action-groups/<slug:slug>/documents/<int:resource_id>/remove/",
        action_groups.document_detach,
        name="group_document_detach",
    ),
    path("action-groups/<slug:slug>/join/", action_groups.action_group_join, name="group_join"),
    path("action-groups/<slug:slug>/leave/", action_groups.action_group_leave, name="group_leave"),
    path(
        "action-groups/<slug:slug>/members/",
        action_groups.action_group_member_add,
        name="group_member_add",
    ),
    path(
        "action-groups/<slug:slug>/work-plan/",
        action_groups.work_plan_item_add,
        name="work_plan_item_add",
    ),
    path(
        "action-groups/<slug:slug>/work-plan/<int:item_id>/",
        action_groups.work_plan_item_progress,
        name="work_plan_item_progress",
    ),
    path("action-groups/<slug:slug>/meetings/", action_groups.meeting_add, name="meeting_add"),
    # Pledges
    path("pledges/", pledges.pledge_list, name="pledge_list"),
    path("pledges/new/", pledges.pledge_create, name="pledge_create"),
    path("pledges/<int:pledge_id>/", pledges.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pledge_id>/edit/", pledges.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pledge_id>/updates/new/", pledges.pledge_update_add, name="pledge_update"),
    path(
        "pledges/<int:pledge_id>/updates/<int:update_id>/evidence/",
        pledges.pledge_evidence,
        name="pledge_evidence",
    ),
    # Research coordination
    path("research/", research.research_list, name="research_list"),
    path("research/new/", research.research_register, name="research_register"),
    path("research/similar/", research.research_similar, name="research_similar"),
    path("research/gaps/", research.evidence_gaps, name="evidence_gaps"),
    path("research/<int:project_id>/", research.research_detail, name="research_detail"),
    # Organisations (last: a slug could look like any word above; those words are reserved)
    path("<slug:slug>/", organisations.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/logo/", organisations.organisation_logo, name="organisation_logo"),
]
