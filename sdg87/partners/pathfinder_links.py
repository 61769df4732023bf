"""Where pledges meet pathfinder roadmaps: a pledge may support priorities of a pathfinder
country's roadmap (``Pledge.roadmap_priorities``; set by ``services.pledge_link_priorities``).
"""

from __future__ import annotations

from typing import Any

PATHFINDERS_AVAILABLE = True


def pledge_roadmap_priorities(*, pledge_id: int, actor: Any = None) -> list[dict[str, Any]]:
    """The roadmap priorities a pledge supports that ``actor`` may see (public: those of
    adopted or completed roadmaps): id, title, country (ISO3) and roadmap id."""
    from sdg87.pathfinders.selectors import priorities_of_pledge

    return priorities_of_pledge(pledge_id=pledge_id, actor=actor)


def priority_choices(*, actor: Any) -> list[tuple[str, str]]:
    """The roadmap priorities ``actor`` may link a pledge to, for the pledge form."""
    from sdg87.pathfinders.selectors import priority_choices as choices

    return choices(actor=actor)
