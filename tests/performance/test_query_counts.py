"""At most 10 SQL queries per page (issue 7), on the bundled data: the main pages of every
area, anonymous. Pages whose count is constant but above 10 are listed with their bound and
the reason, so a regression on them fails too."""

from __future__ import annotations

import pytest

from sdg87.library.ingest import ResourceRecord
from sdg87.library.models import ResourceStatus
from sdg87.library.services import resources_ingest

PAGES = [
    "/en/",
    "/fr/framework/",
    "/en/framework/targets/8.7/",
    "/en/library/",
    "/en/library/?q=child+labour",
    "/es/library/?q=trabajo+forzoso&type=report",
    "/en/indicators/",
    "/en/indicators/8.7.1/",
    "/en/indicators/8.7.1/?country=KGZ",
    "/en/indicators/coverage/",
    "/en/countries/",
    "/en/countries/KGZ/",
    "/fr/countries/BRA/",
    "/en/instruments/",
    "/en/instruments/C182/",
    "/en/instruments/timeline/",
    "/en/partners/",
    "/en/partners/action-groups/",
    "/en/partners/pledges/",
    "/en/partners/research/",
    "/en/pathfinders/",
    "/en/pathfinders/exchange-rates/",
]
# Constant (they do not grow with the data) but above 10: the deep roadmap of a pathfinder is
# read with one query per level (priorities, themes, actions, partners, pledges, milestones,
# indicators) and the country profile composes every area.
DEEP_PAGES = {
    "/en/pathfinders/RWA/": 20,
    "/en/pathfinders/funding/": 15,
    "/en/countries/RWA/": 20,
}


@pytest.fixture
def platform(reference_data, settings):
    from sdg87.pathfinders.services.examples import examples_load_bundled

    settings.PATHFINDER_EXAMPLES = True
    examples_load_bundled(settings.DATA_DIR)
    resources_ingest(
        records=[
            ResourceRecord(
                id=f"doc-{index}",
                title=f"Child labour report {index}",
                text="Forced labour and child labour in agriculture.",
                language="en",
                year=2020,
                countries=("KGZ", "BRA"),
            )
            for index in range(30)
        ],
        source="query-count fixture",
        status=ResourceStatus.PUBLISHED,
    )


@pytest.mark.parametrize("path", PAGES)
def test_a_main_page_takes_at_most_10_queries(
    client, platform, path, django_assert_max_num_queries
):
    client.get(path)  # warm per-process caches (translations, geometry, site settings)
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert response.status_code == 200


@pytest.mark.parametrize(("path", "bound"), DEEP_PAGES.items())
def test_a_deep_page_stays_within_its_bound(
    client, platform, path, bound, django_assert_max_num_queries
):
    client.get(path)
    with django_assert_max_num_queries(bound):
        response = client.get(path)
    assert response.status_code == 200
