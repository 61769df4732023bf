"""Organisations: registration, applications, duplicates, review, profile edits."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from PIL import Image

from sdg87.accounts.models import Role
from sdg87.accounts.tests.factories import AdminFactory, FocalPointFactory
from sdg87.core.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.partners import services
from sdg87.partners.models import Organisation, OrganisationAlias
from sdg87.partners.tests.factories import (
    CuratorFactory,
    EditorFactory,
    OrganisationFactory,
    UserFactory,
    country,
)

pytestmark = pytest.mark.django_db


def apply(actor, **fields):
    values = {"name": "Example Coalition Against Bonded Labour", "kind": "civil_society"}
    values.update(fields)
    return services.organisation_apply(actor=actor, **values)


def test_curator_creates_an_approved_organisation_and_it_is_audited():
    curator = CuratorFactory()

    organisation = services.organisation_create(
        actor=curator,
        name="International Labour Organization",
        acronym="ILO",
        kind=Organisation.Kind.UN_AGENCY,
        website="https://www.ilo.org",
    )

    assert organisation.status == "approved"
    assert organisation.slug == "international-labour-organization"
    entry = AuditEntry.objects.get(object_type="partners.organisation")
    assert entry.object_id == str(organisation.pk)
    assert entry.actor == curator
    assert entry.after["name"] == "International Labour Organization"
    assert entry.after["status"] == "approved"


def test_partner_editors_cannot_create_organisations():
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=EditorFactory(), name="Another", kind=Organisation.Kind.OTHER
        )


def test_unknown_kind_is_invalid_input_and_nothing_is_written():
    with pytest.raises(InvalidInput) as raised:
        services.organisation_create(actor=CuratorFactory(), name="X", kind="company")

    assert "kind" in raised.value.details
    assert not AuditEntry.objects.exists()


def test_database_refuses_an_unknown_kind_or_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="X", slug="x", kind="company")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Y", slug="y", kind="other", status="pending")


def test_a_signed_in_user_applies_and_curators_are_told(
    kenya, mailoutbox, django_capture_on_commit_callbacks
):
    CuratorFactory(email="secretariat@example.org")
    applicant = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        organisation = apply(
            applicant, country_code="ken", website="http://example.org", application_note="Why"
        )

    assert organisation.status == "applied"
    assert organisation.applicant == applicant
    assert organisation.country == kenya
    entry = AuditEntry.objects.get(object_type="partners.organisation", action="apply")
    assert entry.actor == applicant
    assert [message.to for message in mailoutbox] == [["secretariat@example.org"]]


@pytest.fixture
def kenya():
    return country("KEN")


def test_anonymous_users_cannot_apply():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        apply(AnonymousUser())


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Organisation internationale du Travail", ""),
        ("Organización Internacional del Trabajo", "OIT"),
        ("ILO", ""),
        ("International Labor Organisation", ""),
    ],
)
def test_an_application_for_a_registered_organisation_is_blocked_naming_it(aliases, name, acronym):
    ilo = OrganisationFactory(name="International Labour Organization", acronym="ILO", slug="ilo")
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(Conflict) as raised:
        apply(UserFactory(), name=name, acronym=acronym, kind="un_agency")

    assert raised.value.code == "likely_duplicate"
    assert "International Labour Organization" in raised.value.message
    [match] = raised.value.details["matches"]
    assert match["id"] == ilo.pk
    assert match["slug"] == "ilo"
    assert match["reasons"]
    assert Organisation.objects.count() == 1
    assert AuditEntry.objects.count() == audit_rows


def test_walk_free_foundation_and_walk_free_are_one_organisation(aliases):
    OrganisationFactory(name="Walk Free Foundation")

    with pytest.raises(Conflict):
        apply(UserFactory(), name="Walk Free")


def test_an_unrelated_organisation_is_not_caught(aliases):
    OrganisationFactory(name="International Labour Organization", acronym="ILO")
    OrganisationFactory(name="Walk Free")

    organisation = apply(UserFactory(), name="International Organization for Migration")

    assert organisation.status == "applied"


def test_pending_applications_count_as_registered_but_rejected_ones_do_not(aliases):
    OrganisationFactory(name="Example Rights Watch", status="applied")
    OrganisationFactory(name="Example Refused Network", status="rejected")

    with pytest.raises(Conflict):
        apply(UserFactory(), name="Example Rights Watch")
    assert apply(UserFactory(), name="Example Refused Network").status == "applied"


def test_a_curator_overrides_a_likely_duplicate_with_a_recorded_reason(aliases):
    OrganisationFactory(name="Walk Free")
    curator = CuratorFactory()

    organisation = services.organisation_create(
        actor=curator,
        name="Walk Free Foundation",
        kind="civil_society",
        duplicate_override_reason="A different foundation registered in another country",
    )

    assert organisation.duplicate_override_reason.startswith("A different foundation")
    entry = AuditEntry.objects.get(
        object_type="partners.organisation", object_id=str(organisation.pk), action="create"
    )
    assert entry.comment == organisation.duplicate_override_reason
    assert entry.after["duplicate_override_reason"] == organisation.duplicate_override_reason


def test_only_curators_may_override_a_likely_duplicate(aliases):
    OrganisationFactory(name="Walk Free")

    with pytest.raises(PermissionDenied):
        apply(UserFactory(), name="Walk Free", duplicate_override_reason="trust me")
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country_code": "XYZ"}, "country"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "ftp://example.org"}, "website"),
        ({"name": "   "}, "name"),
        ({"kind": "company"}, "kind"),
    ],
)
def test_bad_application_input_is_refused_and_nothing_is_written(fields, field):
    with pytest.raises(InvalidInput) as raised:
        apply(UserFactory(), **fields)

    assert field in raised.value.details
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_logo_is_checked_and_stored_re_encoded():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buffer, format="PNG")

    organisation = apply(UserFactory(), logo=buffer.getvalue())

    assert organisation.logo.name.endswith(".png")


def test_an_svg_logo_is_refused_and_nothing_is_written():
    with pytest.raises(InvalidInput):
        apply(UserFactory(), logo=b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert not Organisation.objects.exists()


def test_an_administrator_approves_and_the_applicant_becomes_its_partner_editor(
    mailoutbox, django_capture_on_commit_callbacks
):
    applicant = UserFactory(email="applicant@example.org")
    organisation = apply(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_approve(
            actor=AdminFactory(), organisation_id=organisation.pk, comment="Welcome"
        )

    organisation.refresh_from_db()
    applicant.refresh_from_db()
    assert organisation.status == "approved"
    assert applicant.role == Role.PARTNER_EDITOR
    assert applicant.organisation == organisation
    assert mailoutbox[-1].to == ["applicant@example.org"]
    assert "Welcome" in mailoutbox[-1].body
    entry = AuditEntry.objects.get(object_type="partners.organisation", action="approve")
    assert (entry.before["status"], entry.after["status"]) == ("applied", "approved")


def test_a_curator_approves_and_the_applicant_becomes_its_partner_editor():
    applicant = UserFactory()
    organisation = apply(applicant)
    curator = CuratorFactory()
    assert services.applicant_can_be_made_editor(actor=curator, organisation=organisation)

    services.organisation_approve(actor=curator, organisation_id=organisation.pk)

    applicant.refresh_from_db()
    assert applicant.role == Role.PARTNER_EDITOR
    assert applicant.organisation == organisation
    entry = AuditEntry.objects.get(object_type="accounts.user", action="update")
    assert (entry.before["role"], entry.after["role"]) == ("viewer", "partner_editor")
    assert entry.actor == curator


def test_approving_leaves_a_focal_point_applicant_in_their_role():
    applicant = FocalPointFactory()
    organisation = apply(applicant)

    services.organisation_approve(actor=CuratorFactory(), organisation_id=organisation.pk)

    applicant.refresh_from_db()
    assert applicant.role == Role.FOCAL_POINT
    assert applicant.organisation is None


def test_a_rejection_needs_a_comment_and_tells_the_applicant(
    mailoutbox, django_capture_on_commit_callbacks
):
    organisation = apply(UserFactory(email="applicant@example.org"))
    curator = CuratorFactory()

    with pytest.raises(InvalidInput):
        services.organisation_reject(actor=curator, organisation_id=organisation.pk, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reject(
            actor=curator, organisation_id=organisation.pk, comment="Not working on Target 8.7"
        )

    organisation.refresh_from_db()
    assert organisation.status == "rejected"
    assert "Not working on Target 8.7" in mailoutbox[-1].body
    assert AuditEntry.objects.get(action="reject").comment == "Not working on Target 8.7"


def test_a_reviewed_application_cannot_be_reviewed_again():
    organisation = apply(UserFactory())
    curator = CuratorFactory()
    services.organisation_approve(actor=curator, organisation_id=organisation.pk)

    with pytest.raises(Conflict):
        services.organisation_reject(actor=curator, organisation_id=organisation.pk, comment="no")


def test_only_curators_review():
    organisation = apply(UserFactory())

    with pytest.raises(PermissionDenied):
        services.organisation_approve(actor=EditorFactory(), organisation_id=organisation.pk)


def test_partner_editors_edit_their_own_profile_only(kenya):
    editor = EditorFactory()
    other = OrganisationFactory()

    services.organisation_update(
        actor=editor,
        organisation_id=editor.organisation_id,
        description="We work on supply chains",
        country_code="KEN",
    )
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=editor, organisation_id=other.pk, description="x")
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=editor, organisation_id=editor.organisation_id, name="A new name"
        )

    entry = AuditEntry.objects.get(action="update")
    assert entry.before["description"] == ""
    assert entry.after["country"] == kenya.pk


def test_the_alias_table_loads_idempotently(aliases):
    loaded = OrganisationAlias.objects.count()
    [again] = services.organisation_aliases_load_bundled(Path(settings.DATA_DIR))

    assert aliases[0].created == loaded > 50
    assert (again.created, again.updated, again.unchanged) == (0, 0, loaded)
