"""Country pages: the list with filters and one page per country."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sdg87.core.errors import NotFound
from sdg87.countries import selectors

M49_CODE = re.compile(r"\d{3}")


def country_list(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()
    if not M49_CODE.fullmatch(region):
        region = ""
    query = request.GET.get("q", "").strip()[:100]
    countries = selectors.sorted_by_name(
        selectors.country_list(region=region or None, q=query or None)
    )
    context = {
        "countries": countries,
        "regions": selectors.regions_for_filter(),
        "selected_region": region,
        "query": query,
    }
    return render(request, "countries/country_list.html", context)


def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    try:
        country = selectors.country_get(iso3)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(request, "countries/country_detail.html", {"country": country})
