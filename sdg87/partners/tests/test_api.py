"""The partner endpoints: lists, details, filters, writes and their refusals."""

import datetime

import pytest
from django.utils import timezone

from sdg87.accounts.tests.factories import api_token
from sdg87.core.models import AuditEntry
from sdg87.partners.models import Pledge, PledgeUpdate, ResearchProject
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


def bearer(user):
    _token, plaintext = api_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_partners_list_is_paginated_filtered_and_shows_approved_partners_only(client):
    kenya = country("KEN")
    group = ActionGroupFactory(slug="example-group")
    first = OrganisationFactory(name="Example A", country=kenya, kind="academic")
    OrganisationFactory(name="Example B")
    OrganisationFactory(name="Example Pending", status="applied")
    membership(group, first)

    body = client.get("/api/v1/partners?page_size=1").json()
    assert (body["count"], len(body["results"])) == (2, 1)
    result = body["results"][0]
    assert result["name"] == "Example A"
    assert result["country"] == "KEN"
    assert result["url"] == f"/en/partners/{first.slug}/"
    for query in ("country=KEN", "kind=academic", "action_group=example-group", "q=Example A"):
        assert [r["id"] for r in client.get(f"/api/v1/partners?{query}").json()["results"]] == [
            first.pk
        ]


def test_partner_detail_lists_its_groups_pledges_and_research(client):
    organisation = OrganisationFactory()
    membership(ActionGroupFactory(), organisation, "chair")
    PledgeFactory(owner=organisation)
    ResearchProjectFactory(organisation=organisation)

    body = client.get(f"/api/v1/partners/{organisation.slug}?lang=fr").json()

    assert body["action_groups"][0]["role"] == "chair"
    assert body["pledges"][0]["staleness"] == "green"
    assert len(body["research_projects"]) == 1
    assert body["resources"] == []
    assert body["url"].startswith("/fr/partners/")


def test_an_application_is_not_found_for_the_public(client):
    pending = OrganisationFactory(status="applied")

    response = client.get(f"/api/v1/partners/{pending.slug}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert (
        client.get(f"/api/v1/partners/{pending.slug}", **bearer(CuratorFactory())).status_code
        == 200
    )


def test_bad_filters_are_a_clear_4xx(client):
    for query in ("country=KENYA", "kind=company", "page=0", "page_size=5000"):
        response = client.get(f"/api/v1/partners?{query}")
        assert response.status_code == 422, query
        assert "error" in response.json()
    assert client.get("/api/v1/pledges?staleness=purple").status_code == 422


def test_action_groups_list_and_detail(client):
    group = ActionGroupFactory(name_en="Example group", name_fr="Groupe d'exemple")
    chair = OrganisationFactory()
    membership(group, chair, "chair")
    group.work_plan.create(title="Map the research")

    listed = client.get("/api/v1/action-groups?lang=fr").json()
    detail = client.get(f"/api/v1/action-groups/{group.slug}").json()

    assert listed["results"][0]["name"] == "Groupe d'exemple"
    assert listed["results"][0]["open_work_plan_items"] == 1
    assert detail["members"][0]["organisation"]["id"] == chair.pk
    assert detail["work_plan"][0]["status"] == "planned"
    assert detail["documents"] == []
    assert client.get("/api/v1/action-groups/nope").status_code == 404


def test_pledges_list_carries_the_light_and_filters_by_it(client):
    PledgeFactory(title="Fresh")
    PledgeFactory(title="Old", last_reported_at=timezone.now() - datetime.timedelta(days=900))

    body = client.get("/api/v1/pledges").json()
    lights = {result["title"]: result["staleness"] for result in body["results"]}

    assert lights == {"Fresh": "green", "Old": "red"}
    red = client.get("/api/v1/pledges?staleness=red").json()
    assert [result["title"] for result in red["results"]] == ["Old"]


def test_an_editor_posts_a_pledge_and_an_update_through_the_api(client):
    editor = EditorFactory()
    country("KEN")
    headers = bearer(editor)

    created = client.post(
        "/api/v1/pledges",
        {
            "organisation": editor.organisation.slug,
            "title": "Example pledge",
            "budget_amount": 1000,
            "budget_currency": "EUR",
            "countries": ["KEN"],
        },
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.json()
    pledge_id = created.json()["id"]
    assert created.json()["budget"] == {"amount": "1000.00", "currency": "EUR"}

    update = client.post(
        f"/api/v1/pledges/{pledge_id}/updates",
        {"text": "Half way", "evidence_url": "https://example.org/evidence"},
        content_type="application/json",
        **headers,
    )
    assert update.status_code == 201
    detail = client.get(f"/api/v1/pledges/{pledge_id}").json()
    assert detail["updates"][0]["text"] == "Half way"
    assert AuditEntry.objects.filter(source="api").count() == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("own_editor", 201),
        ("curator", 201),
        ("other_editor", 403),
        ("viewer", 403),
        ("anonymous", 401),
    ],
)
def test_permission_matrix_for_progress_updates(client, who, status):
    pledge = PledgeFactory()
    users = {
        "own_editor": lambda: EditorFactory(organisation=pledge.owner),
        "curator": CuratorFactory,
        "other_editor": EditorFactory,
        "viewer": UserFactory,
    }
    headers = bearer(users[who]()) if who in users else {}

    response = client.post(
        f"/api/v1/pledges/{pledge.pk}/updates",
        {"text": "Progress"},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == status
    if status >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}
        assert not PledgeUpdate.objects.exists()


def test_an_update_on_a_missing_pledge_is_404(client):
    response = client.post(
        "/api/v1/pledges/999999/updates",
        {"text": "x"},
        content_type="application/json",
        **bearer(CuratorFactory()),
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"countries": ["XXX"]}, 400, "countries"),
        ({"budget_amount": -5, "budget_currency": "USD"}, 400, "budget_amount"),
        ({"budget_amount": 5, "budget_currency": "XYZ"}, 400, "budget_currency"),
        ({"budget_amount": "lots", "budget_currency": "USD"}, 422, None),
        ({"organisation": "no-such-partner"}, 400, "organisation"),
    ],
)
def test_bad_pledge_input_through_the_api_is_a_clear_4xx(client, payload, status, field):
    editor = EditorFactory()
    body = {"organisation": editor.organisation.slug, "title": "Example"}
    body.update(payload)

    response = client.post(
        "/api/v1/pledges", body, content_type="application/json", **bearer(editor)
    )

    assert response.status_code == status
    error = response.json()["error"]
    if field:
        assert field in error["details"], error
    assert not Pledge.objects.exists()


def test_a_non_http_evidence_link_is_refused(client):
    pledge = PledgeFactory()
    response = client.post(
        f"/api/v1/pledges/{pledge.pk}/updates",
        {"text": "x", "evidence_url": "javascript:alert(1)"},
        content_type="application/json",
        **bearer(EditorFactory(organisation=pledge.owner)),
    )
    assert response.status_code == 400
    assert "evidence_url" in response.json()["error"]["details"]


def test_research_contact_is_shown_to_signed_in_users_only(client):
    project = ResearchProjectFactory(contact_email="lead@example.org")

    public = client.get(f"/api/v1/research-projects/{project.pk}").json()
    signed_in = client.get(
        f"/api/v1/research-projects/{project.pk}", **bearer(UserFactory())
    ).json()

    assert public["contact_email"] is None
    assert signed_in["contact_email"] == "lead@example.org"
    listed = client.get("/api/v1/research-projects").json()
    assert listed["count"] == 1
    assert "contact_email" not in listed["results"][0]


def test_similar_research_endpoint_scores_and_explains(client):
    study = ResearchProjectFactory(
        title="Child labour in cocoa farming households",
        questions="Hazardous child labour among cocoa farming households",
        countries=[country("GHA", "Ghana")],
        themes=[theme("child-labour")],
    )

    body = client.get(
        "/api/v1/research-projects/similar",
        {
            "title": "Hazardous child labour in cocoa farming",
            "countries": "GHA,CIV",
            "themes": "child-labour",
            "start": "2025-01-01",
            "end": "2025-12-31",
        },
    ).json()

    assert body["count"] == 1
    [match] = body["results"]
    assert match["id"] == study.pk
    assert "same country GHA" in match["reasons"]
    assert "periods overlap 2025" in match["reasons"]
    assert body["library_available"] is True
    assert body["published_resources"] == []
    bad = client.get("/api/v1/research-projects/similar?start=2025-01-01&end=2024-01-01")
    assert bad.status_code == 400


def test_registering_similar_research_through_the_api_is_409_then_recorded(client):
    study = ResearchProjectFactory(
        title="Forced labour in fishing fleets",
        questions="How common is forced labour on fishing vessels?",
        themes=[theme("forced-labour")],
    )
    editor = EditorFactory()
    payload = {
        "organisation": editor.organisation.slug,
        "title": "Forced labour on fishing vessels",
        "questions": "How common is forced labour among fishers on vessels?",
        "themes": ["forced-labour"],
    }

    refused = client.post(
        "/api/v1/research-projects", payload, content_type="application/json", **bearer(editor)
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["matches"][0]["id"] == study.pk
    assert ResearchProject.objects.count() == 1

    payload["similar_work_reason"] = "Different fleets"
    saved = client.post(
        "/api/v1/research-projects", payload, content_type="application/json", **bearer(editor)
    )
    assert saved.status_code == 201
    assert saved.json()["similar_projects"] == [study.pk]
    assert saved.json()["similar_work_reason"] == "Different fleets"


def test_evidence_gaps_by_country_and_region(client, reference_data):
    ResearchProjectFactory(
        countries=[country("KEN")], themes=[theme("child-labour")], title="Example study"
    )

    by_country = client.get("/api/v1/evidence-gaps?by=country").json()
    by_region = client.get("/api/v1/evidence-gaps").json()

    [row] = by_country["rows"]
    assert row["code"] == "KEN"
    cell = next(c for c in row["cells"] if c["theme"] == "child-labour")
    assert (cell["projects"], cell["studies"]) == (1, 0)
    sub_saharan_africa = next(r for r in by_region["rows"] if r["code"] == "202")  # Sub-Saharan
    assert sub_saharan_africa["total"] == 1
    assert by_region["library_available"] is True
    assert client.get("/api/v1/evidence-gaps?by=planet").status_code == 422
    assert client.get("/api/v1/evidence-gaps?by=country&region=999").status_code == 400
