"""The partner pages: what each shows, who may open the editing pages, bad form input."""

import datetime

import pytest
from django.utils import timezone

from sdg87.core.models import AuditEntry
from sdg87.partners.models import Pledge, ResearchProject
from sdg87.partners.tests.factories import (
    ActionGroupFactory,
    CuratorFactory,
    EditorFactory,
    OrganisationFactory,
    PledgeFactory,
    ResearchProjectFactory,
    UserFactory,
    country,
    membership,
    theme,
)

pytestmark = pytest.mark.django_db


def test_the_directory_lists_partners_with_filters_in_few_queries(
    client, django_assert_max_num_queries
):
    kenya = country("KEN")
    group = ActionGroupFactory()
    for number in range(30):
        organisation = OrganisationFactory(name=f"Example Partner {number:02d}", country=kenya)
        membership(group, organisation)

    with django_assert_max_num_queries(12):
        response = client.get("/en/partners/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Example Partner 00" in page
    assert "Page 1 of 2" in page
    filtered = client.get(f"/en/partners/?country=KEN&action_group={group.slug}&kind=civil_society")
    assert filtered.status_code == 200


def test_the_directory_has_an_empty_state_with_a_call_to_action(client):
    page = client.get("/fr/partners/").content.decode()

    assert 'href="/fr/partners/apply/"' in page


def test_a_partner_page_says_when_no_resource_is_published(client):
    organisation = OrganisationFactory(description="Example description")
    PledgeFactory(owner=organisation, title="Example pledge one")

    page = client.get(f"/en/partners/{organisation.slug}/").content.decode()

    assert "Example pledge one" in page
    assert "No resource published yet." in page


def test_an_application_is_hidden_from_others_but_shown_to_its_applicant(client):
    applicant = UserFactory()
    pending = OrganisationFactory(status="applied", applicant=applicant)

    assert client.get(f"/en/partners/{pending.slug}/").status_code == 404
    client.force_login(applicant)
    assert client.get(f"/en/partners/{pending.slug}/").status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("own_editor", 200), ("curator", 200), ("other_editor", 403), ("viewer", 403)],
)
def test_profile_editing_permission_matrix(client, who, status):
    organisation = OrganisationFactory()
    users = {
        "own_editor": lambda: EditorFactory(organisation=organisation),
        "curator": CuratorFactory,
        "other_editor": EditorFactory,
        "viewer": UserFactory,
    }
    client.force_login(users[who]())

    response = client.get(f"/en/partners/{organisation.slug}/edit/")

    assert response.status_code == status
    if status == 403:
        assert "Access denied" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    organisation = OrganisationFactory()

    for path in (f"/en/partners/{organisation.slug}/edit/", "/en/partners/pledges/new/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_only_curators_see_applications(client):
    client.force_login(EditorFactory())
    assert client.get("/en/partners/applications/").status_code == 403
    client.force_login(CuratorFactory())
    assert client.get("/en/partners/applications/").status_code == 200


def test_a_viewer_cannot_record_a_pledge(client):
    client.force_login(UserFactory())

    assert client.get("/en/partners/pledges/new/").status_code == 403


def test_another_organisations_pledge_cannot_be_updated_from_the_web(client):
    pledge = PledgeFactory()
    client.force_login(EditorFactory())

    response = client.post(f"/en/partners/pledges/{pledge.pk}/updates/new/", {"text": "x"})

    assert response.status_code == 403
    assert not pledge.updates.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"countries": ["XXX"]}, "XXX"),
        ({"budget_amount": "-10", "budget_currency": "USD"}, "non-negative"),
        ({"budget_amount": "10", "budget_currency": "ZZZ"}, "ISO 4217"),
    ],
)
def test_bad_pledge_form_input_is_a_400_with_the_reason_and_nothing_is_written(
    client, fields, message
):
    country("KEN")
    editor = EditorFactory()
    client.force_login(editor)
    data = {"organisation": editor.organisation_id, "title": "Example"}
    data.update(fields)

    response = client.post("/en/partners/pledges/new/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Pledge.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_non_http_evidence_link_is_refused_on_the_form(client):
    pledge = PledgeFactory()
    client.force_login(EditorFactory(organisation=pledge.owner))

    response = client.post(
        f"/en/partners/pledges/{pledge.pk}/updates/new/",
        {"text": "Progress", "evidence_url": "ftp://example.org/file"},
    )

    assert response.status_code == 400
    assert "http" in response.content.decode()
    assert not pledge.updates.exists()


def test_the_pledge_list_shows_lights_and_filters(client):
    PledgeFactory(
        title="Example old pledge", last_reported_at=timezone.now() - datetime.timedelta(days=500)
    )

    page = client.get("/en/partners/pledges/?staleness=amber").content.decode()

    assert "Example old pledge" in page
    assert "light-amber" in page


def test_action_group_pages_show_members_work_plan_and_an_empty_documents_section(client):
    group = ActionGroupFactory(name_en="Example group")
    chair = OrganisationFactory(name="Example Chair")
    membership(group, chair, "chair")
    group.work_plan.create(title="Example work-plan item")

    assert "Example group" in client.get("/en/partners/action-groups/").content.decode()
    page = client.get(f"/en/partners/action-groups/{group.slug}/").content.decode()
    assert "Example Chair" in page
    assert "Example work-plan item" in page
    assert "No document yet." in page


def test_a_member_updates_a_work_plan_item_from_the_group_page(client):
    group = ActionGroupFactory()
    editor = EditorFactory()
    membership(group, editor.organisation)
    item = group.work_plan.create(title="Example item")
    client.force_login(editor)

    response = client.post(
        f"/en/partners/action-groups/{group.slug}/work-plan/{item.pk}/",
        {"status": "done", "progress_note": "Finished"},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


@pytest.fixture
def cocoa_study():
    return ResearchProjectFactory(
        title="Child labour in cocoa farming households",
        questions="How prevalent is hazardous child labour among cocoa farming households?",
        countries=[country("GHA", "Ghana")],
        themes=[theme("child-labour")],
    )


def test_registering_similar_research_shows_it_first_then_records_the_reason(client, cocoa_study):
    editor = EditorFactory()
    client.force_login(editor)
    data = {
        "organisation": editor.organisation_id,
        "title": "Hazardous child labour in cocoa farming",
        "questions": "How many children in cocoa farming households do hazardous work?",
        "countries": ["GHA"],
        "themes": ["child-labour"],
        "status": "planned",
    }

    refused = client.post("/en/partners/research/new/", data)

    page = refused.content.decode()
    assert refused.status_code == 409
    assert page.index(cocoa_study.title) < page.index('id="research-form"')
    assert "same country GHA" in page
    assert ResearchProject.objects.count() == 1

    data["similar_work_reason"] = "We study the Volta region, which it does not cover"
    saved = client.post("/en/partners/research/new/", data)

    assert saved.status_code == 302
    project = ResearchProject.objects.exclude(pk=cocoa_study.pk).get()
    assert project.similar_work_reason.startswith("We study the Volta region")
    detail = client.get(saved["Location"]).content.decode()
    assert "We study the Volta region" in detail
    assert cocoa_study.title in detail


def test_the_similar_research_fragment_refreshes_as_the_user_types(client, cocoa_study):
    response = client.get(
        "/en/partners/research/similar/",
        {"title": "cocoa farming child labour", "countries": ["GHA"], "themes": ["child-labour"]},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert cocoa_study.title in page
    assert "<html" not in page
    unrelated = client.get("/en/partners/research/similar/?title=zebra+migration")
    assert "No similar research is registered so far." in unrelated.content.decode()


def test_the_research_form_loads_htmx_without_inline_scripts(client):
    client.force_login(EditorFactory())

    page = client.get("/en/partners/research/new/").content.decode()

    assert "htmx/htmx.min.js" in page
    assert "<script>" not in page
    assert 'hx-get="/en/partners/research/similar/"' in page


def test_the_contact_is_shown_to_signed_in_users_only(client):
    project = ResearchProjectFactory(contact_email="lead@example.org")

    assert (
        "lead@example.org"
        not in client.get(f"/en/partners/research/{project.pk}/").content.decode()
    )
    client.force_login(UserFactory())
    assert "lead@example.org" in client.get(f"/en/partners/research/{project.pk}/").content.decode()


def test_the_evidence_gap_map_is_a_table_with_drill_down_and_an_optional_map(
    client, reference_data
):
    ResearchProjectFactory(countries=[country("KEN")], themes=[theme("child-labour")])

    by_region = client.get("/en/partners/research/gaps/").content.decode()
    by_country = client.get(
        "/en/partners/research/gaps/?by=country&theme=child-labour"
    ).content.decode()

    assert "Sub-Saharan Africa" in by_region
    assert "/en/partners/research/?region=202&amp;theme=child-labour" in by_region
    assert "published in the knowledge library" in by_region
    assert "/en/partners/research/?country=KEN&amp;theme=child-labour" in by_country
    assert 'id="gap-map-data"' in by_country
    assert client.get("/en/partners/research/gaps/?by=planet&region=abc").status_code == 200
    drill = client.get("/en/partners/research/?region=202&theme=child-labour").content.decode()
    assert "1 research project" in drill
