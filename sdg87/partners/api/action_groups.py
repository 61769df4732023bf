"""``/api/v1/action-groups``: the thematic action groups, their members, work plans,
meetings and documents (library resources); curators create and edit groups, curators and
the chairs' partner editors attach and remove documents."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.api_i18n import (
    LANGUAGE_DESCRIPTION,
    Language,
    LanguageQuery,
    TextsOut,
    requested_language,
    texts_of,
)
from sdg87.core.i18n import localized
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination
from sdg87.partners import library_links, selectors, services
from sdg87.partners.api.common import (
    SLUG_PATTERN,
    PartnerRefOut,
    ThemeRefOut,
    changed_fields,
    page_url,
)
from sdg87.partners.models import ActionGroup

router = Router()


class ActionGroupOut(Schema):
    slug: str
    name: str
    theme: ThemeRefOut
    member_count: int
    open_work_plan_items: int = Field(description="work-plan items planned or in progress")
    url: str

    @staticmethod
    def resolve_name(obj: ActionGroup, context: Any) -> str:
        return localized(obj, "name", requested_language(context))

    @staticmethod
    def resolve_member_count(obj: ActionGroup) -> int:
        return len(obj.memberships.all())

    @staticmethod
    def resolve_open_work_plan_items(obj: ActionGroup) -> int:
        return getattr(obj, "open_item_count", 0)

    @staticmethod
    def resolve_url(obj: ActionGroup, context: Any) -> str:
        return page_url(context, "action_group_detail", obj.slug)


class MemberOut(Schema):
    organisation: PartnerRefOut
    role: str = Field(description="chair or member")
    joined_at: datetime.datetime


class WorkPlanItemOut(Schema):
    id: int
    title: str
    description: str
    status: str = Field(description="planned, in_progress, done or cancelled")
    progress_note: str
    due_date: datetime.date | None
    responsible: PartnerRefOut | None
    updated_at: datetime.datetime


class MeetingOut(Schema):
    id: int
    held_on: datetime.date
    place: str
    online: bool
    summary: str


class ActionGroupDocumentOut(Schema):
    id: int = Field(description="the library resource's id")
    title: str
    type: str
    year: int | None
    status: str = Field(
        description="the resource's library status: the public sees published ones only"
    )
    note: str
    meeting: int | None = Field(description="id of the meeting it records, if any")
    attached_at: datetime.datetime
    url: str = Field(description="the resource's library page")

    @staticmethod
    def resolve_meeting(obj: library_links.GroupDocument) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_url(obj: library_links.GroupDocument, context: Any) -> str:
        with translation.override(requested_language(context)):
            return reverse("library:resource", args=[obj.id])


class ActionGroupDetailOut(ActionGroupOut):
    names: TextsOut
    description: str
    descriptions: TextsOut
    members: list[MemberOut]
    work_plan: list[WorkPlanItemOut]
    meetings: list[MeetingOut]
    documents: list[ActionGroupDocumentOut] = Field(
        description="library resources kept as the group's documents, newest first"
    )

    @staticmethod
    def resolve_names(obj: ActionGroup) -> dict[str, str]:
        return texts_of(obj, "name")

    @staticmethod
    def resolve_description(obj: ActionGroup, context: Any) -> str:
        return localized(obj, "description", requested_language(context))

    @staticmethod
    def resolve_descriptions(obj: ActionGroup) -> dict[str, str]:
        return texts_of(obj, "description")

    @staticmethod
    def resolve_members(obj: ActionGroup) -> Any:
        return obj.memberships.all()

    @staticmethod
    def resolve_work_plan(obj: ActionGroup) -> Any:
        return obj.work_plan.all()

    @staticmethod
    def resolve_meetings(obj: ActionGroup) -> Any:
        return obj.meetings.all()

    @staticmethod
    def resolve_documents(obj: ActionGroup, context: Any) -> list[Any]:
        return library_links.action_group_documents(
            links=obj.document_links.all(), actor=request_actor(context["request"])
        )


class ActionGroupFilters(Schema):
    theme: str | None = Field(None, pattern=SLUG_PATTERN, description="theme slug")
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


@router.get("", response=list[ActionGroupOut], summary="Thematic action groups")
@paginate(PagePagination)
def list_action_groups(request: HttpRequest, filters: Query[ActionGroupFilters]) -> Any:
    return selectors.action_group_list(theme=filters.theme)


@router.get("/{slug}", response=ActionGroupDetailOut, summary="One action group")
def get_action_group(request: HttpRequest, slug: str, query: Query[LanguageQuery]) -> Any:
    return selectors.action_group_get(slug)


# --- writes -------------------------------------------------------------------------------


class ActionGroupIn(Schema):
    theme: str = Field(description="theme slug")
    name_en: str = Field(max_length=200)
    name_fr: str = Field("", max_length=200)
    name_es: str = Field("", max_length=200)
    description_en: str = ""
    description_fr: str = ""
    description_es: str = ""
    chairs: list[str] = Field([], description="slugs of approved partner organisations")
    members: list[str] = Field([], description="slugs of approved partner organisations")


class ActionGroupPatchIn(Schema):
    theme: str | None = Field(None, description="theme slug")
    name_en: str | None = Field(None, max_length=200)
    name_fr: str | None = Field(None, max_length=200)
    name_es: str | None = Field(None, max_length=200)
    description_en: str | None = None
    description_fr: str | None = None
    description_es: str | None = None
    chairs: list[str] | None = Field(
        None, description="slugs: the group's chairs become exactly these"
    )
    members: list[str] | None = Field(
        None, description="slugs: the group's other members become exactly these"
    )


class ActionGroupDocumentIn(Schema):
    resource: int = Field(description="id of a library resource you may see")
    note: str = Field("", max_length=500)
    meeting: int | None = Field(None, description="id of the group's meeting it records")


def _organisation_ids(changes: dict[str, Any]) -> dict[str, Any]:
    """``chairs``/``members`` slugs → ``chair_ids``/``member_ids`` (approved partners)."""
    for field in ("chairs", "members"):
        if field not in changes:
            continue
        slugs = changes.pop(field)
        changes[f"{field[:-1]}_ids"] = (
            None if slugs is None else selectors.approved_organisation_ids(slugs, field=field)
        )
    return changes


@router.post(
    "",
    response={201: ActionGroupDetailOut},
    auth=signed_in,
    summary="Create an action group",
)
def create_action_group(request: HttpRequest, payload: ActionGroupIn) -> Any:
    """For curators."""
    group = services.action_group_create(
        actor=request.auth, source=AuditSource.API, **_organisation_ids(changed_fields(payload))
    )
    return Status(201, selectors.action_group_get(group.slug))


@router.patch(
    "/{slug}", response=ActionGroupDetailOut, auth=signed_in, summary="Edit an action group"
)
def update_action_group(request: HttpRequest, slug: str, payload: ActionGroupPatchIn) -> Any:
    """For curators. Fields left out stay as they are; the slug never changes."""
    group = selectors.action_group_get(slug)
    services.action_group_update(
        actor=request.auth,
        group_id=group.pk,
        source=AuditSource.API,
        **_organisation_ids(changed_fields(payload)),
    )
    return selectors.action_group_get(slug)


@router.post(
    "/{slug}/documents",
    response={201: ActionGroupDocumentOut},
    auth=signed_in,
    summary="Attach a library resource as a group document",
)
def attach_document(request: HttpRequest, slug: str, payload: ActionGroupDocumentIn) -> Any:
    """For curators and the partner editors of the group's chairs. 409 when it is attached
    already; 400 naming ``resource`` when there is no such resource you may see."""
    group = selectors.action_group_get(slug)
    link = services.action_group_document_attach(
        actor=request.auth,
        group_id=group.pk,
        resource_id=payload.resource,
        note=payload.note,
        meeting_id=payload.meeting,
        source=AuditSource.API,
    )
    [document] = library_links.action_group_documents(links=[link], actor=request.auth)
    return Status(201, document)


@router.delete(
    "/{slug}/documents/{resource_id}",
    response={204: None},
    auth=signed_in,
    summary="Remove a document from a group",
)
def detach_document(request: HttpRequest, slug: str, resource_id: int) -> Any:
    """For curators and the partner editors of the group's chairs; the resource stays in
    the library."""
    group = selectors.action_group_get(slug)
    services.action_group_document_detach(
        actor=request.auth, group_id=group.pk, resource_id=resource_id, source=AuditSource.API
    )
    return Status(204, None)
