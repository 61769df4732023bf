"""Pages for the international instruments and their ratifications."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sdg87.core.errors import NotFound
from sdg87.countries.selectors import country_get
from sdg87.instruments import charts, selectors, standing


def _labels() -> dict[str, str]:
    """Category → label in the current language."""
    return {key: selectors.category_label(key) for key in standing.CATEGORIES}


def instrument_list(request: HttpRequest) -> HttpResponse:
    instruments = list(selectors.instrument_list())
    summaries = selectors.instrument_summaries()
    rows = [(instrument, summaries[instrument.code]) for instrument in instruments]
    return render(request, "instruments/instrument_list.html", {"rows": rows})


def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        instrument = selectors.instrument_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    standings = selectors.instrument_standings(instrument)
    summary = selectors.summarize(instrument, standings)
    context = {
        "instrument": instrument,
        "summary": summary,
        "notes": selectors.instrument_notes(instrument),
    }
    if summary.data_available:
        labels = _labels()
        points = selectors.parties_over_time(standings)
        context.update(
            standings=standings,
            legend=charts.legend(labels),
            map_data=charts.status_map(standings, labels),
            points=points,
            chart_data=charts.parties_line(points) if points else None,
        )
    return render(request, "instruments/instrument_detail.html", context)


def country_ratifications(request: HttpRequest, iso3: str) -> HttpResponse:
    try:
        country = country_get(iso3)
    except NotFound as exc:
        raise Http404(exc.message) from None
    ratifications = selectors.ratifications_for_country(iso3)
    parties = sum(1 for item in ratifications if item.is_party)
    context = {
        "country": country,
        "ratifications": ratifications,
        "parties_count": parties,
        "not_parties_count": len(ratifications) - parties,
    }
    return render(request, "instruments/country_ratifications.html", context)


def timeline(request: HttpRequest) -> HttpResponse:
    data = selectors.ratification_timeline()
    series = [
        (
            instrument.short_name,
            [data.counts.get(year, {}).get(instrument.code, 0) for year in data.years],
        )
        for instrument in data.instruments
    ]
    context = {
        "timeline": data,
        "rows": data.rows(),
        "chart_data": charts.timeline_bars(data.years, series) if data.years else None,
        "undated": [
            (instrument, data.undated[instrument.code])
            for instrument in data.instruments
            if data.undated.get(instrument.code)
        ],
    }
    return render(request, "instruments/timeline.html", context)
