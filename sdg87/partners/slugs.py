"""Slugs for organisations and action groups: readable, unique, never a page's own path."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.text import slugify

MAX_SLUG_LENGTH = 70
# Paths under /<lang>/partners/ that an organisation's slug must not take.
RESERVED = frozenset(
    {"apply", "applications", "action-groups", "pledges", "research", "new", "edit", "logo"}
)


def slug_base(name: str, fallback: str = "organisation") -> str:
    """ "Organización Internacional del Trabajo" → "organizacion-internacional-del-trabajo"."""
    base = slugify(name)[:MAX_SLUG_LENGTH].strip("-")
    return base or fallback


def unique_slug(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … the first that is neither taken nor reserved."""
    if base not in taken and base not in RESERVED:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
