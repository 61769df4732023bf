"""Build sdg87/static/geo/world.geojson from data/geo/ne_110m_admin_0_countries.geojson.

Keeps one property, ``iso3`` (Natural Earth's ISO_A3, or ADM0_A3 where ISO_A3 is -99 — France,
Norway, Kosovo (KOS), N. Cyprus, Somaliland), and rounds coordinates to 3 decimals (~100 m, far
below the 110m scale's precision). Run: .venv/bin/python scripts/build_world_map.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "geo" / "ne_110m_admin_0_countries.geojson"
TARGET = ROOT / "sdg87" / "static" / "geo" / "world.geojson"


def rounded(coordinates):
    if isinstance(coordinates[0], int | float):
        return [round(coordinates[0], 3), round(coordinates[1], 3)]
    return [rounded(part) for part in coordinates]


def main() -> None:
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    features = []
    for feature in source["features"]:
        properties = feature["properties"]
        iso3 = properties["ISO_A3"] if properties["ISO_A3"] != "-99" else properties["ADM0_A3"]
        geometry = feature["geometry"]
        features.append(
            {
                "type": "Feature",
                "properties": {"iso3": iso3, "name": properties["NAME"]},
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": rounded(geometry["coordinates"]),
                },
            }
        )
    features.sort(key=lambda f: f["properties"]["iso3"])
    TARGET.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
        encoding="utf-8",
    )
    print(f"wrote {TARGET} ({len(features)} features)")


if __name__ == "__main__":
    main()
