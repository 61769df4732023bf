"""Schemas shared by the partner endpoints."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
from typing import Any

from django.urls import reverse
from django.utils import translation
from ninja import Field, Schema

from sdg87.core.api_i18n import requested_language
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.i18n import localized
from sdg87.partners import selectors
from sdg87.partners.models import Organisation

ISO3_PATTERN = r"^[A-Za-z]{3}$"
SLUG_PATTERN = r"^[-a-z0-9]+$"


class PartnerRefOut(Schema):
    id: int
    slug: str
    name: str
    acronym: str


class ThemeRefOut(Schema):
    slug: str
    name: str

    @staticmethod
    def resolve_name(obj: Any, context: Any) -> str:
        return localized(obj, "name", requested_language(context))


class BudgetOut(Schema):
    amount: str = Field(description='decimal amount as a string, e.g. "250000.00"')
    currency: str = Field(description="ISO 4217 code")


def page_url(context: Any, name: str, *args: Any) -> str:
    """The object's page in the requested language (``/fr/partners/…`` for ``?lang=fr``)."""
    with translation.override(requested_language(context)):
        return reverse(f"partners:{name}", args=args)


def split_codes(values: list[str] | None) -> list[str]:
    """``["KEN,UGA", "TZA"]`` → ``["KEN", "UGA", "TZA"]``."""
    codes: list[str] = []
    for value in values or []:
        codes += [code.strip() for code in value.split(",") if code.strip()]
    return codes


# Payload fields the services name otherwise.
SERVICE_ARGUMENTS = {
    "country": "country_code",
    "countries": "country_codes",
    "themes": "theme_slugs",
    "theme": "theme_slug",
}


def changed_fields(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH sent (those left out stay as they are), under the names the
    services give them (``countries`` → ``country_codes``)."""
    return {
        SERVICE_ARGUMENTS.get(name, name): value
        for name, value in payload.dict(exclude_unset=True).items()
    }


def organisation_named(actor: Any, slug: str, *, field: str = "organisation") -> Organisation:
    """The organisation a payload names by slug, as the actor may see it; a hidden or
    unknown one is bad input naming ``field`` (never telling which)."""
    try:
        return selectors.organisation_get(actor=actor, slug=slug)
    except NotFound:
        raise InvalidInput(
            "unknown organisation", details={field: f"no organisation {slug!r}"}
        ) from None
