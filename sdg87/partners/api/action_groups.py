"""``/api/v1/action-groups``: the thematic action groups, their members, work plans and
meetings."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sdg87.core.api_i18n import (
    LANGUAGE_DESCRIPTION,
    Language,
    LanguageQuery,
    TextsOut,
    requested_language,
    texts_of,
)
from sdg87.core.i18n import localized
from sdg87.core.pagination import PagePagination
from sdg87.partners import library_links, selectors
from sdg87.partners.api.common import SLUG_PATTERN, PartnerRefOut, ThemeRefOut, page_url
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
    held_on: datetime.date
    place: str
    online: bool
    summary: str


class ActionGroupDetailOut(ActionGroupOut):
    names: TextsOut
    description: str
    descriptions: TextsOut
    members: list[MemberOut]
    work_plan: list[WorkPlanItemOut]
    meetings: list[MeetingOut]
    documents: list[Any] = Field(
        description="library documents of the group (empty: resources do not name their group yet)"
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
    def resolve_documents(obj: ActionGroup) -> list[Any]:
        return library_links.action_group_documents(group_id=obj.pk)


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
