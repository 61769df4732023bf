"""Curators keep the registry and exchange rates in the admin; reports stay read-only."""

import pytest

from sdg87.core.models import AuditEntry
from sdg87.pathfinders.models import Pathfinder
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db


def test_a_curator_registers_a_pathfinder_in_the_admin_and_it_is_audited(client):
    kenya = factories.country("KEN")
    client.force_login(factories.CuratorFactory())

    response = client.post(
        "/en/admin/pathfinders/pathfinder/add/",
        {"country": kenya.pk, "joined_on": "2024-02-01", "status": "active", "summary": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    pathfinder = Pathfinder.objects.get(country=kenya)
    assert AuditEntry.objects.filter(
        object_type="pathfinders.pathfinder", object_id=str(pathfinder.pk), action="create"
    ).exists()


def test_reports_cannot_be_changed_in_the_admin(client):
    report = factories.report_through("published")
    client.force_login(factories.CuratorFactory(username="another-curator"))

    response = client.post(
        f"/en/admin/pathfinders/annualreport/{report.pk}/change/", {"progress": "rewritten"}
    )

    assert response.status_code == 403
    report.refresh_from_db()
    assert report.progress == "Progress made."
