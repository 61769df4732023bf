"""A published report never reveals a roadmap that is still a draft: not its id, not its
title, not its actions — on the page or in the API; the country's focal point still sees them."""

import pytest

from sdg87.pathfinders.models import Roadmap
from sdg87.pathfinders.services import reports as report_services
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Secret action of a draft roadmap"


@pytest.fixture
def published_on_a_draft():
    focal_point = factories.FocalPointFactory(countries=[factories.country("FRA")])
    draft = factories.roadmap("FRA", status=Roadmap.Status.DRAFT, title="Draft plan title")
    action = factories.action(draft, title=SECRET)
    report = report_services.report_create(
        actor=focal_point, iso3="FRA", year=2024, progress="Progress.", roadmap_id=draft.pk
    )
    report_services.report_update(
        actor=focal_point,
        report_id=report.pk,
        action_updates=[{"action": action.pk, "status": "on_track"}],
    )
    curator = factories.CuratorFactory()
    for step, actor in (("submit", focal_point), ("approve", curator), ("publish", curator)):
        report_services.report_transition(actor=actor, report_id=report.pk, action=step)
    return report.pk, focal_point


def test_the_public_api_hides_the_draft_roadmap_and_its_actions(client, published_on_a_draft):
    report_id, _focal_point = published_on_a_draft
    body = client.get(f"/api/v1/pathfinders/reports/{report_id}").json()
    assert body["roadmap"] is None
    assert body["action_updates"] == []
    assert SECRET not in str(body)


def test_the_public_page_hides_the_draft_roadmap_and_its_actions(client, published_on_a_draft):
    report_id, _focal_point = published_on_a_draft
    page = client.get(f"/en/pathfinders/reports/{report_id}/").content.decode()
    assert SECRET not in page
    assert "Draft plan title" not in page


def test_the_focal_point_still_sees_them(client, published_on_a_draft):
    report_id, focal_point = published_on_a_draft
    client.force_login(focal_point)
    page = client.get(f"/en/pathfinders/reports/{report_id}/").content.decode()
    assert SECRET in page
