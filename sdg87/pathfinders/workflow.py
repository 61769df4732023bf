"""The annual-report review workflow, declared once.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
                          │  ▲                   ▲
          request_changes │  │ (curator)         │ approve
                          ▼  │                   │
              changes_requested ──resubmit──▶ resubmitted ──request_changes──▶ …

Who: focal points of the report's country (and curators) ``submit`` and ``resubmit``;
curators ``request_changes`` (a comment is required), ``approve`` and ``publish``. Drafts and
reports returned with changes requested are the only editable states. Pure: the services check
with :func:`target_status` and :func:`actor_may` before writing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdg87.core.errors import Conflict
from sdg87.pathfinders.models import ReportStatus

CURATOR = "curator"
COUNTRY = "country"  # a focal point of the report's country, or a curator


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    who: str
    comment_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    move.action: move
    for move in (
        Transition("submit", frozenset({ReportStatus.DRAFT}), ReportStatus.SUBMITTED, COUNTRY),
        Transition(
            "request_changes",
            frozenset({ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED}),
            ReportStatus.CHANGES_REQUESTED,
            CURATOR,
            comment_required=True,
        ),
        Transition(
            "resubmit",
            frozenset({ReportStatus.CHANGES_REQUESTED}),
            ReportStatus.RESUBMITTED,
            COUNTRY,
        ),
        Transition(
            "approve",
            frozenset({ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED}),
            ReportStatus.APPROVED,
            CURATOR,
        ),
        Transition("publish", frozenset({ReportStatus.APPROVED}), ReportStatus.PUBLISHED, CURATOR),
    )
}

EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED})
LOCKED = frozenset({ReportStatus.APPROVED, ReportStatus.PUBLISHED})
PUBLIC = frozenset({ReportStatus.PUBLISHED})


def allowed_actions(status: str, *, is_curator: bool, is_country_focal_point: bool) -> list[str]:
    """The actions this actor may take on a report in ``status``, in declaration order."""
    return [
        action
        for action, move in TRANSITIONS.items()
        if status in move.sources
        and actor_may(move, is_curator=is_curator, is_country_focal_point=is_country_focal_point)
    ]


def actor_may(move: Transition, *, is_curator: bool, is_country_focal_point: bool) -> bool:
    if move.who == CURATOR:
        return is_curator
    return is_curator or is_country_focal_point


def transition_for(action: str) -> Transition:
    move = TRANSITIONS.get(action)
    if move is None:
        raise Conflict(
            f"unknown report action {action!r}; one of {', '.join(TRANSITIONS)}",
            code="invalid_transition",
            details={"action": action, "allowed": list(TRANSITIONS)},
        )
    return move


def target_status(status: str, action: str) -> str:
    """The status ``action`` leads to from ``status``; ``Conflict`` (409) when out of order."""
    move = transition_for(action)
    if status not in move.sources:
        allowed = [name for name, other in TRANSITIONS.items() if status in other.sources]
        raise Conflict(
            f"a report that is {status.replace('_', ' ')} cannot be "
            f"{action.replace('_', ' ')}: allowed now: {', '.join(allowed) or 'none'}",
            code="invalid_transition",
            details={"status": status, "action": action, "allowed": allowed},
        )
    return move.target
