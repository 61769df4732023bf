"""Factories for partner records. Names are invented and labelled as such (``Example …``):
never real-looking partners, except where a test is about a real organisation's names."""

from __future__ import annotations

import datetime
from itertools import count
from typing import Any

import factory
from django.utils import timezone

from sdg87.accounts.tests.factories import (  # noqa: F401 (re-exported for the tests)
    CuratorFactory,
    PartnerEditorFactory,
    UserFactory,
    country,
)
from sdg87.framework.models import Goal, Indicator, Target, Theme
from sdg87.library.models import Resource
from sdg87.partners.models import (
    ActionGroup,
    ActionGroupMembership,
    Organisation,
    Pledge,
    ResearchProject,
)

_RESOURCE_NUMBERS = count(1)
THEME_NAMES = {
    "forced-labour": "Forced labour",
    "child-labour": "Child labour",
    "human-trafficking": "Human trafficking",
}


def theme(slug: str = "child-labour") -> Theme:
    found, _created = Theme.objects.get_or_create(
        slug=slug, defaults={"name_en": THEME_NAMES.get(slug, slug.replace("-", " ").title())}
    )
    return found


def sdg_indicator(code: str = "8.7.1") -> Indicator:
    goal, _ = Goal.objects.get_or_create(code="8", defaults={"title_en": "Goal 8", "short_en": "8"})
    target, _ = Target.objects.get_or_create(
        code="8.7", defaults={"goal": goal, "title_en": "Target 8.7"}
    )
    indicator, _ = Indicator.objects.get_or_create(
        code=code, defaults={"target": target, "title_en": f"Indicator {code}"}
    )
    return indicator


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Example Partner {n}")
    acronym = ""
    slug = factory.Sequence(lambda n: f"example-partner-{n}")
    kind = Organisation.Kind.CIVIL_SOCIETY
    status = Organisation.Status.APPROVED


class EditorFactory(PartnerEditorFactory):
    """A partner editor of an approved organisation."""

    organisation = factory.SubFactory(OrganisationFactory)


class ActionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionGroup

    slug = factory.Sequence(lambda n: f"example-group-{n}")
    name_en = factory.Sequence(lambda n: f"Example action group {n}")
    theme = factory.LazyFunction(lambda: theme("child-labour"))


def membership(group: ActionGroup, organisation: Organisation, role: str = "member") -> Any:
    return ActionGroupMembership.objects.create(group=group, organisation=organisation, role=role)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    owner = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Example pledge {n}")
    last_reported_at = factory.LazyFunction(timezone.now)


class ResearchProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchProject
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Example study {n}")
    questions = "What works?"
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2025, 12, 31)

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def themes(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.themes.set(extracted)


def library_resource(
    title: str = "Example report", *, status: str = "published", **fields: Any
) -> Resource:
    """A knowledge-library resource (not indexed for search), ``Example …`` titled."""
    return Resource.objects.create(
        title=title,
        language="en",
        year=2024,
        status=status,
        source="test:partners",
        source_record_id=f"partners-document-{next(_RESOURCE_NUMBERS)}",
        **fields,
    )
