"""Action-group pages: the list, one page per group with its members, work plan, meetings
and documents, the forms members use on it, and the curators' form for a group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdg87.accounts import permissions
from sdg87.core.errors import Conflict, InvalidInput
from sdg87.core.models import AuditSource
from sdg87.partners import access, library_links, selectors, services
from sdg87.partners.forms import (
    ActionGroupForm,
    DocumentAttachForm,
    MeetingForm,
    MemberAddForm,
    WorkPlanItemForm,
    WorkPlanProgressForm,
)
from sdg87.partners.models import ActionGroup, Meeting, MembershipRole
from sdg87.partners.views.common import add_service_error, domain_errors

GROUP_TEXT_FIELDS = (
    "name_en",
    "name_fr",
    "name_es",
    "description_en",
    "description_fr",
    "description_es",
)


def action_group_list(request: HttpRequest) -> HttpResponse:
    context = {
        "groups": selectors.action_group_list(),
        "is_curator": permissions.is_curator(request.user),
    }
    return render(request, "partners/action_group_list.html", context)


def _member_choices(group: ActionGroup) -> list[tuple[int, str]]:
    return [(m.organisation_id, m.organisation.name) for m in group.memberships.all()]


def _meeting_choices(meetings: list[Meeting]) -> list[tuple[int, str]]:
    return [
        (meeting.pk, f"{meeting.held_on:%Y-%m-%d} {meeting.place}".strip()) for meeting in meetings
    ]


def _render_detail(
    request: HttpRequest,
    group: ActionGroup,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The group's page; ``forms`` replaces the empty forms by ones sent back with errors."""
    memberships = list(group.memberships.all())
    meetings = list(group.meetings.all())
    own = access.own_organisation_id(request.user)
    member_ids = {m.organisation_id for m in memberships}
    own_organisation = None
    if own is not None:
        own_organisation = selectors.organisation_get_by_id(actor=request.user, organisation_id=own)
    is_curator = permissions.is_curator(request.user)
    can_act_for_chairs = access.can_act_for_chairs(request.user, memberships)
    documents = library_links.action_group_documents(
        links=group.document_links.all(), actor=request.user
    )
    context = {
        "group": group,
        "chairs": [m for m in memberships if m.role == MembershipRole.CHAIR],
        "members": [m for m in memberships if m.role == MembershipRole.MEMBER],
        "work_plan": list(group.work_plan.all()),
        "meetings": meetings,
        "documents": documents,
        "meeting_rows": _meetings_with_documents(meetings, documents),
        "library_available": library_links.LIBRARY_AVAILABLE,
        "can_contribute": access.can_contribute_to_group(request.user, memberships),
        "can_record_meeting": can_act_for_chairs,
        "can_manage_documents": can_act_for_chairs,
        "is_curator": is_curator,
        "own_organisation": own_organisation,
        "can_join": own_organisation is not None
        and own_organisation.is_approved
        and own not in member_ids,
        "can_leave": own is not None and own in member_ids,
        "item_form": WorkPlanItemForm(members=_member_choices(group)),
        "progress_form": WorkPlanProgressForm(),
        "meeting_form": MeetingForm(),
        "document_form": DocumentAttachForm(meetings=_meeting_choices(meetings)),
        "member_form": MemberAddForm(organisations=_organisation_choices()) if is_curator else None,
        **(forms or {}),
    }
    return render(request, "partners/action_group_detail.html", context, status=status)


def _meetings_with_documents(
    meetings: list[Meeting], documents: list[library_links.GroupDocument]
) -> list[tuple[Meeting, list[library_links.GroupDocument]]]:
    """Each meeting with the documents (shown to this caller) that record it."""
    by_meeting: dict[int, list[library_links.GroupDocument]] = {}
    for document in documents:
        if document.meeting_id is not None:
            by_meeting.setdefault(document.meeting_id, []).append(document)
    return [(meeting, by_meeting.get(meeting.pk, [])) for meeting in meetings]


def _organisation_choices() -> list[tuple[int, str]]:
    return [(o.pk, o.name) for o in selectors.organisation_choices()]


def _saved(request: HttpRequest, group: ActionGroup, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("partners:action_group_detail", group.slug)


@domain_errors
def action_group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_detail(request, selectors.action_group_get(slug))


@login_required
@require_POST
@domain_errors
def action_group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    try:
        services.action_group_member_add(
            actor=request.user,
            group_id=group.pk,
            organisation_id=access.own_organisation_id(request.user) or 0,
            source=AuditSource.WEB,
        )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your organisation joined %(group)s.") % {"group": group.name})
    return redirect("partners:action_group_detail", group.slug)


@login_required
@require_POST
@domain_errors
def action_group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    services.action_group_member_remove(
        actor=request.user,
        group_id=group.pk,
        organisation_id=access.own_organisation_id(request.user) or 0,
        source=AuditSource.WEB,
    )
    messages.success(request, _("Your organisation left %(group)s.") % {"group": group.name})
    return redirect("partners:action_group_detail", group.slug)


def _submit(
    request: HttpRequest,
    group: ActionGroup,
    form: Any,
    *,
    form_key: str,
    save: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A form of the group's page: ``save`` its data through a service and go back to the
    page, or show the page again with the form's (or the service's) errors."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except (InvalidInput, Conflict) as exc:
            add_service_error(form, exc)
        else:
            return _saved(request, group, success)
    return _render_detail(request, group, forms={form_key: form}, status=400)


@login_required
@require_POST
@domain_errors
def action_group_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    return _submit(
        request,
        group,
        MemberAddForm(request.POST, organisations=_organisation_choices()),
        form_key="member_form",
        save=lambda data: services.action_group_member_add(
            actor=request.user,
            group_id=group.pk,
            organisation_id=data["organisation"],
            role=data["role"],
            source=AuditSource.WEB,
        ),
        success=_("The member is added."),
    )


@login_required
@require_POST
@domain_errors
def work_plan_item_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    return _submit(
        request,
        group,
        WorkPlanItemForm(request.POST, members=_member_choices(group)),
        form_key="item_form",
        save=lambda data: services.work_plan_item_create(
            actor=request.user,
            group_id=group.pk,
            title=data["title"],
            description=data["description"],
            status=data["status"],
            due_date=data["due_date"],
            responsible_id=data["responsible"],
            source=AuditSource.WEB,
        ),
        success=_("The work-plan item is added."),
    )


@login_required
@require_POST
@domain_errors
def work_plan_item_progress(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    group = selectors.action_group_get(slug)
    item = selectors.work_plan_item_get(item_id)
    form = WorkPlanProgressForm(request.POST)
    if item.group_id != group.pk or not form.is_valid():
        messages.error(request, _("The update was not saved: choose a status."))
    else:
        services.work_plan_item_update(
            actor=request.user,
            item_id=item.pk,
            status=form.cleaned_data["status"],
            progress_note=form.cleaned_data["progress_note"],
            source=AuditSource.WEB,
        )
        messages.success(request, _("The work-plan item is updated."))
    return redirect("partners:action_group_detail", group.slug)


@login_required
@require_POST
@domain_errors
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    return _submit(
        request,
        group,
        MeetingForm(request.POST),
        form_key="meeting_form",
        save=lambda data: services.meeting_record(
            actor=request.user,
            group_id=group.pk,
            held_on=data["held_on"],
            place=data["place"],
            online=data["online"],
            summary=data["summary"],
            source=AuditSource.WEB,
        ),
        success=_("The meeting is recorded."),
    )


@login_required
@require_POST
@domain_errors
def document_attach(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    return _submit(
        request,
        group,
        DocumentAttachForm(request.POST, meetings=_meeting_choices(list(group.meetings.all()))),
        form_key="document_form",
        save=lambda data: services.action_group_document_attach(
            actor=request.user,
            group_id=group.pk,
            resource_id=data["resource"],
            meeting_id=data["meeting"],
            note=data["note"],
            source=AuditSource.WEB,
        ),
        success=_("The document is attached."),
    )


@login_required
@require_POST
@domain_errors
def document_detach(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    group = selectors.action_group_get(slug)
    services.action_group_document_detach(
        actor=request.user, group_id=group.pk, resource_id=resource_id, source=AuditSource.WEB
    )
    return _saved(request, group, _("The document is removed from the group."))


# --- the curators' form ---------------------------------------------------------------------


def _group_initial(group: ActionGroup) -> dict[str, Any]:
    memberships = list(group.memberships.all())
    return {
        "theme": group.theme.slug,
        **{field: getattr(group, field) for field in GROUP_TEXT_FIELDS},
        "chairs": [m.organisation_id for m in memberships if m.role == MembershipRole.CHAIR],
        "members": [m.organisation_id for m in memberships if m.role == MembershipRole.MEMBER],
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def action_group_form(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Create (no ``slug``) or edit an action group: curators."""
    group = selectors.action_group_for_edit(actor=request.user, slug=slug)
    form = ActionGroupForm(
        request.POST or None,
        initial=_group_initial(group) if group is not None else None,
        organisations=_organisation_choices(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "theme_slug": data["theme"],
            **{field: data[field] for field in GROUP_TEXT_FIELDS},
            "chair_ids": data["chairs"],
            "member_ids": data["members"],
            "source": AuditSource.WEB,
        }
        try:
            if group is None:
                group = services.action_group_create(actor=request.user, **arguments)
            else:
                group = services.action_group_update(
                    actor=request.user, group_id=group.pk, **arguments
                )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            return _saved(request, group, _("The action group is saved."))
    return render(
        request,
        "partners/action_group_form.html",
        {"form": form, "group": group},
        status=400 if form.errors else 200,
    )
