import pytest

from sdg87.countries.models import Country
from sdg87.instruments.models import Instrument, Ratification


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Forced Labour Convention"),
        ("fr", "Convention sur le travail forcé"),
        ("es", "Convenio sobre el trabajo forzoso"),
    ],
)
def test_instrument_list_renders_in_each_language(client, reference_data, language, title):
    response = client.get(f"/{language}/instruments/")

    assert response.status_code == 200
    assert title in response.content.decode()
    assert f'href="/{language}/instruments/PALERMO/"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_instrument_page_shows_official_titles(client, reference_data, language):
    response = client.get(f"/{language}/instruments/CRC-OP-AC/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "involvement of children in armed conflict" in html
    assert "implication d’enfants dans les conflits armés" in html
    assert "participación de niños en los conflictos armados" in html


def test_unknown_instrument_page_is_404(client, reference_data):
    assert client.get("/en/instruments/C999/").status_code == 404


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("code", ["C182", "C138", "P029"])
def test_instrument_pages_have_a_map_and_a_table_of_every_country(
    client, ratification_data, language, code
):
    response = client.get(f"/{language}/instruments/{code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="ratification-map"' in html
    assert "data-choropleth" in html
    assert 'id="ratification-map-data"' in html
    assert html.count('<tr data-iso3="') == Country.objects.count()
    assert 'id="parties-chart"' in html
    assert "<caption" in html
    assert "instruments/parties_chart.js" in html


def test_the_map_data_colour_every_country_by_its_status(client, ratification_data):
    response = client.get("/en/instruments/C105/")

    map_data = response.context["map_data"]
    assert map_data["mode"] == "categorical"
    assert map_data["values"]["MYS"]["category"] == "denounced"
    assert map_data["values"]["FRA"]["category"] == "in_force"
    assert map_data["values"]["USA"]["category"] == "in_force"
    assert len(map_data["values"]) == Country.objects.count()
    assert next(c["key"] for c in map_data["categories"]) == "in_force"


def test_the_table_shows_status_date_kind_and_source(client, ratification_data):
    html = client.get("/en/instruments/C105/").content.decode()

    row = html[html.index('<tr data-iso3="MYS"') :]
    row = row[: row.index("</tr>")]
    assert "Denounced" in row
    assert "1958" in row
    assert "denounced 1990" in row
    assert "Ratification" in row
    assert "ILO NORMLEX" in row


def test_the_parties_over_time_end_with_todays_count(client, ratification_data):
    response = client.get("/en/instruments/C105/")

    points = response.context["points"]
    assert points[-1][1] == 176
    assert response.context["chart_data"]["series"][0]["data"][-1] == 176


def test_an_instrument_without_data_says_so_and_shows_no_map(client, ratification_data):
    Ratification.objects.filter(instrument__code="P029").delete()

    html = client.get("/en/instruments/P029/").content.decode()

    assert "No ratification data is available" in html
    assert "ratification-map" not in html
    assert "no data" in client.get("/en/instruments/").content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_country_page_lists_every_instrument_with_its_status(
    client, ratification_data, language
):
    response = client.get(f"/{language}/instruments/countries/USA/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr data-instrument=") == Instrument.objects.count()
    assert 'data-instrument="C029" data-status="no_record"' in html
    assert 'data-instrument="C182" data-status="in_force"' in html
    assert 'data-instrument="CRC" data-status="signed_only"' in html


def test_an_unknown_country_page_is_404(client, ratification_data):
    assert client.get("/en/instruments/countries/XXX/").status_code == 404


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_timeline_counts_new_parties_by_year(client, ratification_data, language):
    response = client.get(f"/{language}/instruments/timeline/")

    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert timeline.counts[1958]["C105"] >= 2  # Malaysia's ratification counts in its year
    assert 'id="timeline-chart"' in response.content.decode()
    assert 'id="timeline-table"' in response.content.decode()


def test_the_instrument_list_shows_the_number_of_parties(client, ratification_data):
    response = client.get("/en/instruments/")

    summaries = {i.code: s for i, s in response.context["rows"]}
    assert summaries["C105"].parties == 176
