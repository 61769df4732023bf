import csv
from pathlib import Path

import pytest
from django.conf import settings

from sdg87.framework.models import Target
from sdg87.framework.services import SYNERGIES_FILE


def test_french_target_page_shows_the_french_text(client, reference_data):
    response = client.get("/fr/framework/targets/8.7/")

    assert response.status_code == 200
    assert Target.objects.get(code="8.7").title_fr in response.content.decode()
    assert "Prendre des mesures immédiates et efficaces" in response.content.decode()


def test_target_87_page_links_each_synergy_target(client, reference_data):
    html = client.get("/en/framework/targets/8.7/").content.decode()

    with (Path(settings.DATA_DIR) / SYNERGIES_FILE).open(encoding="utf-8", newline="") as handle:
        codes = [row["related_target"] for row in csv.DictReader(handle)]
    for code in codes:
        assert f'href="/en/framework/targets/{code}/"' in html
    assert "8.7.1" in html


def test_a_synergy_target_links_back_to_87(client, reference_data):
    html = client.get("/en/framework/targets/16.2/").content.decode()

    assert 'href="/en/framework/targets/8.7/"' in html


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_goals_page_renders_in_each_language(client, reference_data, language):
    response = client.get(f"/{language}/framework/")

    assert response.status_code == 200
    assert f'href="/{language}/framework/targets/8.7/"' in response.content.decode()


def test_unknown_target_page_is_404(client, reference_data):
    assert client.get("/en/framework/targets/99.9/").status_code == 404


def test_french_home_page_shows_the_headline_figures_and_sources(client, reference_data):
    html = client.get("/fr/").content.decode()

    assert "49,6" in html
    assert "160" in html
    assert "Walk Free" in html
    assert "UNICEF" in html
    assert "Personnes en situation d’esclavage moderne" in html


def test_english_home_page_shows_the_breakdowns(client, reference_data):
    html = client.get("/en/").content.decode()

    for figure in (
        "49.6 million",
        "27.6 million",
        "17.3 million",
        "6.3 million",
        "3.9 million",
        "22 million",
        "160 million",
        "63 million",
        "97 million",
        "USD 150 billion",
    ):
        assert figure in html


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_home_page_renders_in_each_language(client, reference_data, language):
    assert client.get(f"/{language}/").status_code == 200


@pytest.mark.django_db
def test_home_page_without_data_invites_to_load_it(client):
    response = client.get("/en/")

    assert response.status_code == 200
    assert "sdg87 load-data" in response.content.decode()
