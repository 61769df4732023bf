"""Pages for the international instruments and their ratifications."""

from __future__ import annotations

from html import escape
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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
        table_rows = _table_rows(standings, labels)
        context.update(
            standings=standings,
            table_rows=table_rows,
            table_body=_table_body(table_rows, reverse("instruments:list") + "countries/"),
            legend=charts.legend(labels),
            map_data=charts.status_map(standings, labels),
            points=points,
            chart_data=charts.parties_line(points) if points else None,
        )
    return render(request, "instruments/instrument_detail.html", context)


def _table_rows(
    standings: list[selectors.Standing], labels: dict[str, str]
) -> list[dict[str, Any]]:
    """The cells of the instrument page's table of every country, as plain strings: a few
    hundred rows, each formatted here once instead of through template tags, includes and
    translation lookups per cell (the page's main cost before, benchmarks/load.md);
    :func:`_table_body` escapes them."""
    kinds = selectors.kind_labels()
    statuses = selectors.status_labels()
    denounced, as_of = _("denounced %(year)s"), _("as of %(date)s")
    rows = []
    for item in standings:
        record = item.chosen
        category = item.category
        row = {
            "iso3": item.country.iso3,
            "name": item.country.name,
            "category": category,
            "label": labels[category],
            "denounced": "",
            "date": "—",
            "kind": "—",
            "source": "—",
            "as_of": "",
            "others": "—",
        }
        if record is not None:
            if record.denounced_display:
                row["denounced"] = denounced % {"year": record.denounced_display}
            row["date"] = record.date_display or "—"
            row["kind"] = kinds.get(record.kind, record.kind)
            row["source"] = record.source
            if record.source_as_of:
                row["as_of"] = as_of % {"date": record.source_as_of.year}
        others = [
            f"{other.source}: {statuses.get(other.status, other.status).lower()}"
            + (f" ({kinds.get(other.kind, other.kind).lower()})" if other.is_signature else "")
            + (f" {other.date_display}" if other.date_display else "")
            for other in item.records[1:]
        ]
        if others:
            row["others"] = "; ".join(others)
        rows.append(row)
    return rows


def _table_body(rows: list[dict[str, Any]], country_url: str) -> SafeString:
    """The ``<tr>`` of the table of every country, each value escaped (``html.escape``, as
    the template's autoescape): a few hundred rows joined in Python take a millisecond, through
    the template engine they took most of the page's time."""
    parts = []
    for row in rows:
        iso3, category = escape(row["iso3"]), escape(row["category"])
        denounced = f" ({escape(row['denounced'])})" if row["denounced"] else ""
        as_of = f' <span class="as-of">({escape(row["as_of"])})</span>' if row["as_of"] else ""
        parts.append(
            f'<tr data-iso3="{iso3}" data-status="{category}">'
            f'<th scope="row"><a href="{escape(country_url)}{iso3}/">{escape(row["name"])}</a></th>'
            f'<td><span class="status-key status-{category}" aria-hidden="true"></span>'
            f"{escape(row['label'])}{denounced}</td>"
            f"<td>{escape(row['date'])}</td><td>{escape(row['kind'])}</td>"
            f"<td>{escape(row['source'])}{as_of}</td><td>{escape(row['others'])}</td></tr>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


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
