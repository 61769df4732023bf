"""`make load`'s saturation phases rotate over every indicator x country pair with data, the
same list for the series API and the reference view (scripts/load.py writes it; the
locustfile and wrk's script read it), and wrk's counts are read back."""

from __future__ import annotations

import http.server
import importlib.util
import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

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


def test_saturation_paths_quote_the_codes(tmp_path):
    load = load_module("sdg87_load_script", ROOT / "scripts" / "load.py")
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps([["8.7.1", "KGZ"], ["a b/c", "BRA"]]))

    paths = load.saturation_paths(keys, load.SERIES_PATH, tmp_path / "paths.txt")

    assert paths.read_text().splitlines() == [
        "/api/v1/indicators/8.7.1/observations?country=KGZ&page_size=1000",
        "/api/v1/indicators/a%20b%2Fc/observations?country=BRA&page_size=1000",
    ]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_counts_requests_and_answers_that_are_not_2xx(tmp_path):
    served: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            served.append(self.path)
            status = 404 if self.path == "/missing" else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        paths = tmp_path / "paths.txt"
        paths.write_text("/a\n/b\n/missing\n")
        load = load_module("sdg87_load_script", ROOT / "scripts" / "load.py")
        result = load.wrk(f"http://127.0.0.1:{server.server_address[1]}", paths, 2, 1)
    finally:
        server.shutdown()
        server.server_close()

    # Requests still in flight when wrk stops are served but not counted.
    assert 3 <= result["requests"] <= len(served)
    assert set(served) == {"/a", "/b", "/missing"}  # random order over every path
    assert 0 < result["errors"] <= served.count("/missing")
    assert result["errors"] < result["requests"]
    assert result["rps"] > 0


def test_a_wrk_run_without_its_result_line_is_an_error():
    load = load_module("sdg87_load_script", ROOT / "scripts" / "load.py")
    with pytest.raises(SystemExit, match="wrk printed no result"):
        load.parse_wrk("Running 1s test @ http://127.0.0.1:1\n")
