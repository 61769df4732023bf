"""The API contract changes only on purpose: docs/openapi.json is the reviewed snapshot."""

import json
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_openapi_document_matches_the_reviewed_snapshot(client):
    served = client.get("/api/v1/openapi.json").json()
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert served == stored, (
        "the OpenAPI document changed: review the change, then run "
        "`.venv/bin/python scripts/snapshot_openapi.py`"
    )


def test_contract_paths_of_the_foundation_are_published(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/countries", "/api/v1/countries/{iso3}", "/api/v1/instruments"):
        assert path in paths
