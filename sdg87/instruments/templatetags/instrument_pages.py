"""Template tags of the instrument pages that other apps' templates use.

``{% load instrument_pages %}{% country_ratifications_section country %}`` renders which
instruments a country has ratified (and which not yet) in the country page, so that the
countries app needs no import of this one.
"""

from __future__ import annotations

from typing import Any

from django import template

from sdg87.countries.models import Country
from sdg87.instruments import selectors

register = template.Library()


@register.inclusion_tag("instruments/_country_ratifications.html")
def country_ratifications_section(country: Country) -> dict[str, Any]:
    return {"ratifications": selectors.ratifications_for_country(country), "country": country}
