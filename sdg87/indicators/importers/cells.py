"""Cached parsing of the cells that repeat down a file (periods, units, areas, dimensions)."""

from __future__ import annotations

from sdg87.indicators.importers.base import (
    DimensionsCache,
    clean_text,
    parse_period,
    parse_unit_multiplier,
)


class CellParser:
    """Parses each distinct cell text once; shares equal strings between rows."""

    def __init__(self) -> None:
        self._periods: dict[str, tuple[str, int, str] | None] = {}
        self._multipliers: dict[str, int | None] = {}
        self._strings: dict[str, str] = {}
        self._cleaned: dict[str, str] = {}
        self.dimensions = DimensionsCache()

    def clean(self, text: str) -> str:
        """``clean_text`` of a cell, computed once per distinct text (and shared)."""
        try:
            return self._cleaned[text]
        except KeyError:
            cleaned = self.shared(clean_text(text))
            if len(self._cleaned) < 100_000:  # free text (footnotes) must not grow it forever
                self._cleaned[text] = cleaned
            return cleaned

    def period(self, text: str) -> tuple[str, int, str] | None:
        try:
            return self._periods[text]
        except KeyError:
            result = parse_period(text.strip())
            self._periods[text] = result
            return result

    def multiplier(self, text: str) -> int | None:
        try:
            return self._multipliers[text]
        except KeyError:
            result = parse_unit_multiplier(text)
            self._multipliers[text] = result
            return result

    def shared(self, text: str) -> str:
        """The same string object for equal texts (saves memory on long files)."""
        return self._strings.setdefault(text, text)
