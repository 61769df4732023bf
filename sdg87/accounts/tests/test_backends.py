"""The model backend reads a focal point's country scope with the user, in one query, and a
changed scope counts from the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdg87.accounts import permissions
from sdg87.accounts.backends import ScopedModelBackend
from sdg87.accounts.tests.factories import (
    CuratorFactory,
    FocalPointFactory,
    UserFactory,
    country,
)

pytestmark = pytest.mark.django_db


def test_a_focal_points_scope_comes_with_the_user_in_one_query():
    focal_point = FocalPointFactory(countries=[country("FRA"), country("KEN")])

    with CaptureQueriesContext(connection) as queries:
        user = ScopedModelBackend().get_user(focal_point.pk)
        assert permissions.country_codes(user) == {"FRA", "KEN"}
        assert permissions.is_focal_point_for(user, "ken")
        assert not permissions.is_focal_point_for(user, "BRA")

    assert len(queries) == 1


def test_users_without_countries_have_an_empty_scope():
    without = FocalPointFactory()
    without.countries.clear()
    for user in (without, CuratorFactory(), UserFactory()):
        loaded = ScopedModelBackend().get_user(user.pk)
        assert loaded.pk == user.pk
        assert permissions.country_codes(loaded) == frozenset()


def test_a_changed_scope_counts_on_the_next_load_and_inactive_users_are_refused():
    focal_point = FocalPointFactory(countries=[country("FRA")])
    focal_point.countries.set([country("BRA")])

    assert permissions.country_codes(ScopedModelBackend().get_user(focal_point.pk)) == {"BRA"}

    focal_point.is_active = False
    focal_point.save()
    assert ScopedModelBackend().get_user(focal_point.pk) is None
    assert ScopedModelBackend().get_user(999_999) is None


def test_signed_in_requests_use_the_scoped_backend(client):
    focal_point = FocalPointFactory(countries=[country("FRA")])
    client.force_login(focal_point)
    assert client.session["_auth_user_backend"] == "sdg87.accounts.backends.ScopedModelBackend"
