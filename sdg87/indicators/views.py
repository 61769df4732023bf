"""Indicator pages: the list, one page per indicator (chart, table, map, metadata, downloads,
progress), the coverage and data-gap view, and the curators' upload page."""

from __future__ import annotations

import logging
import re
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.accounts import permissions
from sdg87.core.errors import DomainError, NotFound
from sdg87.core.models import AuditSource
from sdg87.countries import selectors as country_selectors
from sdg87.indicators import coverage as coverage_selectors
from sdg87.indicators import page_selectors
from sdg87.indicators.importers import FORMATS, SourceFile
from sdg87.indicators.models import IndicatorKind
from sdg87.indicators.services.observations import ObservationImportError, observations_import

logger = logging.getLogger(__name__)

M49_CODE = re.compile(r"\d{3}")
AREA_CODE = re.compile(r"[A-Za-z]{3}|\d{3}")
YEAR = re.compile(r"\d{4}")


def _year(request: HttpRequest) -> int | None:
    year = request.GET.get("year", "").strip()
    return int(year) if YEAR.fullmatch(year) else None


def _area_code(request: HttpRequest) -> str:
    code = request.GET.get("country", "").strip()
    return code.upper() if AREA_CODE.fullmatch(code) else ""


def indicator_list(request: HttpRequest) -> HttpResponse:
    context = {
        "groups": page_selectors.indicator_groups(),
        "can_import": permissions.is_curator(request.user),
    }
    return render(request, "indicators/indicator_list.html", context)


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    canonical = page_selectors.canonical_code(code)
    if canonical and canonical != code:
        query = request.META.get("QUERY_STRING", "")
        target = reverse("indicators:detail", args=[canonical]) + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(target)
    try:
        page = page_selectors.indicator_page(
            code, area_code=_area_code(request), year=_year(request)
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    context = {
        "page": page,
        "indicator": page.indicator,
        "chart_data": page.chart_payload(),
        "map_data": page.map.payload(_("No data")),
    }
    return render(request, "indicators/indicator_detail.html", context)


def indicator_map(request: HttpRequest, code: str) -> HttpResponse:
    """The map of one year and its table (the part of the indicator page htmx swaps)."""
    try:
        indicator = page_selectors.indicator_for_page(code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    year_map = page_selectors.map_by_year(indicator, _year(request))
    context = {
        "indicator": indicator,
        "map": year_map,
        "map_data": year_map.payload(_("No data")),
    }
    return render(request, "indicators/_map_result.html", context)


def coverage(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "").strip()
    if not M49_CODE.fullmatch(region):
        region = ""
    kind = request.GET.get("kind", "").strip()
    if kind not in IndicatorKind.values:
        kind = ""
    with_data_only = request.GET.get("with_data") == "1"
    matrix = coverage_selectors.coverage_matrix(
        region=region or None, kind=kind or None, with_data_only=with_data_only
    )
    gaps_country = None
    gaps = []
    gaps_code = request.GET.get("gaps", "").strip()
    if gaps_code:
        try:
            gaps_country = country_selectors.country_get(gaps_code)
        except NotFound:
            gaps_country = None
        else:
            gaps = coverage_selectors.data_gaps(country=gaps_country, kind=kind or None)
    availability = {
        "mode": "numeric",
        "unit": _("indicators with data"),
        "missing_label": _("No data"),
        "values": {
            row.country.iso3: {
                "value": row.indicators_with_data,
                "label": str(row.indicators_with_data),
                "name": row.country.name,
            }
            for row in matrix.rows
            if row.indicators_with_data
        },
    }
    context = {
        "matrix": matrix,
        "regions": country_selectors.regions_for_filter(),
        "kinds": IndicatorKind.choices,
        "selected_region": region,
        "selected_kind": kind,
        "with_data_only": with_data_only,
        "gaps_country": gaps_country,
        "gaps_code": gaps_code,
        "gaps": gaps,
        "countries": country_selectors.sorted_by_name(country_selectors.country_list()),
        "availability": availability,
    }
    return render(request, "indicators/coverage.html", context)


# --- the curators' upload page ---------------------------------------------------------------

MAX_UPLOAD_FILES = 20
MAX_UPLOAD_FILE_BYTES = 50 * 1024 * 1024
MAX_UPLOAD_TOTAL_BYTES = 200 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".yml", ".yaml")
ZIP_SIGNATURE = b"PK\x03\x04"
FORMAT_LABELS = {
    "auto": gettext_lazy("Detect from each file"),
    "open-sdg": gettext_lazy("Open SDG (indicator_8-7-1.csv, meta_8-7-1.yml)"),
    "sdmx-csv": gettext_lazy("SDMX-CSV (UN SDG series)"),
    "csv": gettext_lazy("Tidy CSV template"),
    "xlsx": gettext_lazy("Tidy XLSX template"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files (Django's recipe for ``<input type="file" multiple>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ObservationUploadForm(forms.Form):
    """The options of ``sdg87 import-observations``. Shape only: the import service decides
    what a file may contain; this form refuses what should never reach it (too many or too
    large files, files of another kind)."""

    files = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "Up to 20 files of CSV, XLSX or Open SDG metadata (YAML), 50 MB each at most."
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[(value, FORMAT_LABELS.get(value, value)) for value in FORMATS],
        initial="auto",
    )
    indicator = forms.CharField(
        label=gettext_lazy("Indicator"),
        required=False,
        max_length=64,
        help_text=gettext_lazy(
            "For files that do not name it (e.g. 8.7.1). Open SDG files name it in the file name."
        ),
    )
    country = forms.RegexField(
        label=gettext_lazy("Country"),
        required=False,
        regex=r"^[A-Za-z]{3}$",
        max_length=3,
        help_text=gettext_lazy("ISO3 code of the country whose national files these are."),
        error_messages={"invalid": gettext_lazy("Enter an ISO 3166-1 alpha-3 code, e.g. KEN.")},
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Recorded with every observation that names no source."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only (dry run): validate the files and write nothing"),
        required=False,
        initial=True,
    )

    def clean_files(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["files"]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("At most %(count)d files at once.") % {"count": MAX_UPLOAD_FILES}
            )
        problems = []
        for upload in files:
            name = upload.name or ""
            if not name.lower().endswith(UPLOAD_SUFFIXES):
                problems.append(_("%(name)s: not a CSV, XLSX or YAML file.") % {"name": name})
            elif upload.size > MAX_UPLOAD_FILE_BYTES:
                problems.append(
                    _("%(name)s: larger than %(limit)s.")
                    % {"name": name, "limit": filesizeformat(MAX_UPLOAD_FILE_BYTES)}
                )
            elif name.lower().endswith(".xlsx") and not _starts_with(upload, ZIP_SIGNATURE):
                problems.append(
                    _("%(name)s: not an XLSX workbook (it is not a zip archive).") % {"name": name}
                )
        if sum(upload.size for upload in files) > MAX_UPLOAD_TOTAL_BYTES:
            problems.append(
                _("The files together are larger than %(limit)s.")
                % {"limit": filesizeformat(MAX_UPLOAD_TOTAL_BYTES)}
            )
        if problems:
            raise forms.ValidationError(problems)
        return files


def _starts_with(upload: UploadedFile, signature: bytes) -> bool:
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    return head == signature


def _source_files(uploads: list[UploadedFile]) -> list[SourceFile]:
    sources = []
    for upload in uploads:
        upload.seek(0)
        sources.append(SourceFile(name=upload.name or "upload", content=upload.read()))
    return sources


def observations_upload(request: HttpRequest) -> HttpResponse:
    """Curators upload observation files and get the import service's validation report."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.is_curator(request.user):
        context = {
            "title": _("Access denied"),
            "message": _("Only curators and administrators may import data."),
        }
        return render(request, "accounts/forbidden.html", context, status=403)
    report = None
    failure = ""
    if request.method == "POST":
        form = ObservationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            options = form.cleaned_data
            try:
                report = observations_import(
                    files=_source_files(options["files"]),
                    format=options["format"],
                    indicator=options["indicator"] or None,
                    country=options["country"] or None,
                    source=options["source"] or None,
                    dry_run=options["dry_run"],
                    actor=request.user,
                    audit_source=AuditSource.WEB,
                )
            except ObservationImportError as error:
                report = error.report
            except DomainError as error:
                failure = error.message
            except Exception:  # a file no reader foresaw must never give a 500
                logger.exception("observation upload failed")
                failure = _("The files could not be read. Check their format and encoding.")
    else:
        form = ObservationUploadForm()
    context = {"form": form, "report": report, "failure": failure}
    response = render(request, "indicators/observations_upload.html", context)
    response["Cache-Control"] = "no-store"
    return response
