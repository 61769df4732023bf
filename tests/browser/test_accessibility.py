"""axe-core on every main page, in a real browser, on the bundled data: no serious or critical
WCAG 2.1 A/AA violation, for a visitor in English, French and Spanish and for a curator on the
pages only curators see. One database load serves the whole sweep (``sdg87 load-data`` without
the document corpus, plus a few library documents ingested the usual way)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from sdg87.accounts.tests.factories import CuratorFactory
from sdg87.library.ingest import ResourceRecord
from sdg87.library.models import Resource, ResourceStatus
from sdg87.library.services import resources_ingest
from sdg87.loading import load_bundled_data
from sdg87.partners.tests.factories import (
    ActionGroupFactory,
    PledgeFactory,
    ResearchProjectFactory,
    membership,
)
from sdg87.pathfinders.models import AnnualReport
from tests.browser.support import axe_violations, save_screenshot, sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/library/",
    "/{lang}/library/?q=forced+labour",
    "/{lang}/library/{resource}/",
    "/{lang}/indicators/",
    "/{lang}/indicators/8.7.1/",
    "/{lang}/indicators/coverage/",
    "/{lang}/countries/",
    "/{lang}/countries/KEN/",
    "/{lang}/framework/",
    "/{lang}/framework/targets/8.7/",
    "/{lang}/instruments/",
    "/{lang}/instruments/C182/",
    "/{lang}/instruments/timeline/",
    "/{lang}/instruments/countries/KEN/",
    "/{lang}/partners/",
    "/{lang}/partners/{organisation}/",
    "/{lang}/partners/action-groups/",
    "/{lang}/partners/action-groups/{group}/",
    "/{lang}/partners/pledges/",
    "/{lang}/partners/pledges/{pledge}/",
    "/{lang}/partners/research/",
    "/{lang}/partners/research/gaps/",
    "/{lang}/pathfinders/",
    "/{lang}/pathfinders/{pathfinder}/",
    "/{lang}/pathfinders/funding/",
    "/{lang}/pathfinders/reports/{report}/",
    "/{lang}/accounts/login/",
    "/{lang}/no-such-page/",
]

CURATOR_PAGES = [
    "/en/library/review/",
    "/en/library/contribute/",
    "/en/library/tasks/",
    "/en/library/harvest/",
    "/en/indicators/import/",
    "/en/pathfinders/review/",
    "/en/pathfinders/exchange-rates/",
    "/en/partners/applications/",
    "/en/accounts/profile/",
    "/en/accounts/audit/",
    "/en/library/{resource}/edit/",
    "/en/pathfinders/{pathfinder}/roadmaps/new/",
]


@pytest.fixture
def bundled(transactional_db, settings) -> dict[str, object]:
    """The bundled data (no corpus, with the example pathfinders), three documents, and the
    ids the page addresses need."""
    settings.PATHFINDER_EXAMPLES = True
    load_bundled_data()
    resources_ingest(
        records=[
            ResourceRecord(
                id=f"a11y-{language}",
                title=title,
                text=f"{title}. " * 20,
                language=language,
                year=2022,
                type="research",
                countries=("KEN",),
                organisation="ILO",
            )
            for language, title in [
                ("en", "Forced labour in domestic work"),
                ("fr", "Le travail forcé dans le travail domestique"),
                ("es", "El trabajo forzoso en el trabajo doméstico"),
            ]
        ],
        source="a11y-test",
        status=ResourceStatus.PUBLISHED,
    )
    # Partner content is not bundled: one organisation with a pledge, a group and a study.
    pledge = PledgeFactory()
    group = ActionGroupFactory()
    membership(group, pledge.owner)
    ResearchProjectFactory(organisation=pledge.owner)
    # The bundled example pathfinders have a published report.
    report = (
        AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED)
        .select_related("pathfinder__country")
        .order_by("pk")
        .first()
    )
    assert report is not None, "the bundled examples have a published report"
    return {
        "resource": Resource.objects.filter(status=ResourceStatus.PUBLISHED).first().pk,
        "report": report.pk,
        "pathfinder": report.pathfinder.country.iso3,
        "organisation": pledge.owner.slug,
        "group": group.slug,
        "pledge": pledge.pk,
    }


def sweep(page: Page, urls: list[str], prefix: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.status < 500, f"{url}: {response.status}"
        violations = axe_violations(page)
        if violations:
            found[url] = violations
            save_screenshot(page, f"a11y-{prefix}-{url}")
    return found


def test_every_main_page_has_no_serious_accessibility_violation(page, bundled, page_errors):
    """One sweep (the data load is the slow part): every public page in the three languages,
    then the curator's pages."""
    found: dict[str, list[str]] = {}
    for lang in ("en", "fr", "es"):
        urls = [template.format(lang=lang, **bundled) for template in PUBLIC_PAGES]
        found |= sweep(page, urls, lang)
    CuratorFactory(username="a11y-curator")
    sign_in(page, "a11y-curator")
    found |= sweep(page, [url.format(**bundled) for url in CURATOR_PAGES], "curator")
    assert found == {}
    assert page_errors == []
