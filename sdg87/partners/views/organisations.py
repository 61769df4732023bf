"""Partner pages: the directory, one page per partner, its logo, applying to join, editing a
profile, and the curators' review of applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sdg87.accounts import permissions
from sdg87.core.errors import Conflict, InvalidInput
from sdg87.core.models import AuditSource
from sdg87.partners import library_links, selectors, services, workflow
from sdg87.partners.forms import (
    DirectoryFilterForm,
    OrganisationApplyForm,
    OrganisationEditForm,
    ReviewForm,
    uploaded_bytes,
)
from sdg87.partners.models import OrganisationKind
from sdg87.partners.views.common import (
    add_service_error,
    domain_errors,
    paginate,
    query_without_page,
)

LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


def directory(request: HttpRequest) -> HttpResponse:
    groups = [(group.slug, group.name) for group in selectors.action_group_list()]
    form = DirectoryFilterForm(request.GET or None, groups=groups)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list(
        kind=filters.get("kind") or None,
        country=filters.get("country") or None,
        action_group=filters.get("action_group") or None,
        q=filters.get("q") or None,
    )
    context = {
        "form": form,
        "page": paginate(request, organisations),
        "query": query_without_page(request),
        "filtered": any(filters.values()),
        "kinds": OrganisationKind,
    }
    return render(request, "partners/directory.html", context)


@domain_errors
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(actor=request.user, slug=slug)
    context = {
        "organisation": organisation,
        "memberships": selectors.action_groups_of(organisation_id=organisation.pk),
        "pledges": selectors.pledge_list(organisation=organisation.slug),
        "projects": selectors.research_project_list(
            actor=request.user, organisation=organisation.slug
        ),
        "resources": library_links.organisation_resources(organisation_id=organisation.pk),
        "library_available": library_links.LIBRARY_AVAILABLE,
        "can_edit": permissions.can_act_for_organisation(request.user, organisation.pk),
        "can_review": permissions.is_curator(request.user)
        and bool(workflow.allowed_actions(organisation.status)),
    }
    return render(request, "partners/organisation_detail.html", context)


@domain_errors
def organisation_logo(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(actor=request.user, slug=slug)
    extension = organisation.logo.name.rsplit(".", 1)[-1].lower() if organisation.logo else ""
    if extension not in LOGO_TYPES or not default_storage.exists(organisation.logo.name):
        raise Http404("no logo")
    response = FileResponse(
        default_storage.open(organisation.logo.name, "rb"), content_type=LOGO_TYPES[extension]
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def organisation_apply(request: HttpRequest) -> HttpResponse:
    can_override = permissions.is_curator(request.user)
    form = OrganisationApplyForm(
        request.POST or None, request.FILES or None, can_override=can_override
    )
    duplicates: list[dict] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_apply(
                actor=request.user,
                name=data["name"],
                acronym=data["acronym"],
                kind=data["kind"],
                country_code=data["country"] or None,
                website=data["website"],
                description=data["description"],
                application_note=data["application_note"],
                logo=uploaded_bytes(data.get("logo")),
                duplicate_override_reason=data.get("duplicate_override_reason", ""),
                source=AuditSource.WEB,
            )
        except Conflict as exc:
            duplicates = exc.details.get("matches", []) if isinstance(exc.details, dict) else []
            form.add_error(None, exc.message)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Thank you: the application for %(name)s is sent to the secretariat.")
                % {"name": organisation.name},
            )
            return redirect("partners:organisation_detail", organisation.slug)
    context = {
        "form": form,
        "duplicates": duplicates,
        "can_override": can_override,
        "my_applications": selectors.applications_of(actor=request.user),
    }
    return render(request, "partners/apply.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_edit(actor=request.user, slug=slug)
    initial = {
        "country": organisation.country.iso3 if organisation.country_id else "",
        "website": organisation.website,
        "description": organisation.description,
    }
    form = OrganisationEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_update(
                actor=request.user,
                organisation_id=organisation.pk,
                description=data["description"],
                website=data["website"],
                country_code=data["country"] or "",
                logo=uploaded_bytes(data.get("logo")),
                remove_logo=data["remove_logo"],
                source=AuditSource.WEB,
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("partners:organisation_detail", organisation.slug)
    context = {"form": form, "organisation": organisation}
    return render(
        request, "partners/organisation_edit.html", context, status=400 if form.errors else 200
    )


@login_required
@domain_errors
def application_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.application_list(actor=request.user)
    return render(request, "partners/application_list.html", {"applications": applications})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def application_review(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.application_get(actor=request.user, slug=slug)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == "approve":
                made_editor = services.applicant_can_be_made_editor(
                    actor=request.user, organisation=organisation
                )
                services.organisation_approve(
                    actor=request.user,
                    organisation_id=organisation.pk,
                    comment=comment,
                    source=AuditSource.WEB,
                )
                messages.success(request, _("%(name)s is approved.") % {"name": organisation.name})
                if organisation.applicant and not made_editor:
                    messages.info(
                        request,
                        _(
                            "An administrator must now give %(user)s the partner-editor role "
                            "for this organisation."
                        )
                        % {"user": organisation.applicant.get_username()},
                    )
            else:
                services.organisation_reject(
                    actor=request.user,
                    organisation_id=organisation.pk,
                    comment=comment,
                    source=AuditSource.WEB,
                )
                messages.success(request, _("%(name)s is rejected.") % {"name": organisation.name})
        except (InvalidInput, Conflict) as exc:
            add_service_error(form, exc)
        else:
            return redirect("partners:applications")
    context = {
        "form": form,
        "organisation": organisation,
        "duplicates": selectors.organisation_duplicates(
            name=organisation.name, acronym=organisation.acronym, exclude_id=organisation.pk
        ),
        "allowed": workflow.allowed_actions(organisation.status),
    }
    return render(
        request, "partners/application_review.html", context, status=400 if form.errors else 200
    )
