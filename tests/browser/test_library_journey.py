"""The knowledge library in a real browser: a French visitor searches "travail forcé", finds
documents in English, French and Spanish (cross-lingual search), narrows the results with a
facet and opens a resource — with no serious or critical accessibility violation on the way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from sdg87.countries.services import countries_load_bundled
from sdg87.framework.services import framework_load_bundled
from sdg87.library.ingest import ResourceRecord
from sdg87.library.models import ResourceStatus
from sdg87.library.services import resources_ingest
from tests.browser.support import axe_violations, save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def small_library(transactional_db) -> None:
    """Countries, the SDG framework and five published resources in English, French and
    Spanish, ingested the way every resource comes in."""
    data_dir = Path(settings.DATA_DIR)
    countries_load_bundled(data_dir)
    framework_load_bundled(data_dir)
    records = [
        ResourceRecord(
            id="en-fishing",
            title="Forced labour in the Thai fishing industry",
            text="Forced labour and debt bondage affect migrant workers on fishing vessels. " * 8,
            language="en",
            year=2021,
            type="research",
            countries=("THA",),
            organisation="ILO",
        ),
        ResourceRecord(
            id="fr-agriculture",
            title="Le travail forcé dans l'agriculture au Mali",
            text="Le travail forcé et la servitude pour dettes touchent les travailleurs "
            "agricoles. " * 8,
            language="fr",
            year=2020,
            type="evaluation",
            countries=("MLI",),
        ),
        ResourceRecord(
            id="es-mineria",
            title="El trabajo forzoso en la minería informal del Perú",
            text="El trabajo forzoso y la servidumbre por deudas afectan a los mineros. " * 8,
            language="es",
            year=2019,
            type="research",
            countries=("PER",),
        ),
        ResourceRecord(
            id="en-cocoa",
            title="Child labour in cocoa farming",
            text="Child labour in cocoa farming remains widespread in West Africa. " * 8,
            language="en",
            year=2018,
            type="guidance",
            countries=("CIV",),
        ),
    ]
    resources_ingest(records=records, source="browser-test", status=ResourceStatus.PUBLISHED)


def hit_languages(page: Page) -> set[str]:
    return set(page.locator(".search-hits .hit-meta span[lang]").all_inner_texts())


def test_a_french_search_finds_documents_in_every_language_and_opens_one(
    page, small_library, page_errors
):
    page.goto("/fr/library/")
    expect(page.locator("h1")).to_have_text("Bibliothèque de connaissances")

    page.get_by_role("searchbox").fill("travail forcé")
    page.get_by_role("searchbox").press("Enter")

    expect(page).to_have_url(re.compile(r"/fr/library/\?q=travail(\+|%20)forc%C3%A9$"))
    hits = page.locator(".search-hits > li")
    expect(hits.first).to_be_visible()
    assert {"EN", "FR", "ES"} <= hit_languages(page), "cross-lingual search"
    titles = hits.locator("h3").all_inner_texts()
    assert "Child labour in cocoa farming" not in titles
    assert axe_violations(page) == []
    save_screenshot(page, "library-journey-search-fr")

    page.locator("nav[aria-labelledby='facet-country'] a", has_text="Pérou").click()

    expect(page.locator(".active-filters")).to_be_visible()
    expect(hits).to_have_count(1)
    expect(hits.first.locator("h3")).to_have_text(
        "El trabajo forzoso en la minería informal del Perú"
    )

    hits.first.locator("h3 a").click()

    expect(page.locator("h1")).to_have_text("El trabajo forzoso en la minería informal del Perú")
    assert "/fr/library/" in page.url
    assert axe_violations(page) == []
    save_screenshot(page, "library-journey-resource-fr")
    assert page_errors == []
