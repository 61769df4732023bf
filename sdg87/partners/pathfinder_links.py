"""Where pledges meet pathfinder roadmaps — which do not exist yet.

A pledge may support priorities of a pathfinder country's roadmap. The pathfinders app is
another issue; when it lands, ``Pledge`` gains a many-to-many link to roadmap priorities (a
migration here, written through the pathfinders selectors) and this function returns them.
"""

from __future__ import annotations

from typing import Any

PATHFINDERS_AVAILABLE = False


def pledge_roadmap_priorities(*, pledge_id: int) -> list[Any]:
    """The roadmap priorities a pledge supports (none until the pathfinders app exists)."""
    return []
