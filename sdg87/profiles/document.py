"""The country profile as a printable document: labels and values in the active language,
laid out by :mod:`sdg87.profiles.pdf`. No ORM: it reads a :class:`CountryProfile`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from sdg87.profiles.pdf import Banner, Block, Facts, Paragraph, PdfDocument, Section, Table
from sdg87.profiles.selectors import CountryProfile

PROGRESS_METHODS = ("open_sdg", "unsd")
DASH = "—"


def profile_document(
    profile: CountryProfile,
    *,
    language: str,
    generated_at: datetime.datetime,
    page_url: str,
    absolute_url: Callable[[str], str],
) -> PdfDocument:
    """``page_url`` is the absolute address of the country page; ``absolute_url`` turns a
    path of the site into an absolute address."""
    country = profile.country
    generated = generated_at.astimezone(datetime.UTC)
    when = f"{date_format(generated.date(), 'DATE_FORMAT')} {generated:%H:%M} UTC"
    return PdfDocument(
        language=language,
        title=country.name,
        subtitle=_("Country profile on SDG Target 8.7, generated on %(date)s") % {"date": when},
        links=(Paragraph(page_url, url=page_url),),
        sections=(
            _indicators(profile),
            _ratifications(profile),
            _pathfinder(profile, absolute_url),
            _latest_report(profile, absolute_url),
            _partners(profile, absolute_url),
            _resources(profile, absolute_url),
        ),
        footer=f"sdg87 · {country.name} ({country.iso3})",
        page_label=_("Page %(page)s of %(pages)s"),
    )


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return DASH
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).date()
    return date_format(value, "DATE_FORMAT")


def _usd(value: Decimal | float | None) -> str:
    if value is None:
        return DASH
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _indicators(profile: CountryProfile) -> Section:
    heading = _("Data on Target 8.7 and related targets")
    if not profile.indicators:
        return Section(
            heading,
            (
                Paragraph(
                    _("No indicator data for %(name)s yet.") % {"name": profile.country.name},
                    muted=True,
                ),
            ),
        )
    rows = []
    for item in profile.indicators:
        labels = item.get("progress_labels") or {}
        value = item.get("latest_label") or ""
        if value and item.get("unit"):
            value = f"{value} {item['unit']}"
        if value and item.get("headline_breakdown_label"):
            value = f"{value} ({item['headline_breakdown_label']})"
        rows.append(
            [
                f"{item['code']} {item['title']}",
                value or _("disaggregated only"),
                str(item.get("latest_period") or item["latest_year"]),
                *(labels.get(method) or _("Unable to assess") for method in PROGRESS_METHODS),
            ]
        )
    columns = [
        _("Indicator"),
        _("Latest value"),
        _("Period"),
        _("Progress (Open SDG)"),
        _("Progress (UNSD)"),
    ]
    return Section(heading, (Table(columns, rows, widths=(40, 15, 10, 17, 17)),))


def _ratifications(profile: CountryProfile) -> Section:
    rows = [
        [
            f"{row.get('instrument_name') or row['instrument']} ({row['instrument']})",
            row.get("status_label") or row["status"],
            row["date"] or DASH,
            row["source"] or DASH,
        ]
        for row in profile.ratifications
    ]
    columns = [_("Instrument"), _("Status"), _("Date"), _("Source")]
    return Section(_("International instruments"), (Table(columns, rows, widths=(40, 22, 15, 23)),))


def _pathfinder(profile: CountryProfile, absolute_url: Callable[[str], str]) -> Section:
    heading = _("Pathfinder roadmap and funding")
    pathfinder = profile.pathfinder
    if pathfinder is None:
        text = _("%(name)s is not a pathfinder country of Alliance 8.7.") % {
            "name": profile.country.name
        }
        return Section(heading, (Paragraph(text, muted=True),))
    blocks: list[Block] = []
    if pathfinder["example"]:
        blocks.append(Banner(_("EXAMPLE — not real data")))
    facts = [
        (_("Pathfinder status"), str(pathfinder["status_label"])),
        (_("Date joined"), _date(pathfinder.get("joined_on"))),
        (_("Reporting timeliness"), str(pathfinder["timeliness_label"])),
    ]
    roadmap = pathfinder.get("roadmap")
    if roadmap:
        facts.append((_("Roadmap"), _roadmap_text(roadmap)))
        facts.append((_("Actions"), _actions_text(pathfinder)))
    else:
        facts.append((_("Roadmap"), _("No roadmap has been published yet.")))
    blocks.append(Facts(facts))
    if roadmap:
        funding = pathfinder["funding"]
        columns = [_("Planned"), _("Secured"), _("Spent"), _("Funding gap")]
        values = [
            _usd(funding.get(key)) for key in ("planned_usd", "secured_usd", "spent_usd", "gap_usd")
        ]
        blocks.append(Paragraph(_("Funding of the roadmap's actions (US dollars)")))
        blocks.append(Table(columns, [values]))
        if funding.get("missing_rates"):
            blocks.append(
                Paragraph(
                    _(
                        "Amounts in %(codes)s are left out: there is no exchange rate to US "
                        "dollars for them."
                    )
                    % {"codes": ", ".join(funding["missing_rates"])},
                    muted=True,
                )
            )
    if pathfinder.get("url"):
        url = absolute_url(pathfinder["url"])
        blocks.append(Paragraph(f"{_('Pathfinder page')}: {url}", url=url))
    return Section(heading, blocks)


def _roadmap_text(roadmap: dict[str, Any]) -> str:
    text = (
        f"{roadmap['title']} ({roadmap['period_start']}–{roadmap['period_end']}), "
        f"{roadmap['status_label']}"
    )
    if roadmap.get("adopted_on"):
        text += ", " + _("adopted %(date)s") % {"date": _date(roadmap["adopted_on"])}
    return text


def _actions_text(pathfinder: dict[str, Any]) -> str:
    total = pathfinder["actions_total"]
    text = str(total)
    share = pathfinder.get("actions_on_track_share")
    if share is not None:
        text += "; " + _("%(share)s%% on track or done") % {"share": round(share * 100)}
    return text


def _latest_report(profile: CountryProfile, absolute_url: Callable[[str], str]) -> Section:
    heading = _("Latest published report")
    report = profile.latest_report
    if report is None:
        if profile.pathfinder is None:
            text = _("Annual reports are published by pathfinder countries; this country has none.")
        else:
            text = _("No annual report has been published yet.")
        return Section(heading, (Paragraph(text, muted=True),))
    blocks: list[Block] = []
    if profile.pathfinder and profile.pathfinder["example"]:
        blocks.append(Banner(_("EXAMPLE — not real data")))
    title = _("Annual report %(year)s (version %(version)s)") % {
        "year": report["year"],
        "version": report["version"],
    }
    if report.get("published_at"):
        title += ", " + _("published %(date)s") % {"date": _date(report["published_at"])}
    blocks.append(Paragraph(title))
    if report.get("url"):
        url = absolute_url(report["url"])
        blocks.append(Paragraph(url, url=url))
    return Section(heading, blocks)


def _partners(profile: CountryProfile, absolute_url: Callable[[str], str]) -> Section:
    heading = _("Active partners")
    if not profile.partners:
        text = _("No approved partner is based in %(name)s or has an active pledge for it yet.") % {
            "name": profile.country.name
        }
        return Section(heading, (Paragraph(text, muted=True),))
    rows = [
        [
            f"{partner['name']} ({partner['acronym']})" if partner["acronym"] else partner["name"],
            partner["kind_label"],
            partner["reason_label"],
            str(partner["active_pledges"]),
        ]
        for partner in profile.partners
    ]
    columns = [_("Organisation"), _("Kind"), _("Why listed"), _("Active pledges")]
    links = [absolute_url(partner["url"]) for partner in profile.partners]
    return Section(heading, (Table(columns, rows, widths=(40, 25, 22, 13), links=links),))


def _resources(profile: CountryProfile, absolute_url: Callable[[str], str]) -> Section:
    heading = _("Key resources")
    if not profile.resources:
        text = _("The library has no published resource on %(name)s yet.") % {
            "name": profile.country.name
        }
        return Section(heading, (Paragraph(text, muted=True),))
    rows = [
        [resource["title"], resource["type_label"], str(resource["year"] or DASH)]
        for resource in profile.resources
    ]
    columns = [_("Title"), _("Type"), _("Year")]
    links = [absolute_url(resource["url"]) for resource in profile.resources]
    return Section(heading, (Table(columns, rows, widths=(65, 25, 10), links=links),))
