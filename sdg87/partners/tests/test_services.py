import pytest
from django.db import IntegrityError, transaction

from sdg87.accounts.tests.factories import CuratorFactory, PartnerEditorFactory
from sdg87.core.errors import InvalidInput, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.partners import services
from sdg87.partners.models import Organisation

pytestmark = pytest.mark.django_db


def test_curator_creates_an_organisation_and_it_is_audited():
    curator = CuratorFactory()

    organisation = services.organisation_create(
        actor=curator,
        name="International Labour Organization",
        acronym="ILO",
        kind=Organisation.Kind.UN_AGENCY,
        website="https://www.ilo.org",
    )

    entry = AuditEntry.objects.get(object_type="partners.organisation")
    assert entry.object_id == str(organisation.pk)
    assert entry.actor == curator
    assert entry.after == {
        "name": "International Labour Organization",
        "acronym": "ILO",
        "kind": "un_agency",
        "website": "https://www.ilo.org",
    }


def test_partner_editors_cannot_create_organisations():
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=PartnerEditorFactory(), name="Another", kind=Organisation.Kind.OTHER
        )


def test_unknown_kind_is_invalid_input():
    with pytest.raises(InvalidInput) as raised:
        services.organisation_create(actor=CuratorFactory(), name="X", kind="company")

    assert "kind" in raised.value.details
    assert not AuditEntry.objects.exists()


def test_database_refuses_an_unknown_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="X", kind="company")
