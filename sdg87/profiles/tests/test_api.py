import pytest


@pytest.mark.django_db
def test_profile_lists_ratifications_for_every_instrument(client, reference_data):
    body = client.get("/api/v1/countries/fra").json()
    assert body["iso3"] == "FRA"
    instruments = {row["instrument"] for row in body["ratifications"]}
    assert {"C029", "C182", "PALERMO", "CRC"} <= instruments
    c182 = next(row for row in body["ratifications"] if row["instrument"] == "C182")
    assert c182["status"] != "no_record"
    assert body["pathfinder"] is None


@pytest.mark.django_db
def test_profile_shows_indicators_with_their_latest_value(client, reference_data):
    from sdg87.countries.models import Country
    from sdg87.indicators.models import Indicator, Observation

    indicator = Indicator.objects.get(code="8.7.1")
    country = Country.objects.get(iso3="KEN")
    for year, value in ((2015, 30.0), (2020, 25.0)):
        Observation.objects.create(
            indicator=indicator,
            area_code="KEN",
            country=country,
            year=year,
            period=str(year),
            value=value,
            unit="percent",
        )
    body = client.get("/api/v1/countries/KEN?lang=fr").json()
    row = next(item for item in body["indicators"] if item["code"] == "8.7.1")
    assert row["latest_year"] == 2020
    assert row["latest_value"] == 25.0
    assert row["title"] == indicator.title_fr
    assert row["progress"]["open_sdg"]


@pytest.mark.django_db
def test_unknown_country_is_404_with_the_error_shape(client, reference_data):
    response = client.get("/api/v1/countries/XXX")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
