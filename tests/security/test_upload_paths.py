"""Path traversal through upload names: whatever name a client gives a file, it is stored under
its own directory in MEDIA_ROOT, never where the name points."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.library.models import Resource
from sdg87.library.services import Contribution, Upload, resource_contribute
from sdg87.library.tests.resources_support import PartnerEditorFactory, library_reference
from sdg87.library.tests.uploads_support import pdf_with_text

__all__ = ["library_reference"]
pytestmark = pytest.mark.usefixtures("library_reference")

HOSTILE_NAMES = [
    "../../../../outside.pdf",
    "..\\..\\..\\outside.pdf",
    "/etc/outside.pdf",
    "library/../../outside.pdf",
    "%2e%2e%2foutside.pdf",
]


@pytest.fixture
def media_root(tmp_path, settings) -> Path:
    root = tmp_path / "deep" / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_inside(resource: Resource, media_root: Path) -> bool:
    path = Path(resource.file.path).resolve()
    return path.is_relative_to((media_root / "library").resolve()) and path.is_file()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_service_stores_a_hostile_name_inside_the_library_directory(name, media_root):
    resource = resource_contribute(
        actor=PartnerEditorFactory(),
        contribution=Contribution(title="Forced labour in mining"),
        upload=Upload(name, pdf_with_text("Forced labour in mining")),
    )
    assert stored_inside(resource, media_root)
    assert not (media_root.parent / "outside.pdf").exists()
    assert not (media_root.parent.parent / "outside.pdf").exists()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_form_stores_a_hostile_name_inside_the_library_directory(name, media_root, client):
    client.force_login(PartnerEditorFactory())
    response = client.post(
        "/en/library/contribute/",
        {
            "title": "Forced labour in mining",
            "type": "research",
            "file": SimpleUploadedFile(name, pdf_with_text("Forced labour in mining")),
        },
    )
    assert response.status_code == 302
    assert stored_inside(Resource.objects.get(), media_root)
