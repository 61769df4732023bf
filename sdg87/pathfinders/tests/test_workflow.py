"""The report workflow, pure: which transitions exist, which are refused and who may take them."""

from __future__ import annotations

import pytest

from sdg87.core.errors import Conflict
from sdg87.pathfinders import workflow
from sdg87.pathfinders.models import ReportStatus

ALLOWED = {
    (ReportStatus.DRAFT, "submit"): ReportStatus.SUBMITTED,
    (ReportStatus.SUBMITTED, "request_changes"): ReportStatus.CHANGES_REQUESTED,
    (ReportStatus.SUBMITTED, "approve"): ReportStatus.APPROVED,
    (ReportStatus.CHANGES_REQUESTED, "resubmit"): ReportStatus.RESUBMITTED,
    (ReportStatus.RESUBMITTED, "request_changes"): ReportStatus.CHANGES_REQUESTED,
    (ReportStatus.RESUBMITTED, "approve"): ReportStatus.APPROVED,
    (ReportStatus.APPROVED, "publish"): ReportStatus.PUBLISHED,
}
ACTIONS = ("submit", "request_changes", "resubmit", "approve", "publish")
REFUSED = [
    (status, action)
    for status in ReportStatus.values
    for action in ACTIONS
    if (status, action) not in ALLOWED
]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_allowed_transition_leads_to_its_target_status(status, action):
    assert workflow.target_status(status, action) == ALLOWED[(status, action)]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_out_of_order_transition_is_refused_as_invalid_transition(status, action):
    with pytest.raises(Conflict) as caught:
        workflow.target_status(status, action)

    assert caught.value.code == "invalid_transition"
    assert caught.value.status_code == 409


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_refusal_message_names_the_status_and_the_actions_allowed_now(status, action):
    allowed_now = [name for (source, name) in ALLOWED if source == status]

    with pytest.raises(Conflict) as caught:
        workflow.target_status(status, action)

    message = caught.value.message
    assert status.replace("_", " ") in message
    assert f"allowed now: {', '.join(allowed_now) or 'none'}" in message
    assert caught.value.details == {"status": status, "action": action, "allowed": allowed_now}


def test_published_report_allows_no_further_transition():
    with pytest.raises(Conflict) as caught:
        workflow.target_status(ReportStatus.PUBLISHED, "approve")

    assert caught.value.message.endswith("allowed now: none")


def test_unknown_action_is_refused_listing_the_known_actions():
    with pytest.raises(Conflict) as caught:
        workflow.target_status(ReportStatus.DRAFT, "delete")

    assert caught.value.code == "invalid_transition"
    assert caught.value.details["allowed"] == list(ACTIONS)


def test_workflow_declares_exactly_the_allowed_transitions():
    declared = {
        (source, action): move.target
        for action, move in workflow.TRANSITIONS.items()
        for source in move.sources
    }

    assert declared == ALLOWED


@pytest.mark.parametrize("action", ["approve", "publish", "request_changes"])
def test_focal_point_may_not_take_curator_actions(action):
    move = workflow.transition_for(action)

    assert not workflow.actor_may(move, is_curator=False, is_country_focal_point=True)


@pytest.mark.parametrize("action", ["submit", "resubmit"])
def test_focal_point_of_the_country_may_submit_and_resubmit(action):
    move = workflow.transition_for(action)

    assert workflow.actor_may(move, is_curator=False, is_country_focal_point=True)


@pytest.mark.parametrize("action", ACTIONS)
def test_curator_may_take_every_action(action):
    move = workflow.transition_for(action)

    assert workflow.actor_may(move, is_curator=True, is_country_focal_point=False)


@pytest.mark.parametrize("action", ACTIONS)
def test_someone_neither_curator_nor_country_focal_point_may_take_no_action(action):
    move = workflow.transition_for(action)

    assert not workflow.actor_may(move, is_curator=False, is_country_focal_point=False)


def test_only_request_changes_requires_a_comment():
    requiring = [name for name, move in workflow.TRANSITIONS.items() if move.comment_required]

    assert requiring == ["request_changes"]


def test_focal_point_sees_only_submit_on_a_draft():
    actions = workflow.allowed_actions(
        ReportStatus.DRAFT, is_curator=False, is_country_focal_point=True
    )

    assert actions == ["submit"]


def test_focal_point_sees_no_action_on_a_submitted_report():
    actions = workflow.allowed_actions(
        ReportStatus.SUBMITTED, is_curator=False, is_country_focal_point=True
    )

    assert actions == []


def test_curator_sees_request_changes_and_approve_on_a_resubmitted_report():
    actions = workflow.allowed_actions(
        ReportStatus.RESUBMITTED, is_curator=True, is_country_focal_point=False
    )

    assert actions == ["request_changes", "approve"]


def test_only_drafts_and_returned_reports_are_editable():
    assert {ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED} == workflow.EDITABLE


def test_only_published_reports_are_public():
    assert {ReportStatus.PUBLISHED} == workflow.PUBLIC
