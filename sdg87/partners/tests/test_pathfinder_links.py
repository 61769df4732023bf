"""Pledges support pathfinder roadmap priorities; hidden (draft) roadmaps stay hidden."""

import pytest

from sdg87.core.errors import InvalidInput
from sdg87.partners import pathfinder_links, services
from sdg87.partners.tests.factories import EditorFactory, OrganisationFactory, PledgeFactory
from sdg87.pathfinders.models import Priority, Roadmap
from sdg87.pathfinders.tests import factories as pathfinder_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pledge():
    owner = OrganisationFactory(status="approved")
    return PledgeFactory(owner=owner), EditorFactory(organisation=owner)


def _priority(status):
    roadmap = pathfinder_factories.roadmap("FRA", status=status)
    return Priority.objects.create(roadmap=roadmap, title=f"Priority of a {status} roadmap")


def test_an_editor_links_the_pledge_to_an_adopted_roadmap_priority(pledge):
    item, editor = pledge
    priority = _priority(Roadmap.Status.ADOPTED)
    services.pledge_link_priorities(actor=editor, pledge_id=item.pk, priority_ids=[priority.pk])
    linked = pathfinder_links.pledge_roadmap_priorities(pledge_id=item.pk)
    assert linked == [
        {
            "id": priority.pk,
            "title": priority.title,
            "country": "FRA",
            "roadmap": priority.roadmap_id,
        }
    ]


def test_a_draft_roadmap_priority_is_refused_as_unknown(pledge):
    item, editor = pledge
    hidden = _priority(Roadmap.Status.DRAFT)
    with pytest.raises(InvalidInput) as error:
        services.pledge_link_priorities(actor=editor, pledge_id=item.pk, priority_ids=[hidden.pk])
    assert "roadmap_priorities" in error.value.details
    assert not item.roadmap_priorities.exists()


def test_the_pledge_form_links_a_priority_and_the_page_shows_it(client, pledge):
    item, editor = pledge
    priority = _priority(Roadmap.Status.ADOPTED)
    hidden = _priority(Roadmap.Status.DRAFT)
    client.force_login(editor)

    form = client.get(f"/en/partners/pledges/{item.pk}/edit/").content.decode()
    assert priority.title in form
    assert hidden.title not in form
    response = client.post(
        f"/en/partners/pledges/{item.pk}/edit/",
        {"title": item.title, "status": "active", "roadmap_priorities": [str(priority.pk)]},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(item.roadmap_priorities.all()) == [priority]
    page = client.get(f"/en/partners/pledges/{item.pk}/").content.decode()
    assert priority.title in page
