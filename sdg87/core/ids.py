"""Ids sent by clients (lists of organisation ids and the like), before they reach a query.

A database stores ids from 1 to ``MAX_ID`` (a signed 64-bit integer): a larger or smaller
number cannot name anything, and binding it to a query would fail (SQLite refuses integers
beyond 64 bits), so such ids are answered as unknown without being looked up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sdg87.core.errors import InvalidInput

MAX_ID = 2**63 - 1


def split_ids(values: Iterable[Any], *, field: str, message: str) -> tuple[set[int], set[int]]:
    """``(ids that may exist, ids that cannot)``; ``InvalidInput`` (``message``, naming
    ``field``) when a value is not an integer."""
    try:
        wanted = {int(value) for value in values}
    except (TypeError, ValueError):
        raise InvalidInput(message, details={field: "a list of ids"}) from None
    possible = {value for value in wanted if 1 <= value <= MAX_ID}
    return possible, wanted - possible
