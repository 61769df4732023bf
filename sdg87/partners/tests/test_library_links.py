"""Where partners meet the knowledge library: only published resources ever show."""

from itertools import count

import pytest

from sdg87.library.models import Resource
from sdg87.library.search import index_resources
from sdg87.partners import library_links, selectors
from sdg87.partners.tests.factories import (
    ActionGroupFactory,
    OrganisationFactory,
    country,
    membership,
    theme,
)

pytestmark = pytest.mark.django_db

_record = count(1)


def resource(title, *, status="published", type="research", countries=(), themes=(), **links):
    """A library resource, indexed for search; ``links`` sets its organisations."""
    item = Resource.objects.create(
        title=title,
        abstract=f"Example abstract of {title}",
        language="en",
        year=2024,
        type=type,
        status=status,
        source="test",
        source_record_id=f"partners-{next(_record)}",
        owner_organisation=links.get("owner"),
    )
    item.countries.set(countries)
    item.themes.set(themes)
    item.partner_organisations.set(links.get("partners", []))
    index_resources([item.pk])
    return item


def test_a_published_resource_of_an_organisation_appears_on_its_partner_page(client):
    organisation = OrganisationFactory()
    owned = resource("Example study of bonded labour in brick kilns", owner=organisation)
    partnered = resource("Example evaluation of a remediation scheme", partners=[organisation])
    resource("Example study of someone else", owner=OrganisationFactory())

    page = client.get(f"/en/partners/{organisation.slug}/").content.decode()
    body = client.get(f"/api/v1/partners/{organisation.slug}").json()

    assert "Example study of bonded labour in brick kilns" in page
    assert f'href="/en/library/{owned.pk}/"' in page
    assert "Example evaluation of a remediation scheme" in page
    assert "Example study of someone else" not in page
    assert {item["id"] for item in body["resources"]} == {owned.pk, partnered.pk}
    assert body["resources"][0].keys() >= {"id", "title", "type", "year"}


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn"])
def test_an_unpublished_resource_never_appears(client, status):
    organisation = OrganisationFactory()
    resource("Example unpublished study", status=status, owner=organisation)
    resource("Example unpublished partnership", status=status, partners=[organisation])

    page = client.get(f"/en/partners/{organisation.slug}/").content.decode()
    body = client.get(f"/api/v1/partners/{organisation.slug}").json()

    assert "Example unpublished" not in page
    assert "No resource published yet." in page
    assert body["resources"] == []
    assert library_links.organisation_resources(organisation_id=organisation.pk) == []


def test_the_evidence_gap_map_counts_a_published_study(client):
    kenya, child_labour = country("KEN", "Kenya"), theme("child-labour")
    resource("Example published study", countries=[kenya], themes=[child_labour])
    resource(
        "Example published evaluation",
        type="evaluation",
        countries=[kenya],
        themes=[child_labour],
    )
    # Neither a draft nor a news item is a published study.
    resource("Example draft", status="draft", countries=[kenya], themes=[child_labour])
    resource("Example news", type="news", countries=[kenya], themes=[child_labour])

    assert library_links.published_study_counts(by="country") == {("child-labour", "KEN"): 2}
    gap_map = selectors.evidence_gap_map(by="country")
    [row] = gap_map.rows
    [cell] = [cell for cell in row.cells if cell.theme.slug == "child-labour"]
    assert (row.code, cell.projects, cell.studies, cell.total) == ("KEN", 0, 2, 2)
    body = client.get("/api/v1/evidence-gaps?by=country").json()
    [api_row] = body["rows"]
    assert api_row["code"] == "KEN"
    assert api_row["cells"][0]["studies"] == 2


def test_registering_similar_research_shows_a_published_resource_with_a_matching_title(client):
    ghana, child_labour = country("GHA", "Ghana"), theme("child-labour")
    study = resource(
        "Child labour in cocoa farming households",
        countries=[ghana],
        themes=[child_labour],
    )
    resource(
        "Child labour in cocoa farming households, draft",
        status="draft",
        countries=[ghana],
        themes=[child_labour],
    )

    fragment = client.get(
        "/en/partners/research/similar/",
        {"title": "Hazardous child labour in cocoa farming", "themes": "child-labour"},
    ).content.decode()
    found = library_links.similar_published_resources(
        title="Child labour in cocoa farming", text="", countries=["GHA"], themes=[]
    )
    elsewhere = library_links.similar_published_resources(
        title="Child labour in cocoa farming", text="", countries=["NPL"], themes=[]
    )

    assert "Similar published studies" in fragment
    assert f'href="/en/library/{study.pk}/"' in fragment
    assert "households, draft" not in fragment
    assert [item.id for item in found] == [study.pk]
    assert found[0].score > 0
    assert elsewhere == []


def test_a_members_resource_on_the_theme_is_no_group_document_until_attached(client):
    organisation = OrganisationFactory()
    group = ActionGroupFactory()
    membership(group, organisation)
    resource("Example study by a member", owner=organisation, themes=[group.theme])

    page = client.get(f"/en/partners/action-groups/{group.slug}/").content.decode()

    assert library_links.action_group_documents(links=group.document_links.all(), actor=None) == []
    assert "Example study by a member" not in page
    assert "No document yet." in page
    assert f"/en/library/?theme={group.theme.slug}" in page
