"""Research coordination pages: the register, one page per project, registering with the
similar research shown first (refreshed with htmx as the form is filled), and the
evidence-gap map."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sdg87.core.errors import Conflict, InvalidInput
from sdg87.core.i18n import current_language
from sdg87.core.models import AuditSource
from sdg87.countries import selectors as country_selectors
from sdg87.partners import access, library_links, selectors, services
from sdg87.partners.forms import ResearchFilterForm, ResearchProjectForm
from sdg87.partners.views.common import (
    add_service_error,
    domain_errors,
    forbidden,
    paginate,
    query_without_page,
)

MAX_TEXT = 5000


def research_list(request: HttpRequest) -> HttpResponse:
    form = ResearchFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    region = request.GET.get("region", "").strip()
    region = region if region.isdigit() and len(region) == 3 else ""
    projects = selectors.research_project_list(
        actor=request.user,
        country=filters.get("country") or None,
        region=region or None,
        theme=filters.get("theme") or None,
        status=filters.get("status") or None,
        q=filters.get("q") or None,
    )
    context = {
        "form": form,
        "region": region,
        "page": paginate(request, projects),
        "query": query_without_page(request),
        "filtered": any(filters.values()) or bool(region),
        "can_register": bool(selectors.organisation_choices_for(request.user)),
    }
    return render(request, "partners/research_list.html", context)


@domain_errors
def research_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.research_project_get(actor=request.user, project_id=project_id)
    context = {
        "project": project,
        "can_edit": access.acts_for_approved(request.user, project.organisation),
        "similar": list(project.similar_projects.all()),
    }
    return render(request, "partners/research_detail.html", context)


def _similar_context(
    *, title: str, text: str, countries: list[str], themes: list[str], start: Any, end: Any
) -> dict[str, Any]:
    has_input = bool(title.strip() or text.strip())
    matches = (
        selectors.research_similar(
            title=title,
            text=text,
            country_codes=countries,
            theme_slugs=themes,
            start=start,
            end=end,
        )
        if has_input
        else []
    )
    return {
        "matches": matches,
        "has_input": has_input,
        "resources": selectors.similar_published_resources(
            title=title, text=text, country_codes=countries, theme_slugs=themes
        )
        if has_input
        else [],
        "library_available": library_links.LIBRARY_AVAILABLE,
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def research_register(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_choices_for(request.user)
    if not organisations:
        return forbidden(
            request, _("Only the partner editors of an approved organisation register research.")
        )
    form = ResearchProjectForm(request.POST or None, organisations=organisations)
    similar: dict[str, Any] = {"matches": [], "has_input": False}
    needs_reason = False
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.research_project_register(
                actor=request.user,
                organisation_id=data["organisation"],
                title=data["title"],
                summary=data["summary"],
                questions=data["questions"],
                methods=data["methods"],
                populations=data["populations"],
                country_codes=data["countries"],
                theme_slugs=data["themes"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                funding=data["funding"],
                contact_email=data["contact_email"],
                status=data["status"],
                similar_work_reason=data["similar_work_reason"],
                source=AuditSource.WEB,
            )
        except Conflict:
            needs_reason = True
            status = 409
            form.add_error(
                "similar_work_reason",
                _("Similar research is registered: read it above, then say why yours goes ahead."),
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The research is registered."))
            return redirect("partners:research_detail", project.pk)
    if request.method == "POST":
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        similar = _similar_context(
            title=request.POST.get("title", ""),
            text=" ".join(
                request.POST.get(field, "")[:MAX_TEXT]
                for field in ("summary", "questions", "methods")
            ),
            countries=data.get("countries") or [],
            themes=data.get("themes") or [],
            start=data.get("period_start"),
            end=data.get("period_end"),
        )
        if form.errors and status == 200:
            status = 400
    context = {"form": form, "needs_reason": needs_reason, **similar}
    return render(request, "partners/research_form.html", context, status=status)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


@require_GET
def research_similar(request: HttpRequest) -> HttpResponse:
    """The similar-research panel of the registration form (htmx fragment)."""
    start, end = (
        _date(request.GET.get("period_start", "")),
        _date(request.GET.get("period_end", "")),
    )
    if start and end and end < start:
        end = None
    context = _similar_context(
        title=request.GET.get("title", "")[:255],
        text=" ".join(
            request.GET.get(field, "")[:MAX_TEXT] for field in ("summary", "questions", "methods")
        ),
        countries=[code for code in request.GET.getlist("countries") if len(code) == 3][:50],
        themes=request.GET.getlist("themes")[:20],
        start=start,
        end=end,
    )
    return render(request, "partners/_similar_research.html", context)


def evidence_gaps(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "region")
    by = by if by in selectors.GAP_DIMENSIONS else "region"
    region = request.GET.get("region", "").strip()
    region = region if region.isdigit() and len(region) == 3 else ""
    try:
        gap_map = selectors.evidence_gap_map(
            by=by, region=region or None, language=current_language()
        )
    except InvalidInput:
        gap_map = selectors.evidence_gap_map(by=by, language=current_language())
        region = ""
    theme = request.GET.get("theme", "")
    theme_obj = next((t for t in gap_map.themes if t.slug == theme), None)
    map_data = None
    if theme_obj is not None:
        counts = selectors.theme_country_counts(theme=theme_obj.slug)
        map_data = {
            "mode": "numeric",
            "values": {code: {"value": n, "label": str(n)} for code, n in counts.items()},
            "unit": _("registered research projects"),
            "missing_label": _("no registered research"),
        }
    context = {
        "gap_map": gap_map,
        "by": by,
        "region": region,
        "regions": country_selectors.regions_for_filter(),
        "map_theme": theme_obj,
        "map_data": map_data,
    }
    return render(request, "partners/evidence_gaps.html", context)
