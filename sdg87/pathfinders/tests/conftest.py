"""Fixtures for the pathfinder service tests: two pathfinder countries (FRA, KEN) and a user of
each role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sdg87.pathfinders.tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded roadmap documents and evidence files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def france(db):
    return factories.pathfinder("FRA")


@pytest.fixture
def kenya(db):
    return factories.pathfinder("KEN")


@pytest.fixture
def focal_point(france):
    """A focal point for France."""
    return factories.FocalPointFactory(countries=[factories.country("FRA")])


@pytest.fixture
def kenyan_focal_point(kenya):
    """A focal point for Kenya only."""
    return factories.FocalPointFactory(countries=[factories.country("KEN")])


@pytest.fixture
def curator(db):
    return factories.CuratorFactory()


@pytest.fixture
def partner_editor(db):
    return factories.PartnerEditorFactory()


@pytest.fixture
def viewer(db):
    return factories.UserFactory()


@pytest.fixture
def anonymous():
    return AnonymousUser()
