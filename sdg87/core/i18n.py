"""Helpers for fields stored once per UI language (``name_en``, ``name_fr``, ``name_es``)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

UI_LANGUAGES = ("en", "fr", "es")


def current_language() -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return language if language in UI_LANGUAGES else "en"


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>``, falling back to English when that text is empty."""
    language = language or current_language()
    value = getattr(obj, f"{field}_{language}", "") or ""
    return value or getattr(obj, f"{field}_en", "") or ""


class LocalizedNameMixin:
    """Adds ``.name`` for models with ``name_en``/``name_fr``/``name_es``."""

    @property
    def name(self) -> str:
        return localized(self, "name")
