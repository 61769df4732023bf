import pytest

from sdg87.countries.models import Country, Region


def assert_error_shape(response, status):
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_the_list_is_paginated_and_counts_every_country(client, reference_data):
    body = client.get("/api/v1/countries", {"page_size": 10}).json()

    assert body["count"] == Country.objects.count()
    assert body["page"] == 1
    assert body["page_size"] == 10
    assert len(body["results"]) == 10


def test_un_members_filter_counts_at_least_193(client, reference_data):
    body = client.get("/api/v1/countries", {"un_member": "true", "page_size": 1000}).json()

    assert body["count"] >= 193
    assert body["count"] == Country.objects.filter(un_member=True).count()
    assert all(result["un_member"] for result in body["results"])


def test_a_result_carries_codes_names_and_regions(client, reference_data):
    body = client.get("/api/v1/countries", {"q": "KEN"}).json()

    kenya = next(result for result in body["results"] if result["iso3"] == "KEN")
    assert kenya["iso2"] == "KE"
    assert kenya["numeric"] == "404"
    assert kenya["names"] == {"en": "Kenya", "fr": "Kenya", "es": "Kenia"}
    assert kenya["region"] == {"m49": "002", "name": "Africa"}
    assert kenya["subregion"] == {"m49": "202", "name": "Sub-Saharan Africa"}
    assert kenya["intermediate_region"]["m49"] == "014"


@pytest.mark.parametrize("code", ["002", "202", "014"])
def test_region_filter_matches_region_subregion_or_intermediate_region(
    client, reference_data, code
):
    body = client.get("/api/v1/countries", {"region": code, "page_size": 1000}).json()

    iso3s = {result["iso3"] for result in body["results"]}
    assert "KEN" in iso3s
    assert "FRA" not in iso3s
    for result in body["results"]:
        codes = {
            (result[level] or {}).get("m49")
            for level in ("region", "subregion", "intermediate_region")
        }
        assert code in codes


@pytest.mark.parametrize("term", ["Allemagne", "alemania", "germany", "deu", "DE"])
def test_search_matches_names_in_three_languages_and_codes(client, reference_data, term):
    body = client.get("/api/v1/countries", {"q": term, "page_size": 1000}).json()

    assert "DEU" in {result["iso3"] for result in body["results"]}


def test_lang_chooses_the_language_of_name(client, reference_data):
    french = client.get("/api/v1/countries/DEU", {"lang": "fr"}).json()
    spanish = client.get("/api/v1/countries/DEU", {"lang": "es"}).json()
    default = client.get("/api/v1/countries/DEU").json()

    assert french["name"] == "Allemagne"
    assert french["subregion"]["name"] == Region.objects.get(m49="155").name_fr
    assert spanish["name"] == "Alemania"
    assert default["name"] == "Germany"


def test_country_detail_is_case_insensitive_and_a_profile_summary(client, reference_data):
    response = client.get("/api/v1/countries/fra")

    assert response.status_code == 200
    body = response.json()
    assert body["iso3"] == "FRA"
    assert body["names"]["es"] == "Francia"
    assert body["region"]["m49"] == "150"
    # The profile parts (indicators, ratifications, pathfinder) are tested in sdg87/profiles.
    assert {"indicators", "ratifications", "pathfinder"} <= set(body)


def test_unknown_country_is_404_with_the_error_shape(client, reference_data):
    response = client.get("/api/v1/countries/XXX")

    assert_error_shape(response, 404)
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page_size": "5000"},
        {"page_size": "-1"},
        {"page": "999"},
        {"un_member": "maybe"},
        {"region": "Africa"},
        {"lang": "de"},
        {"q": "x" * 500},
    ],
)
def test_malformed_query_parameters_are_4xx_never_500(client, reference_data, query):
    response = client.get("/api/v1/countries", query)

    assert 400 <= response.status_code < 500
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_regions_list_every_m49_region_with_its_parent(client, reference_data):
    body = client.get("/api/v1/regions", {"lang": "es", "page_size": 1000}).json()

    assert body["count"] == Region.objects.count()
    by_code = {result["m49"]: result for result in body["results"]}
    assert by_code["202"]["parent"] == "002"
    assert by_code["202"]["level"] == "subregion"
    assert by_code["001"]["parent"] is None
    assert by_code["419"]["name"] == by_code["419"]["names"]["es"]


def test_country_list_query_count_does_not_grow_with_the_page(
    client, reference_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/countries", {"page_size": 1000})
