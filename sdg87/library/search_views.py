"""The library's search page ``/<lang>/library/``: search box, facets, results, pagination.

With htmx (``HX-Request``), only the results region is rendered and swapped in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sdg87.core.i18n import current_language
from sdg87.library.search import SearchFilters, SearchResult, resource_search

PAGE_SIZE = 20
MAX_PAGE = 10_000
# Filter parameters (also the facet names of the search result, except where noted).
FILTER_PARAMS = {
    "type": "type",
    "language": "language",
    "year": "year",
    "country": "country",
    "region": "region",
    "theme": "theme",
    "target": "target",
    "organisation": "organisation",
}
FACET_TITLES = {
    "type": _("Type"),
    "language": _("Language"),
    "year": _("Year"),
    "country": _("Country"),
    "region": _("Region"),
    "theme": _("Theme"),
    "target": _("SDG target"),
    "organisation": _("Organisation"),
}
FACET_VALUES_SHOWN = 12


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str


def _int(value: str | None, *, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _url(params: QueryDict) -> str:
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _toggle(params: QueryDict, name: str, value: str) -> str:
    changed = params.copy()
    values = changed.getlist(name)
    changed.setlist(
        name, [v for v in values if v != value] if value in values else [*values, value]
    )
    changed.pop("page", None)
    return _url(changed)


def _facet_links(result: SearchResult, params: QueryDict) -> list[dict[str, Any]]:
    groups = []
    for kind, values in result.facets.items():
        selected = set(params.getlist(kind))
        if not values:
            continue
        links = [
            FacetLink(
                label=value.label,
                count=value.count,
                selected=value.value in selected,
                url=_toggle(params, kind, value.value),
            )
            for value in values
        ]
        shown = links[:FACET_VALUES_SHOWN]
        shown += [link for link in links[FACET_VALUES_SHOWN:] if link.selected]
        groups.append({"kind": kind, "title": FACET_TITLES.get(kind, kind), "links": shown})
    return groups


def _page_links(result: SearchResult, params: QueryDict) -> dict[str, str | None]:
    def page_url(number: int) -> str:
        changed = params.copy()
        changed["page"] = str(number)
        return _url(changed)

    return {
        "previous": page_url(result.page - 1) if result.page > 1 else None,
        "next": page_url(result.page + 1) if result.page < result.pages else None,
    }


def library_search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    query = params.get("q", "")
    years = [year for v in params.getlist("year") if (year := _int(v, low=0, high=9999))]
    year_from = _int(params.get("year_from"), low=0, high=9999)
    year_to = _int(params.get("year_to"), low=0, high=9999)
    if years:
        year_from, year_to = min(years), max(years)
    sort = params.get("sort") if params.get("sort") in ("relevance", "date") else "relevance"
    result = resource_search(
        query=query,
        filters=SearchFilters(
            types=params.getlist("type"),
            languages=params.getlist("language"),
            countries=params.getlist("country"),
            regions=params.getlist("region"),
            themes=params.getlist("theme"),
            targets=params.getlist("target"),
            organisations=params.getlist("organisation"),
            year_from=year_from,
            year_to=year_to,
        ),
        sort=sort,
        page=_int(params.get("page"), low=1, high=MAX_PAGE) or 1,
        page_size=PAGE_SIZE,
        viewer=request.user,
        ui_language=current_language(),
    )
    active = [
        {"label": link.label, "url": link.url}
        for group in _facet_links(result, params)
        for link in group["links"]
        if link.selected
    ]
    context = {
        "query": result.query,
        "result": result,
        "sort": sort,
        "facet_groups": _facet_links(result, params),
        "active_filters": active,
        "pages": _page_links(result, params),
        "first_rank": (result.page - 1) * result.page_size + 1,
        "sort_relevance_url": _url(_with(params, sort="relevance")),
        "sort_date_url": _url(_with(params, sort="date")),
        "hidden_filters": [
            (name, value)
            for name in (*FILTER_PARAMS, "year_from", "year_to")
            for value in params.getlist(name)
        ],
    }
    template = (
        "library/search_results.html"
        if request.headers.get("HX-Request")
        else "library/search.html"
    )
    return render(request, template, context)


def _with(params: QueryDict, **values: str) -> QueryDict:
    changed = params.copy()
    for name, value in values.items():
        changed[name] = value
    changed.pop("page", None)
    return changed
