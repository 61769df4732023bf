"""The partner lifecycle over the API: applying, reviewing, and editing profiles, pledges
and research with the same services (and refusals) as the pages."""

import pytest

from sdg87.accounts.models import Role
from sdg87.accounts.tests.factories import api_token
from sdg87.core.models import AuditEntry
from sdg87.partners.models import Organisation
from sdg87.partners.tests.factories import (
    CuratorFactory,
    EditorFactory,
    OrganisationFactory,
    PledgeFactory,
    ResearchProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, plaintext = api_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def send(client, method, url, payload, user=None):
    headers = bearer(user) if user is not None else {}
    return getattr(client, method)(url, payload, content_type="application/json", **headers)


APPLICATION = {"name": "Example Coalition Against Bonded Labour", "kind": "civil_society"}


# --- applications -------------------------------------------------------------------------


def test_a_signed_in_user_applies_over_the_api(client):
    applicant = UserFactory()

    response = send(client, "post", "/api/v1/partners/applications", APPLICATION, applicant)

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["applicant"]) == ("applied", applicant.get_username())
    assert AuditEntry.objects.filter(action="apply", actor=applicant).count() == 1
    assert send(client, "post", "/api/v1/partners/applications", APPLICATION).status_code == 401


def test_an_application_under_another_name_of_a_registered_partner_is_a_409(client, aliases):
    ilo = OrganisationFactory(name="International Labour Organization", acronym="ILO", slug="ilo")

    response = send(
        client,
        "post",
        "/api/v1/partners/applications",
        {"name": "Organización Internacional del Trabajo", "kind": "un_agency"},
        UserFactory(),
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "likely_duplicate"
    assert error["details"]["matches"][0]["slug"] == ilo.slug
    assert Organisation.objects.count() == 1


def test_bad_application_input_is_a_400_naming_the_field(client):
    response = send(
        client,
        "post",
        "/api/v1/partners/applications",
        {**APPLICATION, "website": "javascript:alert(1)"},
        UserFactory(),
    )

    assert response.status_code == 400
    assert "website" in response.json()["error"]["details"]
    assert not Organisation.objects.exists()


def test_curators_list_pending_applications_and_others_may_not(client):
    pending = OrganisationFactory(status="applied")
    OrganisationFactory()

    listed = client.get("/api/v1/partners/applications", **bearer(CuratorFactory()))

    assert listed.status_code == 200
    assert [item["slug"] for item in listed.json()["results"]] == [pending.slug]
    assert listed.json()["count"] == 1
    assert client.get("/api/v1/partners/applications", **bearer(EditorFactory())).status_code == 403
    assert client.get("/api/v1/partners/applications").status_code == 401


def test_a_curator_approves_and_the_applicant_becomes_its_partner_editor(client):
    applicant = UserFactory()
    pending = OrganisationFactory(status="applied", applicant=applicant)
    url = f"/api/v1/partners/applications/{pending.slug}/decision"

    approved = send(client, "post", url, {"decision": "approve"}, CuratorFactory())
    again = send(client, "post", url, {"decision": "reject", "comment": "No"}, CuratorFactory())

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    applicant.refresh_from_db()
    assert (applicant.role, applicant.organisation_id) == (Role.PARTNER_EDITOR, pending.pk)
    assert again.status_code == 409


def test_a_rejection_needs_a_comment(client):
    pending = OrganisationFactory(status="applied")
    url = f"/api/v1/partners/applications/{pending.slug}/decision"

    refused = send(client, "post", url, {"decision": "reject"}, CuratorFactory())
    rejected = send(
        client, "post", url, {"decision": "reject", "comment": "Out of scope"}, CuratorFactory()
    )

    assert refused.status_code == 400
    assert "comment" in refused.json()["error"]["details"]
    assert (rejected.status_code, rejected.json()["review_comment"]) == (200, "Out of scope")


def test_a_decision_is_404_for_strangers_and_403_for_the_applicant(client):
    applicant = UserFactory()
    pending = OrganisationFactory(status="applied", applicant=applicant)
    url = f"/api/v1/partners/applications/{pending.slug}/decision"

    assert send(client, "post", url, {"decision": "approve"}, EditorFactory()).status_code == 404
    assert send(client, "post", url, {"decision": "approve"}, applicant).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "applied"


# --- PATCH /partners/{slug} ---------------------------------------------------------------


def test_a_partner_editor_edits_its_own_profile_over_the_api(client):
    editor = EditorFactory()
    slug = editor.organisation.slug

    response = send(
        client,
        "patch",
        f"/api/v1/partners/{slug}",
        {"description": "Example work", "website": "https://example.org"},
        editor,
    )

    assert response.status_code == 200
    assert (response.json()["description"], response.json()["website"]) == (
        "Example work",
        "https://example.org",
    )
    assert AuditEntry.objects.filter(action="update", object_type="partners.organisation").exists()


def test_profile_edits_are_refused_by_status(client):
    editor = EditorFactory()
    other = OrganisationFactory()
    pending = OrganisationFactory(status="applied")

    assert send(client, "patch", f"/api/v1/partners/{other.slug}", {}, editor).status_code == 403
    assert send(client, "patch", f"/api/v1/partners/{pending.slug}", {}, editor).status_code == 404
    own = f"/api/v1/partners/{editor.organisation.slug}"
    assert send(client, "patch", own, {"name": "Renamed"}, editor).status_code == 403
    bad = send(client, "patch", own, {"country": "XXX"}, editor)
    assert bad.status_code == 400
    assert "country" in bad.json()["error"]["details"]
    renamed = send(client, "patch", own, {"name": "Example Renamed"}, CuratorFactory())
    assert renamed.json()["name"] == "Example Renamed"


# --- PATCH /pledges/{id} and /research-projects/{id} ----------------------------------------


def test_an_owners_editor_edits_a_pledge_over_the_api(client):
    editor = EditorFactory()
    pledge = PledgeFactory(owner=editor.organisation, budget_amount=100, budget_currency="USD")

    response = send(
        client,
        "patch",
        f"/api/v1/pledges/{pledge.pk}",
        {"title": "Example edited pledge", "budget_amount": None, "budget_currency": None},
        editor,
    )

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["budget"]) == ("Example edited pledge", None)
    assert AuditEntry.objects.filter(action="update", object_type="partners.pledge").exists()


def test_pledge_edits_are_refused_by_status(client):
    pledge = PledgeFactory()
    url = f"/api/v1/pledges/{pledge.pk}"

    assert send(client, "patch", url, {"title": "X"}).status_code == 401
    assert send(client, "patch", url, {"title": "X"}, EditorFactory()).status_code == 403
    assert send(client, "patch", "/api/v1/pledges/999999", {}, CuratorFactory()).status_code == 404
    bad = send(
        client, "patch", url, {"budget_amount": "10", "budget_currency": "XYZ"}, CuratorFactory()
    )
    assert bad.status_code == 400
    assert "budget_currency" in bad.json()["error"]["details"]


def test_research_is_edited_over_the_api_with_the_same_rules(client):
    editor = EditorFactory()
    project = ResearchProjectFactory(organisation=editor.organisation)
    url = f"/api/v1/research-projects/{project.pk}"

    edited = send(client, "patch", url, {"status": "ongoing", "countries": []}, editor)
    refused = send(client, "patch", url, {"status": "ongoing"}, EditorFactory())
    bad = send(client, "patch", url, {"period_end": "2020-01-01"}, editor)

    assert (edited.status_code, edited.json()["status"]) == (200, "ongoing")
    assert refused.status_code == 403
    assert bad.status_code == 400
    assert "period_end" in bad.json()["error"]["details"]
    assert send(client, "patch", "/api/v1/research-projects/999999", {}, editor).status_code == 404
