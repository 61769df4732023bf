"""`make load`'s saturation phases rotate over every indicator x country pair with data, the
same list for the series API and the reference view (scripts/load.py writes it, the
locustfile reads it)."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pairs_are_every_indicator_and_country_with_observations(tmp_path):
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.executescript(
            """
            CREATE TABLE indicators_indicator (id INTEGER PRIMARY KEY, code TEXT);
            CREATE TABLE indicators_observation (
                id INTEGER PRIMARY KEY, indicator_id INT, area_code TEXT, country_id INT);
            INSERT INTO indicators_indicator VALUES (1, '8.7.1'), (2, 'gsi-prevalence'), (3, 'x');
            INSERT INTO indicators_observation VALUES
                (1, 1, 'KGZ', 10), (2, 1, 'KGZ', 10), (3, 1, 'BRA', 11),
                (4, 2, 'KGZ', 10), (5, 1, '001', NULL);
            """
        )
    load = load_module("sdg87_load_script", ROOT / "scripts" / "load.py")

    count = load.series_keys(database, tmp_path / "keys.json")

    pairs = json.loads((tmp_path / "keys.json").read_text())
    assert pairs == [["8.7.1", "BRA"], ["8.7.1", "KGZ"], ["gsi-prevalence", "KGZ"]]
    assert count == 3
