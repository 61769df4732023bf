"""Template tags of the country profile that the country page uses.

``{% load profile_sections %}{% country_profile_sections country %}`` renders the sections
"Pathfinder roadmap and funding", "Latest published report", "Active partners" and "Key
resources" of a country, so that the countries app needs no import of this one.
"""

from __future__ import annotations

from typing import Any

from django import template

from sdg87.countries.models import Country
from sdg87.profiles import selectors

register = template.Library()


@register.inclusion_tag("profiles/_profile_sections.html", takes_context=True)
def country_profile_sections(context: template.Context, country: Country) -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "user", None)
    pathfinder = selectors.country_pathfinder(country.iso3, actor=actor)
    return {
        "country": country,
        "pathfinder": pathfinder,
        "latest_report": pathfinder["latest_report"] if pathfinder else None,
        "partners": selectors.country_partners(country),
        "resources": selectors.country_resources(country),
    }
