"""The Django admin: curators and administrators in, everyone else out."""

import pytest

from sdg87.accounts.models import Role, User
from sdg87.accounts.tests.factories import (
    AdminFactory,
    CuratorFactory,
    FocalPointFactory,
    UserFactory,
    api_token,
    country,
)
from sdg87.core.audit import audit_record
from sdg87.core.models import AuditEntry
from sdg87.partners.models import Organisation

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/"


def test_admin_lets_a_curator_in(client):
    client.force_login(CuratorFactory())

    response = client.get(ADMIN)

    assert response.status_code == 200
    assert b"Organisations" in response.content


def test_admin_keeps_a_viewer_out(client):
    client.force_login(UserFactory(role=Role.VIEWER, is_staff=True))

    response = client.get(ADMIN, follow=True)

    assert response.status_code == 403
    assert b"curators" in response.content


def test_admin_keeps_a_focal_point_out(client):
    client.force_login(FocalPointFactory())

    assert client.get(ADMIN, follow=True).status_code == 403


def test_admin_sends_anonymous_visitors_to_the_platform_sign_in(client):
    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/?next=")


def test_curator_signs_in_and_lands_in_the_admin(client):
    curator = CuratorFactory()

    response = client.post(
        "/en/accounts/login/?next=/en/admin/",
        {"username": curator.username, "password": "correct horse battery staple", "next": ADMIN},
    )

    assert response.status_code == 302
    assert response["Location"] == ADMIN


def test_curator_cannot_administer_users(client):
    client.force_login(CuratorFactory())

    assert client.get(f"{ADMIN}accounts/user/").status_code == 403


def test_admin_administers_users(client):
    client.force_login(AdminFactory())

    assert client.get(f"{ADMIN}accounts/user/").status_code == 200


def test_curator_adds_an_organisation_and_it_is_audited(client):
    curator = CuratorFactory()
    client.force_login(curator)

    response = client.post(
        f"{ADMIN}partners/organisation/add/",
        {"name": "Walk Free", "acronym": "", "kind": "civil_society", "website": ""},
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Walk Free")
    entry = AuditEntry.objects.get(object_type="partners.organisation")
    assert entry.action == "create"
    assert entry.actor == curator
    assert entry.source == "web"
    assert entry.object_id == str(organisation.pk)
    assert entry.after["kind"] == "civil_society"


def test_curator_cannot_delete_an_organisation(client):
    client.force_login(CuratorFactory())
    organisation = Organisation.objects.create(name="ILO", kind="un_agency")

    response = client.post(
        f"{ADMIN}partners/organisation/{organisation.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_audit_entries_are_read_only_in_the_admin_even_for_admins(client):
    admin = AdminFactory()
    entry = audit_record(actor=admin, action="create", object_type="x.y", object_id=1)
    client.force_login(admin)

    assert client.get(f"{ADMIN}core/auditentry/").status_code == 200
    assert client.get(f"{ADMIN}core/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get(f"{ADMIN}core/auditentry/add/").status_code == 403
    assert (
        client.post(f"{ADMIN}core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_token_admin_never_shows_the_hash(client):
    admin = AdminFactory()
    token, plaintext = api_token(UserFactory())
    client.force_login(admin)

    listing = client.get(f"{ADMIN}accounts/apitoken/").content.decode()
    detail = client.get(f"{ADMIN}accounts/apitoken/{token.pk}/change/").content.decode()

    assert token.name in listing
    for page in (listing, detail):
        assert token.token_hash not in page
        assert plaintext not in page


def test_admin_changes_a_users_scope_and_it_is_audited(client):
    admin = AdminFactory()
    user = UserFactory()
    france = country("FRA")
    client.force_login(admin)
    page = client.get(f"{ADMIN}accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("groups", "user_permissions", "countries", "password")
    }
    data.update(
        {
            "role": "focal_point",
            "countries": [france.pk],
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)

    response = client.post(f"{ADMIN}accounts/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(pk=user.pk)
    assert user.role == "focal_point"
    entry = AuditEntry.objects.get(object_type="accounts.user", action="update")
    assert entry.before["role"] == "viewer"
    assert entry.after["countries"] == ["FRA"]
    assert "password" not in entry.after


def test_admin_refuses_a_focal_point_without_countries(client):
    admin = AdminFactory()
    user = UserFactory()
    client.force_login(admin)
    page = client.get(f"{ADMIN}accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("groups", "user_permissions", "countries", "password")
    }
    data.update(
        {
            "role": "focal_point",
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)

    response = client.post(f"{ADMIN}accounts/user/{user.pk}/change/", data)

    assert response.status_code == 200
    assert "countries" in response.context["adminform"].form.errors
    assert User.objects.get(pk=user.pk).role == "viewer"
