"""Uploads, the review workflow and slugs (pure)."""

import io

import pytest
from PIL import Image

from sdg87.core.errors import Conflict, InvalidInput
from sdg87.partners import workflow
from sdg87.partners.slugs import slug_base, unique_slug
from sdg87.partners.uploads import evidence_checked, logo_checked, safe_stem


def image_bytes(image_format: str, size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize(("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg")])
def test_png_and_jpeg_logos_are_accepted_and_re_encoded(image_format, extension):
    content = image_bytes(image_format) + b"trailing payload"

    checked = logo_checked(content)

    assert checked.extension == extension
    assert b"trailing payload" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (40, 20)


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<svg onload=alert(1)>",
        b"GIF89a not really",
        b"",
        image_bytes("GIF"),
        image_bytes("PNG")[:60],
    ],
)
def test_other_logos_are_refused(content):
    with pytest.raises(InvalidInput) as raised:
        logo_checked(content)

    assert "logo" in raised.value.details


def test_oversized_logos_are_refused():
    with pytest.raises(InvalidInput):
        logo_checked(image_bytes("PNG", size=(2500, 10)))
    with pytest.raises(InvalidInput):
        logo_checked(b"\x89PNG" + b"0" * (1024 * 1024 + 1))


def test_evidence_must_be_what_its_name_says():
    assert evidence_checked(b"%PDF-1.7 ...", "report.pdf").content_type == "application/pdf"
    assert evidence_checked(b"ville;valeur\nQuito;1\n", "data.csv").extension == "csv"
    for content, name in [
        (b"MZ\x90\x00", "report.pdf"),
        (b"%PDF-1.7", "run.exe"),
        (b"\xff\xfe\x00", "a.txt"),
    ]:
        with pytest.raises(InvalidInput):
            evidence_checked(content, name)


def test_safe_stem_keeps_only_safe_characters():
    assert safe_stem("../../etc/pass wd.pdf") == "pass-wd"
    assert safe_stem(".pdf") == "file"


def test_an_application_is_approved_or_rejected_once():
    assert workflow.target_status("applied", "approve") == "approved"
    assert workflow.target_status("applied", "reject") == "rejected"
    assert workflow.allowed_actions("approved") == []
    with pytest.raises(Conflict):
        workflow.target_status("approved", "reject")


def test_slugs_avoid_taken_and_reserved_words():
    assert (
        slug_base("Organización Internacional del Trabajo")
        == "organizacion-internacional-del-trabajo"
    )
    assert unique_slug("walk-free", {"walk-free", "walk-free-2"}) == "walk-free-3"
    assert unique_slug("pledges", set()) == "pledges-2"
