"""Reads on partner records with their visibility rules, one module per area."""

from sdg87.partners.selectors.action_groups import (
    action_group_get,
    action_group_list,
    action_groups_of,
    work_plan_item_get,
)
from sdg87.partners.selectors.organisations import (
    application_get,
    application_list,
    applications_of,
    organisation_choices,
    organisation_duplicates,
    organisation_for_edit,
    organisation_get,
    organisation_get_by_id,
    organisation_list,
    organisation_visible,
)
from sdg87.partners.selectors.pledges import (
    pledge_for_change,
    pledge_get,
    pledge_list,
    pledge_update_get,
    today,
)
from sdg87.partners.selectors.research import (
    GAP_DIMENSIONS,
    GapMap,
    evidence_gap_map,
    research_project_get,
    research_project_list,
    research_similar,
    similar_published_resources,
    theme_country_counts,
)

__all__ = [
    "GAP_DIMENSIONS",
    "GapMap",
    "action_group_get",
    "action_group_list",
    "action_groups_of",
    "application_get",
    "application_list",
    "applications_of",
    "evidence_gap_map",
    "organisation_choices",
    "organisation_duplicates",
    "organisation_for_edit",
    "organisation_get",
    "organisation_get_by_id",
    "organisation_list",
    "organisation_visible",
    "pledge_for_change",
    "pledge_get",
    "pledge_list",
    "pledge_update_get",
    "research_project_get",
    "research_project_list",
    "research_similar",
    "similar_published_resources",
    "theme_country_counts",
    "today",
    "work_plan_item_get",
]
