"""Writes on partner records, one module per area; every service checks permissions and
writes an audit row in its transaction. Import from here: ``services.pledge_create(...)``."""

from sdg87.partners.services.action_groups import (
    action_group_create,
    action_group_document_attach,
    action_group_document_detach,
    action_group_member_add,
    action_group_member_remove,
    action_group_update,
    meeting_record,
    work_plan_item_create,
    work_plan_item_update,
)
from sdg87.partners.services.organisations import (
    ORGANISATION_AUDIT_FIELDS,
    applicant_can_be_made_editor,
    organisation_aliases_load_bundled,
    organisation_apply,
    organisation_approve,
    organisation_create,
    organisation_reject,
    organisation_update,
)
from sdg87.partners.services.pledges import (
    EvidenceFile,
    pledge_create,
    pledge_edit,
    pledge_link_priorities,
    pledge_progress_report,
)
from sdg87.partners.services.research import (
    research_project_edit,
    research_project_register,
)

__all__ = [
    "ORGANISATION_AUDIT_FIELDS",
    "EvidenceFile",
    "action_group_create",
    "action_group_document_attach",
    "action_group_document_detach",
    "action_group_member_add",
    "action_group_member_remove",
    "action_group_update",
    "applicant_can_be_made_editor",
    "meeting_record",
    "organisation_aliases_load_bundled",
    "organisation_apply",
    "organisation_approve",
    "organisation_create",
    "organisation_reject",
    "organisation_update",
    "pledge_create",
    "pledge_edit",
    "pledge_link_priorities",
    "pledge_progress_report",
    "research_project_edit",
    "research_project_register",
    "work_plan_item_create",
    "work_plan_item_update",
]
