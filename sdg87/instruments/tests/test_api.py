import pytest

from sdg87.instruments.models import Instrument, Ratification
from sdg87.instruments.selectors import ratification_rows_for_country


def test_list_is_paginated_with_code_title_kind_and_year(client, reference_data):
    body = client.get("/api/v1/instruments").json()

    assert body["count"] == Instrument.objects.count()
    first = body["results"][0]
    assert {"code", "title", "kind", "adoption_year"} <= set(first)


def test_list_filters_by_kind(client, reference_data):
    body = client.get("/api/v1/instruments", {"kind": "ilo_convention"}).json()

    assert body["count"] == Instrument.objects.filter(kind="ilo_convention").count()
    assert {result["kind"] for result in body["results"]} == {"ilo_convention"}


def test_detail_is_case_insensitive_and_follows_lang(client, reference_data):
    body = client.get("/api/v1/instruments/c182", {"lang": "fr"}).json()

    assert body["code"] == "C182"
    assert body["title"] == body["titles"]["fr"]
    assert "pires formes de travail des enfants" in body["title"]
    assert body["adoption_year"] == 1999


def test_unknown_instrument_is_404_with_the_error_shape(client, reference_data):
    response = client.get("/api/v1/instruments/C999")

    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("query", [{"kind": "law"}, {"page": "x"}, {"lang": "it"}])
def test_malformed_parameters_are_4xx(client, reference_data, query):
    response = client.get("/api/v1/instruments", query)

    assert 400 <= response.status_code < 500


# --- /api/v1/ratifications ------------------------------------------------------------------

CONTRACT_FIELDS = {"country", "instrument", "date", "kind", "status", "source"}


def test_ratifications_by_country_and_instrument_have_the_contract_fields(
    client, ratification_data
):
    body = client.get("/api/v1/ratifications", {"country": "MYS", "instrument": "C105"}).json()

    assert body["count"] == 1
    (result,) = body["results"]
    assert set(result) >= CONTRACT_FIELDS
    assert {key: result[key] for key in CONTRACT_FIELDS} == {
        "country": "MYS",
        "instrument": "C105",
        "date": "1958",
        "kind": "ratification",
        "status": "denounced",
        "source": "ILO NORMLEX",
    }
    assert (result["date_precision"], result["denounced_on"]) == ("year", "1990")


def test_ratifications_by_country_list_one_entry_per_instrument(client, ratification_data):
    body = client.get("/api/v1/ratifications", {"country": "fra"}).json()

    instruments = [result["instrument"] for result in body["results"]]
    assert len(instruments) == len(set(instruments)) == body["count"]
    assert {result["country"] for result in body["results"]} == {"FRA"}


def test_ratifications_by_instrument_are_paginated_with_a_count(client, ratification_data):
    body = client.get("/api/v1/ratifications", {"instrument": "C182", "page_size": 10}).json()

    assert body["count"] == 187
    assert len(body["results"]) == 10
    assert {result["instrument"] for result in body["results"]} == {"C182"}


def test_the_provenance_lists_every_source_with_the_chosen_one_first(client, ratification_data):
    body = client.get("/api/v1/ratifications", {"country": "ALB", "instrument": "PALERMO"}).json()

    (result,) = body["results"]
    provenance = result["provenance"]
    assert provenance[0]["chosen"] is True
    assert provenance[0]["source"] == result["source"] == "UNTC XVIII-12-a"
    assert result["date"] == "2002-08-21"
    assert {p["source"] for p in provenance} == {"UNTC XVIII-12-a", "US DOL ILAB"}
    assert {p["kind"] for p in provenance if p["source"] == "UNTC XVIII-12-a"} == {
        "ratification",
        "signature",
    }
    assert all(p["chosen"] is False for p in provenance[1:])
    assert "18-12-a.csv" in provenance[0]["source_detail"]


def test_ratifications_filter_by_status(client, ratification_data):
    body = client.get(
        "/api/v1/ratifications", {"instrument": "P029", "status": "not_yet_in_force"}
    ).json()

    assert {r["country"] for r in body["results"]} == {"ARE", "GRC", "ITA"}


def test_a_country_without_a_record_has_an_empty_list(client, ratification_data):
    body = client.get("/api/v1/ratifications", {"country": "USA", "instrument": "C029"}).json()

    assert (body["count"], body["results"]) == (0, [])


@pytest.mark.parametrize("query", [{"country": "XXX"}, {"instrument": "C999"}])
def test_unknown_codes_are_404_with_the_error_shape(client, ratification_data, query):
    response = client.get("/api/v1/ratifications", query)

    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize(
    "query", [{"country": "FRANCE"}, {"status": "ratified"}, {"page_size": "5000"}]
)
def test_malformed_ratification_filters_are_4xx_with_the_error_shape(
    client, ratification_data, query
):
    response = client.get("/api/v1/ratifications", query)

    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_the_ratification_list_takes_a_fixed_number_of_queries(
    client, ratification_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get("/api/v1/ratifications", {"page_size": 1000})


def test_instrument_detail_has_party_counts(client, ratification_data):
    body = client.get("/api/v1/instruments/C105").json()

    assert body["data_available"] is True
    assert (body["parties"], body["denounced"], body["signatories"]) == (176, 2, 0)
    assert body["counts"]["in_force"] == 176
    assert [source["name"] for source in body["sources"]] == ["ILO NORMLEX"]


def test_instrument_detail_counts_signatories_that_are_not_parties(client, ratification_data):
    body = client.get("/api/v1/instruments/SLAVERY-1956").json()

    assert body["signatories"] == 3  # El Salvador, Liberia, Peru (data/SOURCES.md)
    assert body["counts"]["signatures_recorded"] == 35


def test_an_instrument_without_data_says_so_instead_of_zero_parties(client, ratification_data):
    Ratification.objects.filter(instrument__code="P029").delete()

    body = client.get("/api/v1/instruments/P029").json()

    assert body["data_available"] is False
    assert body["parties"] is None
    assert body["counts"] is None


def test_the_country_profile_rows_cover_every_instrument(ratification_data):
    rows = {row["instrument"]: row for row in ratification_rows_for_country("usa")}

    assert len(rows) == Instrument.objects.count()
    assert rows["C029"] == {
        "instrument": "C029",
        "status": "no_record",
        "date": None,
        "date_precision": None,
        "kind": None,
        "source": None,
    }
    assert rows["C182"]["status"] == "in_force"
