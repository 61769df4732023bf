import pytest


@pytest.mark.parametrize(
    ("language", "germany"), [("en", "Germany"), ("fr", "Allemagne"), ("es", "Alemania")]
)
def test_country_list_shows_names_in_the_page_language(client, reference_data, language, germany):
    response = client.get(f"/{language}/countries/")

    assert response.status_code == 200
    assert germany in response.content.decode()


def test_country_list_is_an_accessible_table(client, reference_data):
    html = client.get("/en/countries/").content.decode()

    assert "<caption>" in html
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    assert '<label for="country-q">' in html


def test_country_list_filters_by_region(client, reference_data):
    html = client.get("/en/countries/", {"region": "202"}).content.decode()

    assert "Kenya" in html
    assert "France" not in html


def test_country_list_searches_names(client, reference_data):
    html = client.get("/fr/countries/", {"q": "Kenia"}).content.decode()

    assert "/fr/countries/KEN/" in html
    assert "/fr/countries/FRA/" not in html


def test_country_list_ignores_a_malformed_region(client, reference_data):
    response = client.get("/en/countries/", {"region": "<script>"})

    assert response.status_code == 200


def test_country_list_query_count_is_constant(
    client, reference_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        client.get("/en/countries/")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_country_page_shows_names_in_three_languages_codes_and_region(
    client, reference_data, language
):
    response = client.get(f"/{language}/countries/DEU/")

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Germany", "Allemagne", "Alemania"):
        assert name in html
    assert "DEU" in html
    assert "276" in html
    assert "?region=155" in html


def test_unknown_country_page_is_404(client, reference_data):
    response = client.get("/en/countries/XXX/")

    assert response.status_code == 404
