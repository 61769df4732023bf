"""The load mix of `make load` (scripts/load.py): visitors reading pages and API clients.

Request names group the statistics: ``page: …`` for HTML pages, ``api: search`` for the
library search API and ``api: series`` for an indicator's observations of one country.

The series requests rotate over many indicator x country pairs with data: ``LOAD_SERIES_KEYS``
names a JSON file of ``[indicator, iso3]`` pairs (scripts/load.py writes every pair of the
loaded database there); without it, a small built-in list. The saturation phases, which compare
the series API with a plain Django view, use wrk over the same pairs (saturate.lua).
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

COUNTRIES = ["KEN", "BRA", "IND", "NPL", "KGZ", "RWA", "NAM", "GBR", "FRA", "MEX", "NGA", "PHL"]
QUERIES = [
    "child labour",
    "travail forcé",
    "trata de personas",
    "forced labour agriculture",
    "esclavage moderne",
    "trabajo infantil minería",
    "domestic workers",
    "recruitment fees",
]
LANGUAGES = ["en", "fr", "es"]
DEFAULT_SERIES_KEYS = [
    (indicator, country)
    for indicator in ("8.7.1", "gsi-prevalence", "ilab-working-children-share")
    for country in ("KGZ", "BRA", "IND", "NPL", "KEN", "MEX", "NGA", "PHL")
]


def series_keys() -> list[tuple[str, str]]:
    """The indicator x country pairs the series requests rotate over (see the docstring)."""
    path = os.environ.get("LOAD_SERIES_KEYS")
    if not path:
        return DEFAULT_SERIES_KEYS
    with open(path, encoding="utf-8") as handle:
        keys = [(str(indicator), str(country)) for indicator, country in json.load(handle)]
    return keys or DEFAULT_SERIES_KEYS


SERIES_KEYS = series_keys()


class Visitor(HttpUser):
    """A person browsing: pages mostly, with think time."""

    weight = 3
    wait_time = between(1, 3)

    @task(3)
    def home(self) -> None:
        self.client.get(f"/{random.choice(LANGUAGES)}/", name="page: home")

    @task(3)
    def indicator(self) -> None:
        country = random.choice(COUNTRIES)
        self.client.get(
            f"/{random.choice(LANGUAGES)}/indicators/8.7.1/?area={country}", name="page: indicator"
        )

    @task(2)
    def country(self) -> None:
        self.client.get(
            f"/{random.choice(LANGUAGES)}/countries/{random.choice(COUNTRIES)}/",
            name="page: country profile",
        )

    @task(3)
    def library_search(self) -> None:
        self.client.get(
            f"/{random.choice(LANGUAGES)}/library/",
            params={"q": random.choice(QUERIES)},
            name="page: library search",
        )

    @task(1)
    def pathfinders(self) -> None:
        self.client.get(f"/{random.choice(LANGUAGES)}/pathfinders/", name="page: pathfinders")

    @task(1)
    def instrument(self) -> None:
        code = random.choice(["C029", "C138", "C182", "PALERMO", "CRC"])
        self.client.get(f"/en/instruments/{code}/", name="page: instrument")


class ApiClient(HttpUser):
    """A script or dashboard using the API."""

    weight = 2
    wait_time = between(0.5, 1.5)

    @task(4)
    def search(self) -> None:
        self.client.get(
            "/api/v1/resources",
            params={"q": random.choice(QUERIES), "lang": random.choice(LANGUAGES)},
            name="api: search",
        )

    @task(3)
    def series(self) -> None:
        indicator, country = random.choice(SERIES_KEYS)
        self.client.get(
            f"/api/v1/indicators/{indicator}/observations?country={country}",
            name="api: series",
        )

    @task(1)
    def profile(self) -> None:
        self.client.get(f"/api/v1/countries/{random.choice(COUNTRIES)}", name="api: country")

    @task(1)
    def pathfinders(self) -> None:
        self.client.get("/api/v1/pathfinders", name="api: pathfinders")
