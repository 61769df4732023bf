"""Curators create and edit action groups, with their chairs and members: the service, the
API and the web form."""

import pytest

from sdg87.accounts.tests.factories import api_token
from sdg87.core.errors import InvalidInput, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.partners import services
from sdg87.partners.models import ActionGroup
from sdg87.partners.tests.factories import (
    ActionGroupFactory,
    CuratorFactory,
    EditorFactory,
    OrganisationFactory,
    membership,
    theme,
)

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, plaintext = api_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def roles(group):
    return {m.organisation_id: m.role for m in group.memberships.all()}


def test_a_curator_creates_a_group_with_chairs_and_members_all_audited():
    theme("forced-labour")
    chair, member = OrganisationFactory(), OrganisationFactory()

    group = services.action_group_create(
        actor=CuratorFactory(),
        theme_slug="forced-labour",
        name_en="Example group",
        name_fr="Groupe d'exemple",
        chair_ids=[chair.pk],
        member_ids=[member.pk],
    )

    assert roles(group) == {chair.pk: "chair", member.pk: "member"}
    assert AuditEntry.objects.filter(action="join").count() == 2
    assert AuditEntry.objects.get(object_type="partners.actiongroup").after["name_fr"] == (
        "Groupe d'exemple"
    )


def test_editing_replaces_the_chairs_keeps_the_slug_and_audits_each_change():
    group = ActionGroupFactory(slug="example-group")
    old_chair, member, new_chair = (
        OrganisationFactory(),
        OrganisationFactory(),
        OrganisationFactory(),
    )
    membership(group, old_chair, "chair")
    membership(group, member, "member")

    services.action_group_update(
        actor=CuratorFactory(), group_id=group.pk, name_en="Renamed group", chair_ids=[new_chair.pk]
    )

    group.refresh_from_db()
    assert (group.slug, group.name_en) == ("example-group", "Renamed group")
    assert roles(group) == {new_chair.pk: "chair", member.pk: "member"}
    assert AuditEntry.objects.filter(action="leave").count() == 1
    assert AuditEntry.objects.filter(action="join").count() == 1


def test_moving_a_member_to_the_chairs_is_a_role_change():
    group = ActionGroupFactory()
    member = OrganisationFactory()
    membership(group, member, "member")

    services.action_group_update(actor=CuratorFactory(), group_id=group.pk, chair_ids=[member.pk])

    assert roles(group) == {member.pk: "chair"}
    assert AuditEntry.objects.filter(action="update", object_type__endswith="membership").exists()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name_en": " "}, "name_en"),
        ({"theme_slug": "nope"}, "theme"),
        ({"chair_ids": "missing"}, "chairs"),
        ({"member_ids": "pending"}, "members"),
        ({"chair_ids": "both", "member_ids": "both"}, "members"),
        ({"member_ids": "beyond 64 bits"}, "members"),
        ({"chair_ids": "negative"}, "chairs"),
        ({"chair_ids": "not ids"}, "chairs"),
    ],
)
def test_bad_group_input_names_the_field_and_writes_nothing(arguments, field):
    group = ActionGroupFactory(name_en="Example group")
    pending = OrganisationFactory(status="applied")
    both = OrganisationFactory()
    values = {
        "pending": [pending.pk],
        "both": [both.pk],
        "missing": [999999],
        "beyond 64 bits": [2**70],
        "negative": [-3],
        "not ids": ["x"],
    }
    arguments = {key: values.get(value, value) for key, value in arguments.items()}
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as raised:
        services.action_group_update(actor=CuratorFactory(), group_id=group.pk, **arguments)

    assert field in raised.value.details
    group.refresh_from_db()
    assert group.name_en == "Example group"
    assert not group.memberships.exists()
    assert AuditEntry.objects.count() == audit_rows


def test_only_curators_create_or_edit_groups():
    group = ActionGroupFactory()
    chair_editor = EditorFactory()
    membership(group, chair_editor.organisation, "chair")

    with pytest.raises(PermissionDenied):
        services.action_group_create(actor=chair_editor, theme_slug="child-labour", name_en="X")
    with pytest.raises(PermissionDenied):
        services.action_group_update(actor=chair_editor, group_id=group.pk, name_en="X")


# --- API ----------------------------------------------------------------------------------


def test_the_api_creates_and_edits_a_group(client):
    theme("child-labour")
    chair = OrganisationFactory(slug="example-chair")
    curator = CuratorFactory()

    created = client.post(
        "/api/v1/action-groups",
        {"theme": "child-labour", "name_en": "Example group", "chairs": ["example-chair"]},
        content_type="application/json",
        **bearer(curator),
    )
    slug = created.json()["slug"]
    edited = client.patch(
        f"/api/v1/action-groups/{slug}",
        {"name_es": "Grupo de ejemplo", "chairs": []},
        content_type="application/json",
        **bearer(curator),
    )

    assert created.status_code == 201
    assert created.json()["members"][0]["organisation"]["id"] == chair.pk
    assert edited.status_code == 200
    assert edited.json()["names"]["es"] == "Grupo de ejemplo"
    assert edited.json()["members"] == []


def test_the_api_refuses_group_writes_by_status(client):
    theme("child-labour")
    group = ActionGroupFactory()
    payload = {"theme": "child-labour", "name_en": "Example"}

    def post(body, **headers):
        return client.post(
            "/api/v1/action-groups", body, content_type="application/json", **headers
        )

    assert post(payload).status_code == 401
    assert post(payload, **bearer(EditorFactory())).status_code == 403
    bad_theme = post({**payload, "theme": "nope"}, **bearer(CuratorFactory()))
    assert bad_theme.status_code == 400
    assert "theme" in bad_theme.json()["error"]["details"]
    unknown_partner = post({**payload, "members": ["nobody"]}, **bearer(CuratorFactory()))
    assert unknown_partner.status_code == 400
    assert "members" in unknown_partner.json()["error"]["details"]
    assert (
        client.patch(
            "/api/v1/action-groups/nope",
            {},
            content_type="application/json",
            **bearer(CuratorFactory()),
        ).status_code
        == 404
    )
    assert ActionGroup.objects.count() == 1
    assert group.name_en == ActionGroup.objects.get().name_en


# --- the web form -----------------------------------------------------------------------------


def test_a_curator_creates_a_group_with_the_web_form(client):
    theme("human-trafficking")
    chair, member = OrganisationFactory(), OrganisationFactory()
    client.force_login(CuratorFactory())

    form = client.get("/en/partners/action-groups/new/")
    response = client.post(
        "/en/partners/action-groups/new/",
        {
            "theme": "human-trafficking",
            "name_en": "Example trafficking group",
            "name_fr": "Groupe d'exemple",
            "chairs": [chair.pk],
            "members": [member.pk],
        },
    )

    assert form.status_code == 200
    assert "Name (French)" in form.content.decode()
    group = ActionGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/partners/action-groups/{group.slug}/"
    assert roles(group) == {chair.pk: "chair", member.pk: "member"}


def test_a_curator_edits_a_group_with_the_web_form(client):
    group = ActionGroupFactory(name_en="Example group")
    chair = OrganisationFactory()
    membership(group, chair, "chair")
    client.force_login(CuratorFactory())

    form = client.get(f"/en/partners/action-groups/{group.slug}/edit/").content.decode()
    refused = client.post(
        f"/en/partners/action-groups/{group.slug}/edit/",
        {
            "theme": group.theme.slug,
            "name_en": "Renamed",
            "chairs": [chair.pk],
            "members": [chair.pk],
        },
    )
    saved = client.post(
        f"/en/partners/action-groups/{group.slug}/edit/",
        {"theme": group.theme.slug, "name_en": "Renamed", "members": [chair.pk]},
    )

    assert 'value="Example group"' in form
    assert refused.status_code == 400
    assert "either a chair or a member" in refused.content.decode()
    assert saved.status_code == 302
    group.refresh_from_db()
    assert group.name_en == "Renamed"
    assert roles(group) == {chair.pk: "member"}


def test_the_group_form_is_for_curators_only(client):
    group = ActionGroupFactory()
    chair_editor = EditorFactory()
    membership(group, chair_editor.organisation, "chair")
    client.force_login(chair_editor)

    assert client.get("/en/partners/action-groups/new/").status_code == 403
    assert client.get(f"/en/partners/action-groups/{group.slug}/edit/").status_code == 403
    assert (
        "Edit the group"
        not in client.get(f"/en/partners/action-groups/{group.slug}/").content.decode()
    )
