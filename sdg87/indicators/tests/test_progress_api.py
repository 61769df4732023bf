"""``GET /api/v1/indicators/{code}/progress?country=ISO3``.

The router is exercised on an API with the project's error handlers; once it is mounted under
``/indicators`` in ``config/api.py`` the same requests answer at ``/api/v1/indicators/…``.
"""

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from sdg87.core.api_errors import install_error_handlers
from sdg87.countries.models import Country
from sdg87.indicators import progress_service
from sdg87.indicators.api_progress import router
from sdg87.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client():
    api = NinjaAPI(urls_namespace="progress-api-test")
    install_error_handlers(api)
    api.add_router("/indicators", router)
    return TestClient(api)


@pytest.fixture
def kyrgyz_child_labour():
    country = Country.objects.create(iso3="KGZ", iso2="KG", numeric="417", name_en="Kyrgyzstan")
    indicator = Indicator.objects.create(
        code="8.7.1",
        kind=Indicator.Kind.SDG,
        title_en="Children engaged in child labour",
        desired_direction="down",
        target_value=0,
        target_year=2025,
    )
    for year, value, lower, upper in ((2015, 25.8, 24.0, 27.6), (2023, 19.6, 18.0, 21.2)):
        Observation.objects.create(
            indicator=indicator,
            country=country,
            area_code="KGZ",
            period=str(year),
            year=year,
            value=value,
            unit="PT",
            lower_bound=lower,
            upper_bound=upper,
        )
    return indicator


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


def test_progress_returns_both_methods_with_their_components(client, kyrgyz_child_labour):
    response = client.get("/indicators/8.7.1/progress?country=KGZ")

    assert response.status_code == 200, response.content
    body = response.json()
    open_sdg, unsd = body["methods"]["open_sdg"], body["methods"]["unsd"]
    # Worked out in test_progress.py: R = 0.0529434 (limited), Q = 0.290756 (2).
    assert open_sdg["status"] == "limited_progress"
    assert open_sdg["progress_value"] == pytest.approx(0.0529434, rel=1e-4)
    assert open_sdg["robust"] is True
    assert unsd["status"] == "acceleration_needed"
    assert unsd["progress_ratio"] == pytest.approx(0.290756, rel=1e-4)
    assert unsd["series"][0]["bounds"]["optimistic"]["status"] == "acceleration_needed"
    assert body["years_to_target_linear"] == pytest.approx(25.2903, rel=1e-4)
    assert body["required_annual_rate"] == pytest.approx(-0.992857, rel=1e-4)


def test_progress_methods_are_the_cli_document(client, kyrgyz_child_labour):
    body = client.get("/indicators/8.7.1/progress?country=kgz").json()

    document = progress_service.progress_document(
        progress_service.indicator_progress(indicator_code="8.7.1", country_iso3="KGZ")
    )
    assert body["methods"] == document["methods"]
    assert body == document


def test_country_without_data_is_200_with_no_result(client, kyrgyz_child_labour):
    Country.objects.create(iso3="KEN", iso2="KE", numeric="404", name_en="Kenya")

    body = client.get("/indicators/8.7.1/progress?country=KEN").json()

    assert body["methods"]["open_sdg"]["status"] == "no_result"
    assert body["methods"]["unsd"]["reason"] == "no_data"


def test_unknown_indicator_is_404(client, kyrgyz_child_labour):
    error = assert_error(client.get("/indicators/9.9.9/progress?country=KGZ"), 404, "not_found")

    assert "9.9.9" in error["message"]


def test_unknown_country_is_404(client, kyrgyz_child_labour):
    assert_error(client.get("/indicators/8.7.1/progress?country=QQQ"), 404, "not_found")


@pytest.mark.parametrize("query", ["", "?country=", "?country=KG", "?country=K1Z"])
def test_missing_or_malformed_country_is_422(client, kyrgyz_child_labour, query):
    error = assert_error(client.get(f"/indicators/8.7.1/progress{query}"), 422, "validation_error")

    assert error["details"][0]["field"] == "country"
