"""``/api/v1/goals``, ``/targets/{code}``, ``/themes``, ``/estimates`` (and ``/regions``,
which belongs to the countries app but is mounted here, at the API root)."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sdg87.core.api_i18n import LanguageQuery, TextsOut, requested_language, texts_of
from sdg87.core.i18n import localized
from sdg87.core.pagination import PagePagination
from sdg87.framework import selectors
from sdg87.framework.models import Goal, Indicator, Target, TargetSynergy, Theme

router = Router()


class GoalOut(Schema):
    code: str = Field(..., description='Goal number, e.g. "8"')
    title: str
    short: str = Field(..., description="Short title (e.g. Decent work and economic growth)")
    titles: TextsOut
    targets: list[str] = Field(..., description="Codes of the goal's targets")

    @staticmethod
    def resolve_title(obj: Goal, context: Any) -> str:
        return localized(obj, "title", requested_language(context))

    @staticmethod
    def resolve_short(obj: Goal, context: Any) -> str:
        return localized(obj, "short", requested_language(context))

    @staticmethod
    def resolve_titles(obj: Goal) -> dict[str, str]:
        return texts_of(obj, "title")

    @staticmethod
    def resolve_targets(obj: Goal) -> list[str]:
        return [target.code for target in obj.targets.all()]


class IndicatorRefOut(Schema):
    code: str = Field(..., description='e.g. "8.7.1"')
    title: str

    @staticmethod
    def resolve_title(obj: Indicator, context: Any) -> str:
        return localized(obj, "title", requested_language(context))


class SynergyOut(Schema):
    code: str = Field(..., description="Code of the related target")
    title: str = Field(..., description="Official text of the related target")
    description: str = Field(..., description="Why the two targets go together (short)")

    @staticmethod
    def resolve_code(obj: TargetSynergy) -> str:
        return obj.related.code

    @staticmethod
    def resolve_title(obj: TargetSynergy, context: Any) -> str:
        return localized(obj.related, "title", requested_language(context))

    @staticmethod
    def resolve_description(obj: TargetSynergy, context: Any) -> str:
        return localized(obj, "description", requested_language(context))


class TargetOut(Schema):
    code: str = Field(..., description='e.g. "8.7" or "16.a"')
    goal: str = Field(..., description="Code of the goal")
    title: str
    titles: TextsOut
    deadline_year: int | None = Field(
        None, description='First "by YYYY" deadline in the text (8.7: 2025); null if none'
    )
    indicators: list[IndicatorRefOut]
    synergies: list[SynergyOut] = Field(
        ..., description="Targets this target is pursued together with (Target 8.7: 14)"
    )

    @staticmethod
    def resolve_goal(obj: Target) -> str:
        return obj.goal.code

    @staticmethod
    def resolve_title(obj: Target, context: Any) -> str:
        return localized(obj, "title", requested_language(context))

    @staticmethod
    def resolve_titles(obj: Target) -> dict[str, str]:
        return texts_of(obj, "title")

    @staticmethod
    def resolve_indicators(obj: Target) -> list[Indicator]:
        return list(obj.indicators.all())

    @staticmethod
    def resolve_synergies(obj: Target) -> list[TargetSynergy]:
        return list(obj.synergies.all())


class ThemeOut(Schema):
    slug: str
    name: str
    names: TextsOut
    description: str

    @staticmethod
    def resolve_name(obj: Theme, context: Any) -> str:
        return localized(obj, "name", requested_language(context))

    @staticmethod
    def resolve_names(obj: Theme) -> dict[str, str]:
        return texts_of(obj, "name")

    @staticmethod
    def resolve_description(obj: Theme, context: Any) -> str:
        return localized(obj, "description", requested_language(context))


class EstimateOut(Schema):
    key: str = Field(..., description="Stable identifier, e.g. modern-slavery")
    parent: str | None = Field(None, description="Key of the estimate this one breaks down")
    label: str
    value: Decimal
    unit: str = Field(..., description="people, children or usd")
    display_value: str = Field(..., description='Rounded for reading, e.g. "49.6 million"')
    reference_year: int | None = Field(None, description="Year the figure describes")
    source: str
    source_year: int = Field(..., description="Year the source was published")
    source_url: str
    note: str


@router.get("/goals", response=list[GoalOut], summary="List the 17 SDGs")
@paginate(PagePagination)
def list_goals(request: HttpRequest, query: Query[LanguageQuery]) -> Any:
    return selectors.goal_list()


@router.get("/targets/{code}", response=TargetOut, summary="One SDG target")
def get_target(request: HttpRequest, code: str, query: Query[LanguageQuery]) -> Target:
    """A target (e.g. 8.7) with its indicators and the targets it works in synergy with."""
    return selectors.target_get(code)


@router.get("/themes", response=list[ThemeOut], summary="List Target 8.7 themes")
@paginate(PagePagination)
def list_themes(request: HttpRequest, query: Query[LanguageQuery]) -> Any:
    return selectors.theme_list()


@router.get("/estimates", response=list[EstimateOut], summary="Global estimates")
@paginate(PagePagination)
def list_estimates(request: HttpRequest, query: Query[LanguageQuery]) -> Any:
    """Published global figures (modern slavery, child labour, illegal profits), each
    breakdown after the estimate it breaks down (``parent``)."""
    with translation.override(query.lang):
        return selectors.estimate_list()
