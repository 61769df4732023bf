"""Action-group documents: library resources attached by curators and the chairs' partner
editors, shown on the group's page and in the API to those who may see them."""

import datetime

import pytest

from sdg87.accounts.tests.factories import api_token
from sdg87.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.partners import services
from sdg87.partners.models import ActionGroupDocument, Meeting
from sdg87.partners.tests.factories import (
    ActionGroupFactory,
    CuratorFactory,
    EditorFactory,
    library_resource,
    membership,
)

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, plaintext = api_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.fixture
def group():
    return ActionGroupFactory(name_en="Example group")


@pytest.fixture
def chair_editor(group):
    editor = EditorFactory()
    membership(group, editor.organisation, "chair")
    return editor


def attach(actor, group, resource, **fields):
    return services.action_group_document_attach(
        actor=actor, group_id=group.pk, resource_id=resource.pk, **fields
    )


# --- services -----------------------------------------------------------------------------


def test_a_curator_attaches_a_resource_and_it_is_audited(group):
    curator = CuratorFactory()
    report = library_resource("Example annual report")

    link = attach(curator, group, report, note="Adopted in plenary")

    assert (link.group, link.resource, link.note, link.attached_by) == (
        group,
        report,
        "Adopted in plenary",
        curator,
    )
    entry = AuditEntry.objects.get(object_type="partners.actiongroupdocument")
    assert (entry.action, entry.actor, entry.after["resource"]) == ("attach", curator, report.pk)


def test_a_chairs_partner_editor_attaches_to_a_meeting_of_the_group(group, chair_editor):
    meeting = Meeting.objects.create(group=group, held_on=datetime.date(2025, 3, 1))

    link = attach(chair_editor, group, library_resource(), meeting_id=meeting.pk)

    assert link.meeting == meeting


def test_a_plain_members_editor_cannot_attach(group):
    member_editor = EditorFactory()
    membership(group, member_editor.organisation, "member")

    with pytest.raises(PermissionDenied):
        attach(member_editor, group, library_resource())
    with pytest.raises(NotAuthenticated):
        attach(None, group, library_resource())
    assert not ActionGroupDocument.objects.exists()


def test_a_draft_the_actor_may_not_see_is_an_unknown_resource(group, chair_editor):
    someone_elses_draft = library_resource("Example draft", status="draft")

    with pytest.raises(InvalidInput) as raised:
        attach(chair_editor, group, someone_elses_draft)

    assert "resource" in raised.value.details


def test_the_chairs_own_draft_may_be_attached(group, chair_editor):
    own_draft = library_resource(
        "Example own draft", status="draft", owner_organisation=chair_editor.organisation
    )

    assert attach(chair_editor, group, own_draft).resource == own_draft


def test_a_meeting_of_another_group_is_refused(group):
    other_meeting = Meeting.objects.create(
        group=ActionGroupFactory(), held_on=datetime.date(2025, 3, 1)
    )

    with pytest.raises(InvalidInput) as raised:
        attach(CuratorFactory(), group, library_resource(), meeting_id=other_meeting.pk)

    assert "meeting" in raised.value.details


def test_a_resource_is_attached_once(group):
    curator, report = CuratorFactory(), library_resource()
    attach(curator, group, report)

    with pytest.raises(Conflict) as raised:
        attach(curator, group, report)

    assert raised.value.code == "already_attached"


def test_detaching_keeps_the_resource_and_is_audited(group, chair_editor):
    report = library_resource()
    attach(chair_editor, group, report)

    services.action_group_document_detach(
        actor=chair_editor, group_id=group.pk, resource_id=report.pk
    )

    assert not ActionGroupDocument.objects.exists()
    report.refresh_from_db()
    assert AuditEntry.objects.filter(action="detach", actor=chair_editor).count() == 1
    with pytest.raises(NotFound):
        services.action_group_document_detach(
            actor=chair_editor, group_id=group.pk, resource_id=report.pk
        )


# --- API ----------------------------------------------------------------------------------


def test_the_api_attaches_lists_and_detaches_a_document(client, group, chair_editor):
    report = library_resource("Example minutes")
    url = f"/api/v1/action-groups/{group.slug}/documents"

    created = client.post(
        url,
        {"resource": report.pk, "note": "Minutes"},
        content_type="application/json",
        **bearer(chair_editor),
    )
    detail = client.get(f"/api/v1/action-groups/{group.slug}?lang=fr").json()
    removed = client.delete(f"{url}/{report.pk}", **bearer(chair_editor))

    assert created.status_code == 201
    body = created.json()
    assert body["id"] == report.pk
    assert body["note"] == "Minutes"
    assert body["status"] == "published"
    assert body["url"] == f"/en/library/{report.pk}/"
    assert [document["id"] for document in detail["documents"]] == [report.pk]
    assert detail["documents"][0]["url"] == f"/fr/library/{report.pk}/"
    assert removed.status_code == 204
    assert client.get(f"/api/v1/action-groups/{group.slug}").json()["documents"] == []


def test_the_api_refuses_attaching_by_status(client, group):
    report = library_resource()
    url = f"/api/v1/action-groups/{group.slug}/documents"
    member_editor = EditorFactory()
    membership(group, member_editor.organisation)

    def post(payload, **headers):
        return client.post(url, payload, content_type="application/json", **headers)

    assert post({"resource": report.pk}).status_code == 401
    assert post({"resource": report.pk}, **bearer(member_editor)).status_code == 403
    missing = post({"resource": 999999}, **bearer(CuratorFactory()))
    assert missing.status_code == 400
    assert "resource" in missing.json()["error"]["details"]
    assert (
        client.post(
            "/api/v1/action-groups/nope/documents",
            {"resource": report.pk},
            content_type="application/json",
            **bearer(CuratorFactory()),
        ).status_code
        == 404
    )
    assert client.delete(f"{url}/{report.pk}", **bearer(CuratorFactory())).status_code == 404


def test_a_draft_document_never_reaches_the_public(client, group):
    curator = CuratorFactory()
    published = library_resource("Example published report")
    draft = library_resource("Example draft report", status="draft")
    attach(curator, group, published)
    attach(curator, group, draft)

    public = client.get(f"/api/v1/action-groups/{group.slug}").json()
    as_curator = client.get(f"/api/v1/action-groups/{group.slug}", **bearer(curator)).json()
    page = client.get(f"/en/partners/action-groups/{group.slug}/").content.decode()

    assert [document["id"] for document in public["documents"]] == [published.pk]
    assert {document["id"]: document["status"] for document in as_curator["documents"]} == {
        published.pk: "published",
        draft.pk: "draft",
    }
    assert "Example published report" in page
    assert "Example draft report" not in page


# --- pages --------------------------------------------------------------------------------


def test_the_group_page_lists_documents_and_those_of_each_meeting(client, group):
    curator = CuratorFactory()
    meeting = Meeting.objects.create(group=group, held_on=datetime.date(2025, 3, 1))
    minutes = library_resource("Example minutes of March")
    attach(curator, group, minutes, meeting_id=meeting.pk, note="Approved minutes")

    page = client.get(f"/en/partners/action-groups/{group.slug}/").content.decode()

    assert page.count(f'href="/en/library/{minutes.pk}/"') == 2  # documents and the meeting
    assert "Approved minutes" in page
    assert "Attach a library resource" not in page


def test_a_chairs_editor_attaches_and_removes_from_the_page(client, group, chair_editor):
    report = library_resource("Example report")
    client.force_login(chair_editor)
    page = client.get(f"/en/partners/action-groups/{group.slug}/").content.decode()

    attached = client.post(
        f"/en/partners/action-groups/{group.slug}/documents/", {"resource": report.pk}
    )
    refused = client.post(
        f"/en/partners/action-groups/{group.slug}/documents/", {"resource": report.pk}
    )
    removed = client.post(f"/en/partners/action-groups/{group.slug}/documents/{report.pk}/remove/")

    assert "Attach a library resource" in page
    assert attached.status_code == 302
    assert refused.status_code == 400
    assert "already one of the group" in refused.content.decode()
    assert removed.status_code == 302
    assert not ActionGroupDocument.objects.exists()


def test_a_plain_member_cannot_attach_from_the_page(client, group):
    member_editor = EditorFactory()
    membership(group, member_editor.organisation)
    client.force_login(member_editor)

    response = client.post(
        f"/en/partners/action-groups/{group.slug}/documents/",
        {"resource": library_resource().pk},
    )

    assert response.status_code == 403
    assert not ActionGroupDocument.objects.exists()


def test_the_group_page_stays_within_a_query_bound(client, group, django_assert_max_num_queries):
    curator = CuratorFactory()
    for number in range(8):
        editor = EditorFactory()
        membership(group, editor.organisation, "chair" if number == 0 else "member")
        meeting = Meeting.objects.create(group=group, held_on=datetime.date(2025, 1, number + 1))
        group.work_plan.create(title=f"Example item {number}", responsible=editor.organisation)
        attach(curator, group, library_resource(f"Example report {number}"), meeting_id=meeting.pk)
    client.force_login(curator)

    with django_assert_max_num_queries(10):
        response = client.get(f"/en/partners/action-groups/{group.slug}/")

    assert response.status_code == 200
    assert response.content.decode().count("Example report") == 16
