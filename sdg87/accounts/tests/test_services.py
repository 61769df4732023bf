"""Users, roles and scopes; the first administrator."""

import pytest

from sdg87.accounts import services
from sdg87.accounts.models import Role, User
from sdg87.accounts.tests.factories import (
    AdminFactory,
    CuratorFactory,
    OrganisationFactory,
    UserFactory,
    country,
)
from sdg87.core.errors import InvalidInput, NotAuthenticated, PermissionDenied
from sdg87.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_admin_create_initial_creates_an_admin_with_a_random_password():
    username, password = services.admin_create_initial()

    admin = User.objects.get(username=username)
    assert username == "admin"
    assert admin.role == Role.ADMIN
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password(password)
    assert len(password) >= 20
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(admin.pk))
    assert entry.action == "create"
    assert entry.actor is None


def test_admin_create_initial_returns_none_when_an_admin_exists():
    AdminFactory()

    assert services.admin_create_initial() is None
    assert User.objects.count() == 1


def test_admin_create_initial_runs_once():
    assert services.admin_create_initial() is not None
    assert services.admin_create_initial() is None


def test_admin_create_initial_gives_a_different_password_each_time():
    passwords = set()
    for _run in range(3):
        _username, password = services.admin_create_initial()
        passwords.add(password)
        User.objects.all().delete()

    assert len(passwords) == 3


def test_admin_create_initial_ignores_an_inactive_admin_and_picks_a_free_name():
    AdminFactory(username="admin", is_active=False)

    username, _password = services.admin_create_initial()

    assert username == "admin2"


def test_createsuperuser_makes_an_admin_role_user():
    user = User.objects.create_superuser("root", "root@example.org", "a long passphrase here")

    assert user.role == Role.ADMIN


def test_admin_creates_a_focal_point_and_it_is_audited():
    admin = AdminFactory()
    country("FRA")

    user = services.user_create(
        actor=admin, username="amina", role=Role.FOCAL_POINT, country_codes=["fra"]
    )

    assert [c.iso3 for c in user.countries.all()] == ["FRA"]
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.after["countries"] == ["FRA"]
    assert entry.after["role"] == "focal_point"
    assert "password" not in entry.after


def test_only_admins_create_users():
    with pytest.raises(PermissionDenied):
        services.user_create(actor=CuratorFactory(), username="someone")
    with pytest.raises(NotAuthenticated):
        services.user_create(actor=None, username="someone")


def test_user_create_refuses_unknown_countries_and_taken_usernames():
    admin = AdminFactory()
    with pytest.raises(InvalidInput):
        services.user_create(
            actor=admin, username="x", role=Role.FOCAL_POINT, country_codes=["ZZZ"]
        )
    with pytest.raises(InvalidInput):
        services.user_create(actor=admin, username=admin.username)


def test_role_and_scope_change_is_audited_with_before_and_after():
    admin = AdminFactory()
    organisation = OrganisationFactory()
    user = UserFactory()

    services.user_update_access(
        actor=admin,
        user_id=user.pk,
        role=Role.PARTNER_EDITOR,
        organisation_id=organisation.pk,
    )

    user.refresh_from_db()
    assert user.organisation == organisation
    entry = AuditEntry.objects.get(object_type="accounts.user", action="update")
    assert entry.before["role"] == "viewer"
    assert entry.after["role"] == "partner_editor"
    assert entry.after["organisation"] == organisation.pk


def test_inconsistent_scope_is_refused_and_nothing_changes():
    admin = AdminFactory()
    user = UserFactory()

    with pytest.raises(InvalidInput):
        services.user_update_access(actor=admin, user_id=user.pk, role=Role.FOCAL_POINT)

    user.refresh_from_db()
    assert user.role == Role.VIEWER
    assert not AuditEntry.objects.filter(action="update").exists()


def test_only_admins_change_roles():
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_update_access(actor=CuratorFactory(), user_id=user.pk, role=Role.CURATOR)


# --- user_grant_partner_editor ----------------------------------------------


@pytest.mark.parametrize("make_actor", [CuratorFactory, AdminFactory])
def test_a_curator_or_an_admin_makes_a_viewer_a_partner_editor_and_it_is_audited(make_actor):
    actor = make_actor()
    viewer = UserFactory()
    organisation = OrganisationFactory()

    user = services.user_grant_partner_editor(
        actor=actor, user=viewer, organisation=organisation, source="web"
    )

    viewer.refresh_from_db()
    assert user == viewer
    assert (viewer.role, viewer.organisation) == (Role.PARTNER_EDITOR, organisation)
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(viewer.pk))
    assert entry.action == "update"
    assert entry.actor == actor
    assert entry.source == "web"
    assert (entry.before["role"], entry.before["organisation"]) == ("viewer", None)
    assert (entry.after["role"], entry.after["organisation"]) == (
        "partner_editor",
        organisation.pk,
    )


def test_granting_the_same_organisation_again_changes_nothing():
    organisation = OrganisationFactory()
    editor = UserFactory(role=Role.PARTNER_EDITOR, organisation=organisation)

    services.user_grant_partner_editor(
        actor=CuratorFactory(), user=editor, organisation=organisation
    )

    assert not AuditEntry.objects.filter(object_type="accounts.user").exists()


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: UserFactory(role=Role.FOCAL_POINT, countries=[country("FRA")]),
        CuratorFactory,
        AdminFactory,
        lambda: UserFactory(role=Role.PARTNER_EDITOR, organisation=OrganisationFactory()),
    ],
    ids=["focal_point", "curator", "admin", "editor_of_another_organisation"],
)
def test_a_curator_cannot_use_it_to_change_any_other_role(make_user):
    user = make_user()
    role, organisation_id = user.role, user.organisation_id

    with pytest.raises(PermissionDenied):
        services.user_grant_partner_editor(
            actor=CuratorFactory(), user=user, organisation=OrganisationFactory()
        )

    user.refresh_from_db()
    assert (user.role, user.organisation_id) == (role, organisation_id)
    assert not AuditEntry.objects.filter(object_type="accounts.user").exists()


def test_only_curators_and_admins_may_grant_and_only_for_an_approved_organisation():
    viewer = UserFactory()
    organisation = OrganisationFactory()

    for actor in (
        UserFactory(),
        UserFactory(role=Role.PARTNER_EDITOR, organisation=organisation),
        UserFactory(role=Role.FOCAL_POINT, countries=[country("FRA")]),
    ):
        with pytest.raises(PermissionDenied):
            services.user_grant_partner_editor(actor=actor, user=viewer, organisation=organisation)
    with pytest.raises(NotAuthenticated):
        services.user_grant_partner_editor(actor=None, user=viewer, organisation=organisation)
    applied = OrganisationFactory(status="applied")
    with pytest.raises(InvalidInput):
        services.user_grant_partner_editor(
            actor=CuratorFactory(), user=viewer, organisation=applied
        )

    viewer.refresh_from_db()
    assert (viewer.role, viewer.organisation) == (Role.VIEWER, None)
