"""Joining a group's values with commas, which the two databases name differently: as an ORM
aggregate, and as SQL for the raw queries of hot paths (a search's hits)."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, CharField


def _function(vendor: str) -> str:
    return "STRING_AGG" if vendor == "postgresql" else "GROUP_CONCAT"


def comma_separated(vendor: str, expression: str) -> str:
    """SQL for the values of ``expression`` in a group joined with commas, in no set order
    (for values without commas, such as ISO3 codes)."""
    return f"{_function(vendor)}({expression}, ',')"


class CommaSeparated(Aggregate):
    """``comma_separated`` as an ORM aggregate."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function=_function(connection.vendor), **extra)
