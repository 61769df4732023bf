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
    """pytest-django's ``transactional_db``, emptying the audit trail before the flush.

    On SQLite the flush empties tables with DELETE, which the audit trail's append-only
    triggers refuse; this lifts them for the audit table only, at teardown.
    """
    yield
    from sdg87.core.tests.support import empty_audit_trail

    empty_audit_trail()


@pytest.fixture(autouse=True)
def _reset_active_language():
    """Each test starts in the default language: a request through LocaleMiddleware (or a
    test's own ``activate``) leaves its language active in the thread, which would make later
    tests in the same worker depend on the order they run in."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
