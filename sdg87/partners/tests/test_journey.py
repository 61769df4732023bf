"""The journey of the issue: a partner applies, is approved, joins an action group, records a
pledge and updates it — through the services, then through the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.accounts.models import Role
from sdg87.accounts.tests.factories import AdminFactory, CuratorFactory
from sdg87.core.models import AuditEntry
from sdg87.partners import services
from sdg87.partners.models import Organisation, Pledge
from sdg87.partners.staleness import Staleness
from sdg87.partners.tests.factories import ActionGroupFactory, UserFactory, country, theme

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make_reviewer", [AdminFactory, CuratorFactory])
def test_the_partner_journey_through_the_services(
    make_reviewer, django_capture_on_commit_callbacks
):
    country("KEN")
    theme("child-labour")
    group = ActionGroupFactory()
    applicant = UserFactory()
    reviewer = make_reviewer()

    organisation = services.organisation_apply(
        actor=applicant,
        name="Example Network Against Child Labour",
        kind="civil_society",
        country_code="KEN",
    )
    services.organisation_approve(actor=reviewer, organisation_id=organisation.pk)
    applicant.refresh_from_db()
    services.action_group_member_add(
        actor=applicant, group_id=group.pk, organisation_id=organisation.pk
    )
    pledge = services.pledge_create(
        actor=applicant,
        organisation_id=organisation.pk,
        title="Example pledge: 500 children back in school",
        deliverables="Remediation for 500 children",
        budget_amount="10000",
        budget_currency="KES",
        country_codes=["KEN"],
        theme_slugs=["child-labour"],
    )
    services.pledge_progress_report(
        actor=applicant,
        pledge_id=pledge.pk,
        text="200 children back in school",
        evidence_url="https://example.org/report",
    )

    assert applicant.role == Role.PARTNER_EDITOR
    assert applicant.organisation == organisation
    assert group.members.get() == organisation
    pledge.refresh_from_db()
    assert pledge.updates.count() == 1
    assert pledge.staleness == Staleness.GREEN
    actions = [entry.action for entry in AuditEntry.objects.order_by("id")]
    assert actions == ["apply", "approve", "update", "join", "create", "report_progress"]


def test_the_partner_journey_through_the_pages(client):
    country("KEN")
    theme("child-labour")
    group = ActionGroupFactory()
    applicant = UserFactory()

    # 1. A signed-in user applies for the organisation.
    client.force_login(applicant)
    response = client.post(
        "/en/partners/apply/",
        {
            "name": "Example Network Against Child Labour",
            "kind": "civil_society",
            "country": "KEN",
            "website": "https://example.org",
            "description": "Example organisation for the test",
        },
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/partners/{organisation.slug}/"
    assert organisation.status == "applied"

    # 2. A secretariat curator approves it, which makes the applicant its partner editor.
    client.force_login(CuratorFactory())
    assert organisation.name in client.get("/en/partners/applications/").content.decode()
    response = client.post(
        f"/en/partners/applications/{organisation.slug}/",
        {"decision": "approve", "comment": "Welcome"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == "approved"
    applicant.refresh_from_db()
    assert (applicant.role, applicant.organisation) == (Role.PARTNER_EDITOR, organisation)

    # 3. The applicant, now its partner editor, joins an action group.
    client.force_login(applicant)
    page = client.get(f"/en/partners/action-groups/{group.slug}/").content.decode()
    assert "Join this group" in page
    response = client.post(f"/en/partners/action-groups/{group.slug}/join/")
    assert response.status_code == 302
    assert group.members.get() == organisation

    # 4. It records a pledge.
    response = client.post(
        "/en/partners/pledges/new/",
        {
            "organisation": organisation.pk,
            "title": "Example pledge: 500 children back in school",
            "deliverables": "Remediation for 500 children",
            "budget_amount": "10000",
            "budget_currency": "KES",
            "countries": ["KEN"],
            "themes": ["child-labour"],
        },
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/partners/pledges/{pledge.pk}/"

    # 5. It reports progress with evidence.
    response = client.post(
        f"/en/partners/pledges/{pledge.pk}/updates/new/",
        {
            "text": "200 children back in school",
            "evidence_url": "https://example.org/report",
            "evidence_file": SimpleUploadedFile("report.pdf", b"%PDF-1.7 example"),
        },
    )
    assert response.status_code == 302
    detail = client.get(f"/en/partners/pledges/{pledge.pk}/").content.decode()
    assert "200 children back in school" in detail
    assert "Updated within a year" in detail
    update = pledge.updates.get()
    download = client.get(f"/en/partners/pledges/{pledge.pk}/updates/{update.pk}/evidence/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(source="web").count() >= 5
