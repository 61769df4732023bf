"""Contributing a resource: partner editors and curators submit metadata and a file through the
form and the API; refused uploads leave nothing behind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sdg87.core.errors import InvalidInput, PermissionDenied
from sdg87.library.extraction import UploadRefused
from sdg87.library.models import Resource, ResourceStatus
from sdg87.library.services import Contribution, Upload, resource_contribute
from sdg87.library.tests.resources_support import (
    CuratorFactory,
    PartnerEditorFactory,
    UserFactory,
    library_reference,
)
from sdg87.library.tests.uploads_support import WINDOWS_PROGRAM, pdf_with_text

__all__ = ["library_reference"]
pytestmark = pytest.mark.usefixtures("library_reference")


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def contribution(**fields):
    return Contribution(**{"title": "Child labour in cocoa", **fields})


def test_a_partner_editor_contributes_for_their_organisation():
    editor = PartnerEditorFactory()
    resource = resource_contribute(
        actor=editor,
        contribution=contribution(countries=("GHA",)),
        upload=Upload("study.pdf", pdf_with_text("Child labour in Ghana cocoa farms")),
    )
    assert resource.status == ResourceStatus.IN_REVIEW
    assert resource.owner_organisation_id == editor.organisation_id
    assert resource.organisation == editor.organisation.name
    assert "Child labour in Ghana cocoa farms" in resource.full_text
    assert resource.file.name.endswith(".pdf")
    assert len(resource.file_sha256) == 64


def test_a_contribution_can_stay_a_draft():
    resource = resource_contribute(
        actor=CuratorFactory(), contribution=contribution(url="https://example.org/x", submit=False)
    )
    assert resource.status == ResourceStatus.DRAFT
    assert resource.source == "contribution"


def test_a_viewer_may_not_contribute():
    with pytest.raises(PermissionDenied):
        resource_contribute(
            actor=UserFactory(), contribution=contribution(url="https://example.org/x")
        )


def test_a_contribution_needs_a_file_or_an_address():
    with pytest.raises(InvalidInput):
        resource_contribute(actor=CuratorFactory(), contribution=contribution())


def test_a_refused_upload_writes_nothing():
    with pytest.raises(UploadRefused, match="Windows program"):
        resource_contribute(
            actor=CuratorFactory(),
            contribution=contribution(),
            upload=Upload("notes.txt", WINDOWS_PROGRAM),
        )
    assert not Resource.objects.exists()


def test_a_bad_year_is_refused_on_its_field():
    with pytest.raises(InvalidInput) as caught:
        resource_contribute(
            actor=CuratorFactory(), contribution=contribution(url="https://e.org", year=3000)
        )
    assert "year" in caught.value.details


def test_the_form_creates_a_resource_in_review(client):
    editor = PartnerEditorFactory()
    client.force_login(editor)
    response = client.post(
        "/en/library/contribute/",
        {
            "title": "Travail des enfants",
            "type": "research",
            "countries": "CIV, GHA",
            "submit_for_review": "on",
            "file": SimpleUploadedFile("etude.txt", b"Le travail des enfants au Ghana."),
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/library/{resource.pk}/"
    assert resource.language == "fr"
    assert sorted(country.iso3 for country in resource.countries.all()) == ["CIV", "GHA"]


def test_the_form_shows_why_an_upload_is_refused(client):
    client.force_login(PartnerEditorFactory())
    response = client.post(
        "/en/library/contribute/",
        {
            "title": "Lie",
            "type": "research",
            "file": SimpleUploadedFile("report.pdf", b"<html><body><p>x</p></body></html>"),
        },
    )
    assert response.status_code == 200
    assert "HTML page" in response.content.decode()
    assert not Resource.objects.exists()


@override_settings(LIBRARY_UPLOAD_MAX_BYTES=100)
def test_the_form_refuses_an_oversize_file(client):
    client.force_login(PartnerEditorFactory())
    response = client.post(
        "/en/library/contribute/",
        {"title": "Big", "type": "research", "file": SimpleUploadedFile("big.txt", b"a" * 500)},
    )
    assert "the limit is" in response.content.decode()
    assert not Resource.objects.exists()


def test_the_form_sends_anonymous_people_to_sign_in(client):
    response = client.get("/en/library/contribute/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_form_is_refused_to_a_viewer(client):
    client.force_login(UserFactory())
    assert client.get("/en/library/contribute/").status_code == 403


def test_the_api_refuses_an_upload_that_lies_with_400(client):
    from sdg87.accounts.tests.factories import api_token

    editor = PartnerEditorFactory()
    _token, plaintext = api_token(editor)
    response = client.post(
        "/api/v1/resources/contributions",
        {"title": "Lie", "file": SimpleUploadedFile("report.pdf", b"<html><p>x</p></html>")},
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "upload_refused"
    assert not Resource.objects.exists()


def test_the_api_creates_a_contribution_with_a_token(client):
    from sdg87.accounts.tests.factories import api_token

    editor = PartnerEditorFactory()
    _token, plaintext = api_token(editor)
    response = client.post(
        "/api/v1/resources/contributions",
        {
            "title": "Trabajo infantil",
            "countries": "BOL;PER",
            "file": SimpleUploadedFile(
                "informe.txt", "El trabajo infantil en la minería.".encode()
            ),
        },
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["language"], body["countries"]) == (
        "in_review",
        "es",
        ["BOL", "PER"],
    )
    assert body["actions"] == ["withdraw"]
