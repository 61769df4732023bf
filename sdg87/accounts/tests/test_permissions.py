import pytest
from django.contrib.auth.models import AnonymousUser

from sdg87.accounts import permissions
from sdg87.accounts.models import Role
from sdg87.accounts.tests.factories import (
    AdminFactory,
    CuratorFactory,
    FocalPointFactory,
    OrganisationFactory,
    PartnerEditorFactory,
    UserFactory,
    country,
)
from sdg87.core.errors import InvalidInput, NotAuthenticated, PermissionDenied

pytestmark = pytest.mark.django_db


def test_focal_point_for_france_acts_for_france_but_not_for_kenya():
    country("KEN")
    focal_point = FocalPointFactory(countries=[country("FRA")])

    assert permissions.can_act_for_country(focal_point, "FRA")
    assert permissions.can_act_for_country(focal_point, "fra")
    assert not permissions.can_act_for_country(focal_point, "KEN")


def test_require_country_refuses_a_focal_point_outside_its_scope():
    focal_point = FocalPointFactory(countries=[country("FRA")])

    permissions.require_country(focal_point, "FRA")
    with pytest.raises(PermissionDenied):
        permissions.require_country(focal_point, "KEN")


def test_focal_point_with_several_countries_acts_for_each():
    focal_point = FocalPointFactory(countries=[country("FRA"), country("KEN")])

    assert permissions.can_act_for_country(focal_point, "FRA")
    assert permissions.can_act_for_country(focal_point, "KEN")


def test_curators_and_admins_act_for_every_country_and_organisation():
    organisation = OrganisationFactory()
    for user in (CuratorFactory(), AdminFactory()):
        assert permissions.can_act_for_country(user, "KEN")
        assert permissions.can_act_for_organisation(user, organisation.pk)
        assert not permissions.is_focal_point_for(user, "KEN")


def test_partner_editor_acts_only_for_its_organisation():
    editor = PartnerEditorFactory()
    other = OrganisationFactory()

    assert permissions.can_act_for_organisation(editor, editor.organisation_id)
    assert not permissions.can_act_for_organisation(editor, other.pk)
    assert not permissions.can_act_for_country(editor, "FRA")
    with pytest.raises(PermissionDenied):
        permissions.require_organisation(editor, other.pk)


def test_viewer_acts_for_nothing():
    viewer = UserFactory(role=Role.VIEWER)

    assert not permissions.can_act_for_country(viewer, "FRA")
    assert not permissions.is_curator(viewer)
    with pytest.raises(PermissionDenied):
        permissions.require_curator(viewer)


def test_anonymous_gets_not_authenticated_rather_than_permission_denied():
    with pytest.raises(NotAuthenticated):
        permissions.require_curator(AnonymousUser())
    assert not permissions.can_act_for_country(AnonymousUser(), "FRA")


def test_inactive_curator_may_do_nothing():
    curator = CuratorFactory(is_active=False)

    assert not permissions.is_curator(curator)
    assert not permissions.has_model_permission(curator, "partners.change_organisation")


def test_admin_counts_as_curator_and_superuser_counts_as_admin():
    superuser = UserFactory(role=Role.VIEWER, is_superuser=True)

    assert permissions.is_curator(AdminFactory())
    assert permissions.is_admin(superuser)


def test_curator_model_permissions_exclude_user_administration_and_deletion():
    curator = CuratorFactory()

    assert curator.has_perm("partners.add_organisation")
    assert curator.has_perm("partners.change_organisation")
    assert curator.has_perm("core.view_auditentry")
    assert not curator.has_perm("partners.delete_organisation")
    assert not curator.has_perm("accounts.view_user")
    assert not curator.has_perm("auth.change_group")
    assert curator.has_module_perms("partners")
    assert not curator.has_module_perms("accounts")


def test_admin_role_holds_every_model_permission():
    admin = AdminFactory(is_superuser=False)

    assert admin.has_perm("accounts.change_user")
    assert admin.has_perm("partners.delete_organisation")


@pytest.mark.parametrize(
    ("role", "countries", "organisation_id", "field"),
    [
        (Role.FOCAL_POINT, [], None, "countries"),
        (Role.PARTNER_EDITOR, [], None, "organisation"),
        (Role.VIEWER, ["FRA"], None, "countries"),
        (Role.CURATOR, [], 7, "organisation"),
        ("owner", [], None, "role"),
    ],
)
def test_scope_must_match_the_role(role, countries, organisation_id, field):
    assert field in permissions.scope_problems(role, countries, organisation_id)
    with pytest.raises(InvalidInput):
        permissions.require_scope_consistent(role, countries, organisation_id)


def test_consistent_scopes_have_no_problems():
    assert permissions.scope_problems(Role.FOCAL_POINT, ["FRA"], None) == {}
    assert permissions.scope_problems(Role.PARTNER_EDITOR, [], 3) == {}
    assert permissions.scope_problems(Role.VIEWER, [], None) == {}
