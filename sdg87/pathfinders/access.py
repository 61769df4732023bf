"""Who sees and who edits pathfinder content: the rules, once. Pure functions on a user and
a country code / status (the accounts permission rules underneath).

- Everyone sees the registry, non-draft roadmaps and published reports.
- Draft roadmaps and unpublished reports: only curators and the country's focal points.
  To anyone else they do not exist (a 404, never a 403), so an id reveals nothing.
- Roadmaps, priorities, actions, milestones: written by curators and the country's focal
  points (partner editors never).
- Reports: written only while editable (draft, changes requested), by the same people.
"""

from __future__ import annotations

from typing import Any

from sdg87.accounts.permissions import can_act_for_country, is_curator
from sdg87.pathfinders.models import RoadmapStatus
from sdg87.pathfinders.workflow import PUBLIC


def can_see_roadmap(actor: Any, *, iso3: str, status: str) -> bool:
    return status != RoadmapStatus.DRAFT or can_act_for_country(actor, iso3)


def can_see_report(actor: Any, *, iso3: str, status: str) -> bool:
    return status in PUBLIC or can_act_for_country(actor, iso3)


def sees_everything(actor: Any) -> bool:
    return is_curator(actor)
