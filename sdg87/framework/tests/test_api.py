import csv
from pathlib import Path

import pytest
from django.conf import settings

from sdg87.framework.models import GlobalEstimate, Goal, Theme
from sdg87.framework.services import SYNERGIES_FILE


def synergy_codes() -> list[str]:
    path = Path(settings.DATA_DIR) / SYNERGIES_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["related_target"] for row in csv.DictReader(handle)]


def test_goals_are_paginated_in_order(client, reference_data):
    body = client.get("/api/v1/goals").json()

    assert body["count"] == Goal.objects.count()
    assert [goal["code"] for goal in body["results"][:3]] == ["1", "2", "3"]
    goal_8 = next(goal for goal in body["results"] if goal["code"] == "8")
    assert "8.7" in goal_8["targets"]


def test_target_87_has_indicators_and_synergies(client, reference_data):
    body = client.get("/api/v1/targets/8.7").json()

    assert body["goal"] == "8"
    assert body["deadline_year"] == 2025
    assert [indicator["code"] for indicator in body["indicators"]] == ["8.7.1"]
    assert [synergy["code"] for synergy in body["synergies"]] == synergy_codes()
    assert all(synergy["title"] and synergy["description"] for synergy in body["synergies"])


def test_target_text_follows_lang(client, reference_data):
    body = client.get("/api/v1/targets/8.7", {"lang": "fr"}).json()

    assert body["title"].startswith("Prendre des mesures immédiates")
    assert body["title"] == body["titles"]["fr"]
    assert body["synergies"][0]["description"].startswith("Éliminer")


def test_unknown_target_is_404_with_the_error_shape(client, reference_data):
    response = client.get("/api/v1/targets/99.9")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_themes_are_listed_with_names_in_three_languages(client, reference_data):
    body = client.get("/api/v1/themes", {"lang": "es"}).json()

    assert body["count"] == Theme.objects.count()
    forced_labour = next(theme for theme in body["results"] if theme["slug"] == "forced-labour")
    assert forced_labour["name"] == "Trabajo forzoso"
    assert forced_labour["names"]["fr"] == "Travail forcé"


def test_estimates_list_parents_before_breakdowns(client, reference_data):
    body = client.get("/api/v1/estimates").json()

    assert body["count"] == GlobalEstimate.objects.count()
    keys = [estimate["key"] for estimate in body["results"]]
    for estimate in body["results"]:
        if estimate["parent"]:
            assert keys.index(estimate["parent"]) < keys.index(estimate["key"])
    modern_slavery = body["results"][keys.index("modern-slavery")]
    assert modern_slavery["display_value"] == "49.6 million"
    assert modern_slavery["reference_year"] == 2021
    assert "Walk Free" in modern_slavery["source"]


def test_estimates_follow_lang(client, reference_data):
    body = client.get("/api/v1/estimates", {"lang": "fr"}).json()

    modern_slavery = next(e for e in body["results"] if e["key"] == "modern-slavery")
    assert modern_slavery["display_value"].startswith("49,6")
    assert modern_slavery["label"] == "Personnes en situation d’esclavage moderne"


@pytest.mark.parametrize(
    "url",
    ["/api/v1/goals?page=abc", "/api/v1/themes?page_size=5000", "/api/v1/estimates?lang=xx"],
)
def test_malformed_parameters_are_4xx(client, reference_data, url):
    response = client.get(url)

    assert 400 <= response.status_code < 500
    assert set(response.json()["error"]) == {"code", "message", "details"}
