"""The country profile as a PDF: `/{lang}/countries/{iso3}/profile.pdf` in the page's
language, and the pure renderer behind it (DejaVu Sans, or Helvetica as a fallback)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from sdg87.accounts.tests.factories import country
from sdg87.pathfinders.models import AnnualReport
from sdg87.pathfinders.tests import factories as pathfinders
from sdg87.profiles.pdf import (
    Banner,
    Facts,
    Paragraph,
    PdfDocument,
    Section,
    Table,
    render_pdf,
    unicode_fonts,
)
from sdg87.profiles.tests.support import resource

needs_dejavu = pytest.mark.skipif(
    unicode_fonts(django_settings.PDF_FONT_DIR) is None,
    reason=f"DejaVu Sans is not installed in {django_settings.PDF_FONT_DIR}",
)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """Text with its line breaks (where a table cell wraps) turned into spaces."""
    return " ".join(text.split())


# --- the view ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_pdf_is_in_the_requested_language(client, reference_data, language):
    from sdg87.countries.models import Country

    germany = Country.objects.get(iso3="DEU")

    response = client.get(f"/{language}/countries/deu/profile.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="sdg87-profile-DEU-{language}.pdf"'
    )
    text = flat(pdf_text(response.content))
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    with translation.override(language):
        assert germany.name in text
        assert gettext("International instruments") in text
        assert gettext("Page %(page)s of %(pages)s") % {"page": pages, "pages": pages} in text
    assert {"fr": "Allemagne", "es": "Alemania"}.get(language, "Germany") in text


@pytest.mark.django_db
def test_unknown_country_is_a_404_page(client):
    response = client.get("/en/countries/XXX/profile.pdf")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_pdf_of_an_example_pathfinder_carries_the_example_banner_and_its_report(client):
    pathfinders.pathfinder("KEN", example=True)
    roadmap = pathfinders.roadmap("KEN", title="Example national action plan")
    pathfinders.action(roadmap, planned="1000", secured="400")
    pathfinders.report_through(AnnualReport.Status.PUBLISHED, iso3="KEN", year=2024)

    text = flat(pdf_text(client.get("/en/countries/KEN/profile.pdf").content))

    assert "EXAMPLE — not real data" in text
    assert "Example national action plan (2022–2026)" in text
    assert "Annual report 2024 (version 1)" in text


@pytest.mark.django_db
def test_pdf_lists_partners_and_key_resources_with_empty_states(client):
    kenya = country("KEN")
    resource(kenya, title="Example study on Kenya", year=2023)

    text = flat(pdf_text(client.get("/en/countries/KEN/profile.pdf").content))

    assert "Example study on Kenya" in text
    assert "No approved partner is based in Kenya" in text
    assert "Kenya is not a pathfinder country of Alliance 8.7." in text


@pytest.mark.django_db
def test_pdf_falls_back_to_helvetica_without_the_font_directory(client, settings, tmp_path):
    country("KEN")
    settings.PDF_FONT_DIR = str(tmp_path)

    response = client.get("/en/countries/KEN/profile.pdf")

    assert response.status_code == 200
    fonts = PdfReader(io.BytesIO(response.content)).pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert any("Helvetica" in name for name in names)


# --- the pure renderer ------------------------------------------------------------------

DOCUMENT = PdfDocument(
    language="en",
    title="Côte d’Ivoire — Ελληνικά",
    subtitle="Generated on 1 January 2026",
    sections=(
        Section(
            "Pathfinder roadmap and funding",
            (
                Banner("EXAMPLE — not real data"),
                Facts([("Status", "Active")]),
                Table(["Planned", "Gap"], [["1,000", "600"]], links=["https://example.org/"]),
                Paragraph("A link", url="https://example.org/"),
            ),
        ),
    ),
    footer="sdg87",
    page_label="Page %(page)s of %(pages)s",
)


@needs_dejavu
def test_renderer_keeps_unicode_text_with_dejavu_sans():
    text = pdf_text(render_pdf(DOCUMENT, font_dir=django_settings.PDF_FONT_DIR))

    assert "Côte d’Ivoire — Ελληνικά" in text
    assert "Page 1 of 1" in text


def test_renderer_replaces_what_latin1_lacks_with_the_core_font(tmp_path):
    content = render_pdf(DOCUMENT, font_dir=tmp_path)

    text = pdf_text(content)
    assert "Côte d'Ivoire - ????????" in text
    assert "EXAMPLE - not real data" in text
    assert "Page 1 of 1" in text


def test_renderer_is_pure_and_needs_no_font_directory():
    assert render_pdf(DOCUMENT).startswith(b"%PDF-")
    assert unicode_fonts(None) is None
    assert unicode_fonts(Path("/nonexistent")) is None
