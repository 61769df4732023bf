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


@pytest.mark.django_db
def test_profile_lists_active_partners_and_key_resources(client):
    from sdg87.accounts.tests.factories import country
    from sdg87.partners.tests.factories import OrganisationFactory, PledgeFactory
    from sdg87.profiles.tests.support import resource

    kenya = country("KEN")
    OrganisationFactory(name="Example Kenyan Network", country=kenya)
    PledgeFactory(owner=OrganisationFactory(name="Example Donor")).countries.add(kenya)
    study = resource(kenya, title="Example study on Kenya", year=2023)

    body = client.get("/api/v1/countries/KEN?lang=fr").json()

    assert [(row["name"], row["reason"]) for row in body["partners"]] == [
        ("Example Kenyan Network", "based_here"),
        ("Example Donor", "pledge"),
    ]
    assert body["partners"][1]["active_pledges"] == 1
    assert body["partners"][0]["url"].startswith("/fr/partners/")
    assert body["resources"] == [
        {
            "id": study.pk,
            "title": "Example study on Kenya",
            "year": 2023,
            "type": "research",
            "language": "en",
            "url": f"/fr/library/{study.pk}/",
        }
    ]


@pytest.mark.django_db
def test_profile_gives_the_pathfinder_roadmap_funding_and_published_report(client):
    from sdg87.pathfinders.models import AnnualReport
    from sdg87.pathfinders.tests import factories as pathfinders

    pathfinders.pathfinder("KEN", example=True)
    roadmap = pathfinders.roadmap("KEN")
    pathfinders.action(roadmap, planned="1000", secured="400", spent="100")
    report = pathfinders.report_through(AnnualReport.Status.PUBLISHED, iso3="KEN", year=2024)

    pathfinder = client.get("/api/v1/countries/KEN").json()["pathfinder"]

    assert pathfinder["example"] is True
    assert pathfinder["status"] == "active"
    assert pathfinder["roadmap"]["id"] == roadmap.pk
    assert pathfinder["roadmap"]["period_start"] == 2022
    assert pathfinder["funding"] == {
        "planned_usd": 1000.0,
        "secured_usd": 400.0,
        "spent_usd": 100.0,
        "gap_usd": 600.0,
        "missing_rates": [],
    }
    assert pathfinder["actions_total"] == 1
    assert pathfinder["latest_report"]["id"] == report.pk
    assert pathfinder["timeliness"] == "green"


@pytest.mark.django_db
def test_profile_pathfinder_schema_is_explicit(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    pathfinder = schemas["ProfilePathfinderOut"]["properties"]
    assert {"example", "status", "roadmap", "funding", "latest_report", "timeliness"} <= set(
        pathfinder
    )
    assert schemas["ProfileFundingOut"]["properties"]["gap_usd"]["type"] == "number"


@pytest.mark.django_db
def test_profile_of_a_country_with_only_disaggregated_values_is_not_an_error(
    client, reference_data
):
    """Found by `make load`: an indicator with no headline (no total, no whole-population
    breakdown) made the profile API answer 500."""
    from sdg87.countries.models import Country
    from sdg87.indicators.models import Indicator, Observation

    indicator = Indicator.objects.get(code="8.7.1")
    country = Country.objects.get(iso3="KEN")
    Observation.objects.create(
        indicator=indicator,
        area_code="KEN",
        country=country,
        year=2020,
        period="2020",
        value=12.0,
        unit="percent",
        dimensions={"URBANISATION": "RUR"},
        dimensions_key="URBANISATION=RUR",
    )

    response = client.get("/api/v1/countries/KEN")

    assert response.status_code == 200
    row = next(item for item in response.json()["indicators"] if item["code"] == "8.7.1")
    assert row["latest_value"] is None
    assert row["headline_breakdown"] == {}
