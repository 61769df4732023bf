"""Template tags of the indicator pages that other apps' templates use.

``{% load indicator_pages %}{% country_data_section country %}`` renders a country's data section
(indicators with their latest values and progress, and the data gaps) in the country page, so
that the countries app needs no import of this one.
"""

from __future__ import annotations

from typing import Any

from django import template

from sdg87.countries.models import Country
from sdg87.indicators import page_selectors

register = template.Library()


@register.inclusion_tag("indicators/_country_data.html")
def country_data_section(country: Country) -> dict[str, Any]:
    return {"data": page_selectors.country_data(country)}
