"""The resource review workflow, declared once: which action moves a status to which, and who
may take it.

draft ──submit──▶ in_review ──publish──▶ published
  ▲                  │   (curators may also publish a draft directly)
  └──return (curator, with a comment)
draft / in_review / published ──withdraw──▶ withdrawn ──restore (curator)──▶ draft

Pure: the services call :func:`target_status` and :func:`may_take` before writing; the database
constrains the column to the statuses (``resource_status_valid``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sdg87.core.errors import Conflict
from sdg87.library.models import ResourceStatus


class Actor(StrEnum):
    """Who may take an action: the owning organisation's editors (and the submitter) or
    curators. Curators may always do what owners may."""

    OWNER = "owner"
    CURATOR = "curator"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: Actor
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    transition.action: transition
    for transition in (
        Transition(
            "submit", frozenset({ResourceStatus.DRAFT}), ResourceStatus.IN_REVIEW, Actor.OWNER
        ),
        Transition(
            "publish",
            frozenset({ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW}),
            ResourceStatus.PUBLISHED,
            Actor.CURATOR,
        ),
        Transition(
            "return",
            frozenset({ResourceStatus.IN_REVIEW, ResourceStatus.PUBLISHED}),
            ResourceStatus.DRAFT,
            Actor.CURATOR,
            needs_comment=True,
        ),
        Transition(
            "withdraw",
            frozenset({ResourceStatus.DRAFT, ResourceStatus.IN_REVIEW, ResourceStatus.PUBLISHED}),
            ResourceStatus.WITHDRAWN,
            Actor.OWNER,
        ),
        Transition(
            "restore", frozenset({ResourceStatus.WITHDRAWN}), ResourceStatus.DRAFT, Actor.CURATOR
        ),
    )
}


def allowed_actions(status: str, *, curator: bool, owner: bool) -> list[str]:
    """The actions this person may take on a resource in ``status``."""
    return [
        action
        for action, move in TRANSITIONS.items()
        if status in move.sources and may_take(move, curator=curator, owner=owner)
    ]


def may_take(move: Transition, *, curator: bool, owner: bool) -> bool:
    return curator or (move.actor == Actor.OWNER and owner)


def transition(status: str, action: str) -> Transition:
    """The declared move for ``action`` from ``status``; ``Conflict`` when not allowed."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise ValueError(f"unknown resource action {action!r}")
    if status not in move.sources:
        raise Conflict(
            f"a resource that is {status.replace('_', ' ')} cannot be {action}ed"
            if not action.endswith("e")
            else f"a resource that is {status.replace('_', ' ')} cannot be {action}d",
            code="invalid_transition",
            details={"status": status, "action": action},
        )
    return move


def target_status(status: str, action: str) -> str:
    return transition(status, action).target
