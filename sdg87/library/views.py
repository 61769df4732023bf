"""Library pages: a resource, the contribution form, the contributor's list and the curators'
review queue. Views parse input, call one service or selector and render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.core.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from sdg87.library import access, selectors, services
from sdg87.library.forms import ContributionForm, ResourceEditForm, comma_separated
from sdg87.library.models import DuplicateLink


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in needed → the sign-in page; not allowed → 403 page; not found → 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotAuthenticated:
            return redirect_to_login(request.get_full_path())
        except PermissionDenied as exc:
            context = {"title": _("Access denied"), "message": exc.message}
            return render(request, "library/forbidden.html", context, status=403)
        except NotFound as exc:
            raise Http404(exc.message) from None

    return wrapper


def _call_or_show(form: forms.Form, call: Callable[[], Any]) -> Any | None:
    """Run a service call for a form: a refused value goes on the form (and ``None`` comes
    back); sign-in, access and not-found errors go on to ``domain_errors``."""
    try:
        return call()
    except (NotAuthenticated, PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        _add_service_error(form, exc)
        return None


def _add_service_error(form: forms.Form, exc: DomainError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for field, message in details.items():
        if field in form.fields and isinstance(message, str):
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@domain_errors
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get(actor=request.user, resource_id=resource_id)
    details = selectors.resource_review_details(actor=request.user, resource=resource)
    context = {
        "resource": resource,
        "similar": selectors.resource_similar(resource=resource),
        "details": details,
        "suggestions": selectors.with_labels(details.suggestions) if details else [],
        "can_review": access.can_review(request.user),
        "can_edit": services.can_edit(request.user, resource),
        "extra_items": sorted((resource.extra or {}).items()),
    }
    return render(request, "library/resource_detail.html", context)


@domain_errors
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Correct a resource's metadata (curators: any resource; owners: while it is a draft or in
    review). The same checks as the API's PATCH; a stale form cannot undo someone's change
    silently because only the fields that differ from the stored values are written."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    resource = selectors.resource_get(actor=request.user, resource_id=resource_id)
    if not services.can_edit(request.user, resource):
        raise PermissionDenied(
            _(
                "Only curators, or the resource's owners while it is a draft or in review, "
                "may edit it."
            )
        )
    initial = {
        "title": resource.title,
        "abstract": resource.abstract,
        "type": resource.type,
        "language": resource.language,
        "year": resource.year,
        "countries": ", ".join(sorted(c.iso3 for c in resource.countries.all())),
        "themes": [theme.slug for theme in resource.themes.all()],
        "targets": ", ".join(sorted(t.code for t in resource.targets.all())),
        "url": resource.url,
        "licence": resource.licence,
    }
    form = ResourceEditForm(request.POST or None, initial=initial, themes=selectors.theme_choices())
    if request.method == "POST" and form.is_valid():
        changed = {
            name: value for name, value in form.edit_values().items() if name in form.changed_data
        }
        edited = _call_or_show(
            form,
            lambda: services.resource_edit(
                actor=request.user, resource_id=resource.pk, edit=services.ResourceEdit(**changed)
            ),
        )
        if edited is not None:
            messages.success(
                request,
                _("The resource is updated.") if changed else _("Nothing was changed."),
            )
            return HttpResponseRedirect(reverse("library:resource", args=[resource.pk]))
    return render(request, "library/resource_edit.html", {"resource": resource, "form": form})


@require_POST
@domain_errors
def resource_action(request: HttpRequest, resource_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    service = services.RESOURCE_TRANSITIONS.get(action)
    if service is None:
        raise Http404("no such action")
    options: dict[str, Any] = {"actor": request.user, "resource_id": resource_id}
    if action in ("return", "withdraw"):
        options["comment"] = request.POST.get("comment", "")
    try:
        service(**options)
    except (NotAuthenticated, PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": _action_label(action)})
    next_url = request.POST.get("next") or ""
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("library:resource", args=[resource_id])
    return HttpResponseRedirect(next_url)


def _action_label(action: str) -> str:
    return {
        "submit": _("sent for review"),
        "publish": _("published"),
        "return": _("returned to draft"),
        "withdraw": _("withdrawn"),
        "restore": _("restored as a draft"),
    }.get(action, action)


@domain_errors
def contribute(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_contribute(request.user):
        raise PermissionDenied(_("Only partner editors and curators may contribute resources."))
    form = ContributionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = None
        if data["file"] is not None:
            uploaded = data["file"]
            upload = services.Upload(name=uploaded.name, content=uploaded.read())
        contribution = services.Contribution(
            title=data["title"],
            abstract=data["abstract"],
            language=data["language"],
            year=data["year"],
            type=data["type"],
            countries=comma_separated(data["countries"]),
            url=data["url"],
            organisation=data["organisation"],
            licence=data["licence"],
            authors=tuple(line for line in data["authors"].splitlines() if line.strip()),
            submit=data["submit_for_review"],
        )
        resource = _call_or_show(
            form,
            lambda: services.resource_contribute(
                actor=request.user, contribution=contribution, upload=upload
            ),
        )
        if resource is not None:
            messages.success(
                request,
                _("Thank you: the resource is sent for review.")
                if data["submit_for_review"]
                else _("The resource is saved as a draft."),
            )
            return HttpResponseRedirect(reverse("library:resource", args=[resource.pk]))
    return render(request, "library/contribute.html", {"form": form}, status=200)


@domain_errors
def my_contributions(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    resources = selectors.contributions_of(actor=request.user)[:200]
    return render(request, "library/my_contributions.html", {"resources": resources})


QUEUE_ACTIONS = ("publish", "return", "withdraw")


@domain_errors
def review_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    queue = selectors.review_queue(actor=request.user)
    for resource in queue:
        selectors.with_labels(list(resource.tag_suggestions.all()))
    return render(
        request,
        "library/review_queue.html",
        {"queue": queue, "queue_actions": QUEUE_ACTIONS, "can_review": True},
    )


@require_POST
@domain_errors
def decide_suggestion(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    accept = request.POST.get("decision") == "accept"
    suggestion = services.tag_suggestion_decide(
        actor=request.user, suggestion_id=suggestion_id, accept=accept
    )
    messages.success(
        request,
        (_("Tag accepted: %(value)s.") if accept else _("Tag rejected: %(value)s."))
        % {"value": suggestion.value},
    )
    return _back(request, suggestion.resource_id)


@require_POST
@domain_errors
def decide_duplicate(request: HttpRequest, link_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    if decision not in (DuplicateLink.Decision.CONFIRMED, DuplicateLink.Decision.DISMISSED):
        raise Http404("no such decision")
    link = services.duplicate_link_decide(actor=request.user, link_id=link_id, decision=decision)
    messages.success(request, _("The duplicate warning is updated."))
    return _back(request, link.resource_id)


def _back(request: HttpRequest, resource_id: int) -> HttpResponse:
    next_url = request.POST.get("next") or ""
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("library:resource", args=[resource_id])
    return HttpResponseRedirect(next_url)
