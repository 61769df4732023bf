"""The organisation review workflow, declared once: which action moves a status to which.

applied ──approve──▶ approved
   └─────reject───▶ rejected

Pure: services call :func:`target_status` before writing; the database constrains the column
to the statuses (``organisation_status_valid``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sdg87.core.errors import Conflict
from sdg87.partners.models import OrganisationStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    transition.action: transition
    for transition in (
        Transition("approve", frozenset({OrganisationStatus.APPLIED}), OrganisationStatus.APPROVED),
        Transition("reject", frozenset({OrganisationStatus.APPLIED}), OrganisationStatus.REJECTED),
    )
}


def allowed_actions(status: str) -> list[str]:
    """The actions that may be taken on an organisation in ``status``."""
    return [action for action, move in TRANSITIONS.items() if status in move.sources]


def target_status(status: str, action: str) -> str:
    """The status ``action`` leads to from ``status``; ``Conflict`` when not allowed."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise ValueError(f"unknown organisation action {action!r}")
    if status not in move.sources:
        raise Conflict(
            f"an organisation that is {status} cannot be {action}d",
            code="invalid_transition",
            details={"status": status, "action": action},
        )
    return move.target
