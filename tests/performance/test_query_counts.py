"""At most 10 SQL queries per page (issue 7), on the bundled data: the main pages of every
area, anonymous, and the pathfinder pages also for a signed-in focal point of the country and a
curator (their session, user and scope are read on each request and count). The deep pages
(a pathfinder country, the funding gaps, a pathfinder's country profile) are also measured
after much more data is added: their count must not grow with it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sdg87.library.ingest import ResourceRecord
from sdg87.library.models import ResourceStatus
from sdg87.library.services import resources_ingest

MAX_QUERIES = 10

PAGES = [
    "/en/",
    "/fr/framework/",
    "/en/framework/targets/8.7/",
    "/en/library/",
    "/en/library/?q=child+labour",
    "/es/library/?q=trabajo+forzoso&type=report",
    "/en/indicators/",
    "/en/indicators/8.7.1/",
    "/en/indicators/8.7.1/?country=KGZ",
    "/en/indicators/coverage/",
    "/en/countries/",
    "/en/countries/KGZ/",
    "/fr/countries/BRA/",
    "/en/instruments/",
    "/en/instruments/C182/",
    "/en/instruments/timeline/",
    "/en/partners/",
    "/en/partners/action-groups/",
    "/en/partners/pledges/",
    "/en/partners/research/",
    "/en/pathfinders/",
    "/en/pathfinders/RWA/",
    "/en/pathfinders/funding/",
    "/en/pathfinders/exchange-rates/",
    "/en/countries/RWA/",
]
# The pages whose count must not grow with the data (see ``more_data``).
DEEP_PAGES = [
    "/en/pathfinders/RWA/",
    "/en/pathfinders/funding/",
    "/en/pathfinders/",
    "/en/countries/RWA/",
]
PATHFINDER_PAGES = [
    "/en/pathfinders/",
    "/en/pathfinders/RWA/",
    "/en/pathfinders/funding/",
    "/en/pathfinders/exchange-rates/",
]


@pytest.fixture
def platform(reference_data, settings):
    from sdg87.pathfinders.services.examples import examples_load_bundled

    settings.PATHFINDER_EXAMPLES = True
    examples_load_bundled(settings.DATA_DIR)
    resources_ingest(
        records=[
            ResourceRecord(
                id=f"doc-{index}",
                title=f"Child labour report {index}",
                text="Forced labour and child labour in agriculture.",
                language="en",
                year=2020,
                countries=("KGZ", "BRA"),
            )
            for index in range(30)
        ],
        source="query-count fixture",
        status=ResourceStatus.PUBLISHED,
    )


@pytest.mark.parametrize("path", PAGES)
def test_a_main_page_takes_at_most_10_queries(
    client, platform, path, django_assert_max_num_queries
):
    client.get(path)  # warm per-process caches (translations, geometry, site settings)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path)
    assert response.status_code == 200


def count_queries(client, path: str) -> int:
    client.get(path)  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def focal_point(platform):
    from sdg87.pathfinders.tests import factories

    return factories.FocalPointFactory(countries=[factories.country("RWA")])


@pytest.fixture
def curator(platform):
    from sdg87.pathfinders.tests import factories

    return factories.CuratorFactory()


def more_data(*, size: int) -> None:
    """Adds ``size`` of everything a deep page reads to Rwanda's current roadmap and around
    it: priorities with themes and pledges, actions in several currencies (one without a
    rate) with partners and milestones, linked indicators, published reports (two versions
    of a year) with action updates, partners based in the country, a draft roadmap."""
    from sdg87.framework.models import Theme
    from sdg87.indicators.models import Indicator
    from sdg87.partners.models import Organisation, Pledge
    from sdg87.pathfinders import selectors
    from sdg87.pathfinders.models import (
        Action,
        AnnualReport,
        ExchangeRate,
        Milestone,
        Priority,
        ReportActionUpdate,
        Roadmap,
        RoadmapIndicator,
    )
    from sdg87.pathfinders.tests import factories

    roadmap = selectors.roadmap_current(actor=None, iso3="RWA")
    country = factories.country("RWA")
    themes = list(Theme.objects.all()[:3])
    indicators = list(Indicator.objects.exclude(roadmap_links__roadmap=roadmap)[:size])
    ExchangeRate.objects.get_or_create(
        currency="EUR", rate_date=datetime.date(2024, 1, 1), defaults={"usd_per_unit": "1.1"}
    )
    now = timezone.now()
    for index in range(size):
        priority = Priority.objects.create(
            roadmap=roadmap, title=f"Added priority {index}", position=100 + index
        )
        priority.themes.set(themes[: 1 + index % 3])
        partners = [
            Organisation.objects.create(
                name=f"Added partner {index}-{number}",
                slug=f"added-partner-{index}-{number}",
                kind=Organisation.Kind.CIVIL_SOCIETY,
                status=Organisation.Status.APPROVED,
                country=country if number == 0 else None,
            )
            for number in range(2)
        ]
        for status in (Pledge.Status.ACTIVE, Pledge.Status.WITHDRAWN):
            pledge = Pledge.objects.create(
                owner=partners[1],
                title=f"Added pledge {index} {status}",
                status=status,
                last_reported_at=now,
            )
            pledge.roadmap_priorities.add(priority)
            pledge.countries.add(country)
        for number, currency in enumerate(("USD", "EUR", "XOF")):
            action = Action.objects.create(
                priority=priority,
                title=f"Added action {index}-{number}",
                currency=currency,
                budget_planned=Decimal("1000.50"),
                budget_secured=Decimal(200 * number),
                budget_spent=Decimal(50),
                status=(Action.Status.ON_TRACK, Action.Status.DELAYED, Action.Status.CANCELLED)[
                    number
                ],
                position=number,
            )
            action.partners.set(partners)
            Milestone.objects.create(
                roadmap=roadmap,
                action=action,
                title=f"Added milestone {index}-{number}",
                due_on=datetime.date(2025, 1 + number, 1),
            )
        if index < len(indicators):
            RoadmapIndicator.objects.create(
                roadmap=roadmap, indicator=indicators[index], baseline_value=10, target_value=0
            )
        for version in (1, 2):
            report = AnnualReport.objects.create(
                pathfinder=roadmap.pathfinder,
                roadmap=roadmap,
                year=2000 + index,
                version=version,
                status=AnnualReport.Status.PUBLISHED,
                published_at=now,
            )
            for action in Action.objects.filter(priority=priority):
                ReportActionUpdate.objects.create(
                    report=report,
                    action=action,
                    status=action.status,
                    budget_planned=action.budget_planned,
                    budget_secured=action.budget_secured,
                )
    Roadmap.objects.create(
        pathfinder=roadmap.pathfinder,
        title="Added draft",
        period_start=2027,
        period_end=2030,
        status=Roadmap.Status.DRAFT,
    )


@pytest.mark.parametrize("path", PATHFINDER_PAGES)
@pytest.mark.parametrize("who", ["focal_point", "curator"])
def test_a_pathfinder_page_takes_at_most_10_queries_signed_in(client, platform, request, who, path):
    client.force_login(request.getfixturevalue(who))
    assert count_queries(client, path) <= MAX_QUERIES


@pytest.mark.parametrize("path", DEEP_PAGES)
@pytest.mark.parametrize("who", ["anonymous", "focal_point", "curator"])
def test_a_deep_page_takes_as_many_queries_with_much_more_data(
    client, platform, request, who, path
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = count_queries(client, path)
    more_data(size=3)
    after = count_queries(client, path)
    assert after == before
    assert after <= MAX_QUERIES
