"""Project-wide test fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture
def reference_data(db):
    """The bundled reference data (countries, framework, instruments), loaded once per test."""
    from sdg87.loading import load_bundled_data

    return load_bundled_data()


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's ``transactional_db``, emptying the audit trail and the observations
    before the flush.

    On SQLite the flush empties tables with DELETE, in no set order. The audit trail's
    append-only triggers refuse it (this lifts them for the audit table only, at teardown),
    and the observation reference triggers refuse deleting a parent row that observations
    still point at (sdg87/indicators/integrity.py).
    """
    yield
    from sdg87.core.tests.support import empty_audit_trail
    from sdg87.indicators.tests.import_support import empty_observations

    empty_audit_trail()
    empty_observations()


@pytest.fixture(autouse=True)
def _reset_active_language():
    """Each test starts in the default language: a request through LocaleMiddleware (or a
    test's own ``activate``) leaves its language active in the thread, which would make later
    tests in the same worker depend on the order they run in."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
