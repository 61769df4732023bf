"""Pledge pages: the list with filters and traffic lights, one page per pledge with its
progress updates, and the forms partner editors use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.partners import access, pathfinder_links, selectors, services
from sdg87.partners.downloads import evidence_download
from sdg87.partners.forms import (
    PledgeFilterForm,
    PledgeForm,
    PledgeUpdateForm,
    codes,
    uploaded_bytes,
)
from sdg87.partners.models import Pledge
from sdg87.partners.staleness import Staleness
from sdg87.partners.views.common import (
    add_service_error,
    domain_errors,
    forbidden,
    paginate,
    query_without_page,
)


def pledge_list(request: HttpRequest) -> HttpResponse:
    form = PledgeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    pledges = selectors.pledge_list(
        country=filters.get("country") or None,
        theme=filters.get("theme") or None,
        status=filters.get("status") or None,
        staleness=filters.get("staleness") or None,
        q=filters.get("q") or None,
    )
    context = {
        "form": form,
        "page": paginate(request, pledges),
        "query": query_without_page(request),
        "filtered": any(filters.values()),
        "lights": Staleness,
        "can_pledge": selectors.organisation_choices_for(request.user) != [],
    }
    return render(request, "partners/pledge_list.html", context)


@domain_errors
def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = selectors.pledge_get(pledge_id)
    context = {
        "pledge": pledge,
        "updates": list(pledge.updates.all()),
        "can_edit": access.acts_for_approved(request.user, pledge.owner),
        "roadmap_priorities": pathfinder_links.pledge_roadmap_priorities(
            pledge_id=pledge.pk, actor=request.user
        ),
        "pathfinders_available": pathfinder_links.PATHFINDERS_AVAILABLE,
    }
    return render(request, "partners/pledge_detail.html", context)


def _pledge_arguments(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "description": data["description"],
        "deliverables": data["deliverables"],
        "indicators_text": data["indicators_text"],
        "indicator_codes": codes(data["indicator_codes"]),
        "deadline": data["deadline"],
        "budget_amount": data["budget_amount"] or None,
        "budget_currency": data["budget_currency"],
        "country_codes": data["countries"],
        "theme_slugs": data["themes"],
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def pledge_create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_choices_for(request.user)
    if not organisations:
        return forbidden(
            request, _("Only the partner editors of an approved organisation record pledges.")
        )
    form = PledgeForm(
        request.POST or None,
        organisations=organisations,
        priorities=pathfinder_links.priority_choices(actor=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the pledge and its priorities, or neither
                pledge = services.pledge_create(
                    actor=request.user,
                    organisation_id=form.cleaned_data["organisation"],
                    source=AuditSource.WEB,
                    **_pledge_arguments(form.cleaned_data),
                )
                _link_priorities(request, pledge.pk, form)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The pledge is recorded."))
            return redirect("partners:pledge_detail", pledge.pk)
    return render(
        request,
        "partners/pledge_form.html",
        {"form": form, "pledge": None},
        status=400 if form.errors else 200,
    )


def _initial(pledge: Pledge) -> dict[str, Any]:
    return {
        "title": pledge.title,
        "description": pledge.description,
        "deliverables": pledge.deliverables,
        "indicators_text": pledge.indicators_text,
        "indicator_codes": ", ".join(i.code for i in pledge.indicators.all()),
        "deadline": pledge.deadline,
        "budget_amount": pledge.budget_amount if pledge.budget_amount is not None else "",
        "budget_currency": pledge.budget_currency,
        "countries": [country.iso3 for country in pledge.countries.all()],
        "themes": [theme.slug for theme in pledge.themes.all()],
        "status": pledge.status,
        "roadmap_priorities": [
            str(pk) for pk in pledge.roadmap_priorities.values_list("pk", flat=True)
        ],
    }


def _link_priorities(request: HttpRequest, pledge_id: int, form: PledgeForm) -> None:
    if "roadmap_priorities" in form.fields:
        services.pledge_link_priorities(
            actor=request.user,
            pledge_id=pledge_id,
            priority_ids=[int(value) for value in form.cleaned_data["roadmap_priorities"]],
            source=AuditSource.WEB,
        )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def pledge_edit(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = selectors.pledge_for_change(actor=request.user, pledge_id=pledge_id)
    form = PledgeForm(
        request.POST or None,
        initial=_initial(pledge),
        editing=True,
        priorities=pathfinder_links.priority_choices(actor=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the edit and its priorities, or neither
                services.pledge_edit(
                    actor=request.user,
                    pledge_id=pledge.pk,
                    status=form.cleaned_data["status"] or None,
                    source=AuditSource.WEB,
                    **_pledge_arguments(form.cleaned_data),
                )
                _link_priorities(request, pledge.pk, form)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The pledge is saved."))
            return redirect("partners:pledge_detail", pledge.pk)
    return render(
        request,
        "partners/pledge_form.html",
        {"form": form, "pledge": pledge},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def pledge_update_add(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = selectors.pledge_for_change(actor=request.user, pledge_id=pledge_id)
    form = PledgeUpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("evidence_file")
        content = uploaded_bytes(upload)
        try:
            services.pledge_progress_report(
                actor=request.user,
                pledge_id=pledge.pk,
                text=data["text"],
                evidence_url=data["evidence_url"],
                evidence_file=services.EvidenceFile(content, upload.name)
                if content is not None and upload is not None
                else None,
                status=data["status"] or None,
                source=AuditSource.WEB,
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The progress update is recorded."))
            return redirect("partners:pledge_detail", pledge.pk)
    return render(
        request,
        "partners/pledge_update_form.html",
        {"form": form, "pledge": pledge},
        status=400 if form.errors else 200,
    )


@domain_errors
def pledge_evidence(request: HttpRequest, pledge_id: int, update_id: int) -> HttpResponse:
    """An evidence file, always as a download."""
    update = selectors.pledge_update_get(update_id)
    if update.pledge_id != pledge_id or not update.evidence_file:
        raise Http404("no evidence file")
    response = evidence_download(update.evidence_file.name)
    if response is None:
        raise Http404("no evidence file")
    return response
