"""Full-text search over resources: one interface, one backend per database.

``index_resources`` / ``unindex_resources`` are called by the ingestion services inside
their transaction; ``resource_search`` answers every search (pages, API, CLI).
The search helper replaces these first definitions with the real backends.
"""

from __future__ import annotations

from collections.abc import Iterable


def index_resources(resource_ids: Iterable[int]) -> None:
    """(Re)index these resources; called in the writer's transaction."""


def unindex_resources(resource_ids: Iterable[int]) -> None:
    """Remove these resources from the index."""
