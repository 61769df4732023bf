"""Counts that every loader and importer reports: created, updated, unchanged, rejected."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class LoadReport:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        """Add one to ``created``, ``updated`` or ``unchanged``."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
