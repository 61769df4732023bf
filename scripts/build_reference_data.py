"""Build ``data/reference/countries.csv`` and ``data/reference/m49_regions.csv``.

Run with the project's virtual environment (pycountry and country_converter are dev
dependencies)::

    .venv/bin/python scripts/build_reference_data.py

Sources:

* ISO 3166-1 codes, English names and the French/Spanish translations: **pycountry**
  (its ``iso3166-1`` gettext catalogues in ``pycountry.LOCALES_DIR``). The English name is
  pycountry's ``common_name`` when it has one ("Bolivia", "South Korea"), else its ``name``;
  French and Spanish names are the catalogue translations of that same English string.
* UN membership and each country's finest UN M49 grouping (the ``UNregion`` column):
  **country_converter**'s bundled ``country_data.tsv``, read directly (not through
  ``CountryConverter``, so the script does not depend on its pandas version).
* The M49 regions themselves (codes, hierarchy and names in English, French and Spanish):
  written below as data, from the UNSD "Standard country or area codes for statistical use
  (M49)" overview, which UNSD publishes in those languages.

The output is deterministic (sorted, ``\\n`` line endings): running the script again
without upgrading the packages rewrites identical files.
"""

from __future__ import annotations

import csv
import gettext
import sys
from dataclasses import dataclass
from pathlib import Path

import country_converter
import pycountry

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "data" / "reference"

# The United Nations has had 193 member states since South Sudan joined in 2011; the build
# refuses a country_converter release that disagrees.
EXPECTED_UN_MEMBERS = 193


@dataclass(frozen=True)
class M49Region:
    m49: str
    level: str  # world | region | subregion | intermediate
    parent: str  # M49 code of the parent, "" for the world
    name_en: str
    name_fr: str
    name_es: str


# UNSD M49 geographic regions (UNSD overview, English / French / Spanish names).
M49_REGIONS: tuple[M49Region, ...] = (
    M49Region("001", "world", "", "World", "Monde", "Mundo"),
    # Africa
    M49Region("002", "region", "001", "Africa", "Afrique", "África"),
    M49Region(
        "015",
        "subregion",
        "002",
        "Northern Africa",
        "Afrique septentrionale",
        "África septentrional",
    ),
    M49Region(
        "202",
        "subregion",
        "002",
        "Sub-Saharan Africa",
        "Afrique subsaharienne",
        "África subsahariana",
    ),
    M49Region(
        "014", "intermediate", "202", "Eastern Africa", "Afrique orientale", "África oriental"
    ),
    M49Region("017", "intermediate", "202", "Middle Africa", "Afrique centrale", "África central"),
    M49Region(
        "018", "intermediate", "202", "Southern Africa", "Afrique australe", "África meridional"
    ),
    M49Region(
        "011", "intermediate", "202", "Western Africa", "Afrique occidentale", "África occidental"
    ),
    # Americas
    M49Region("019", "region", "001", "Americas", "Amériques", "Américas"),
    M49Region(
        "419",
        "subregion",
        "019",
        "Latin America and the Caribbean",
        "Amérique latine et Caraïbes",
        "América Latina y el Caribe",
    ),
    M49Region("029", "intermediate", "419", "Caribbean", "Caraïbes", "Caribe"),
    M49Region(
        "013", "intermediate", "419", "Central America", "Amérique centrale", "Centroamérica"
    ),
    M49Region("005", "intermediate", "419", "South America", "Amérique du Sud", "América del Sur"),
    M49Region(
        "021",
        "subregion",
        "019",
        "Northern America",
        "Amérique septentrionale",
        "América septentrional",
    ),
    # Asia
    M49Region("142", "region", "001", "Asia", "Asie", "Asia"),
    M49Region("143", "subregion", "142", "Central Asia", "Asie centrale", "Asia central"),
    M49Region("030", "subregion", "142", "Eastern Asia", "Asie orientale", "Asia oriental"),
    M49Region(
        "035", "subregion", "142", "South-eastern Asia", "Asie du Sud-Est", "Asia sudoriental"
    ),
    M49Region("034", "subregion", "142", "Southern Asia", "Asie méridionale", "Asia meridional"),
    M49Region("145", "subregion", "142", "Western Asia", "Asie occidentale", "Asia occidental"),
    # Europe
    M49Region("150", "region", "001", "Europe", "Europe", "Europa"),
    M49Region("151", "subregion", "150", "Eastern Europe", "Europe orientale", "Europa oriental"),
    M49Region(
        "154",
        "subregion",
        "150",
        "Northern Europe",
        "Europe septentrionale",
        "Europa septentrional",
    ),
    M49Region(
        "830", "intermediate", "154", "Channel Islands", "Îles Anglo-Normandes", "Islas del Canal"
    ),
    M49Region(
        "039", "subregion", "150", "Southern Europe", "Europe méridionale", "Europa meridional"
    ),
    M49Region(
        "155", "subregion", "150", "Western Europe", "Europe occidentale", "Europa occidental"
    ),
    # Oceania
    M49Region("009", "region", "001", "Oceania", "Océanie", "Oceanía"),
    M49Region(
        "053",
        "subregion",
        "009",
        "Australia and New Zealand",
        "Australie et Nouvelle-Zélande",
        "Australia y Nueva Zelandia",
    ),
    M49Region("054", "subregion", "009", "Melanesia", "Mélanésie", "Melanesia"),
    M49Region("057", "subregion", "009", "Micronesia", "Micronésie", "Micronesia"),
    M49Region("061", "subregion", "009", "Polynesia", "Polynésie", "Polinesia"),
)

# Where country_converter's ``UNregion`` differs from the UNSD M49 overview, the M49
# assignment wins (ISO3 → finest M49 grouping).
M49_CORRECTIONS: dict[str, str] = {
    "NRU": "057",  # Nauru is in Micronesia in M49 (country_converter says Polynesia)
    "GGY": "830",  # Guernsey: Channel Islands, an intermediate region of Northern Europe
    "JEY": "830",  # Jersey: Channel Islands
}

# Plain misspellings in pycountry's Spanish catalogue (ISO3 → corrected name). Only
# spelling is corrected; pycountry's choice of name is otherwise kept.
SPANISH_SPELLING_CORRECTIONS: dict[str, tuple[str, str]] = {
    "CIV": ("Costa de Marfíl", "Costa de Marfil"),
    "SUR": ("Surinám", "Surinam"),
    "TUN": ("Tunez", "Túnez"),
}

# M49 places Antarctica directly under the World, outside the five regions.
NO_REGION = {"ATA"}

COUNTRY_COLUMNS = [
    "iso2",
    "iso3",
    "numeric",
    "name_en",
    "name_fr",
    "name_es",
    "official_name_en",
    "region_m49",
    "subregion_m49",
    "intermediate_region_m49",
    "un_member",
]
REGION_COLUMNS = ["m49", "level", "parent_m49", "name_en", "name_fr", "name_es"]


def read_country_converter_table() -> dict[str, dict[str, str]]:
    path = Path(country_converter.__file__).parent / "country_data.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {row["ISO3"]: row for row in rows}


def region_path(finest: str, regions: dict[str, M49Region]) -> tuple[str, str, str]:
    """(region, sub-region, intermediate region) codes for the finest M49 grouping."""
    chain = []
    code = finest
    while code and regions[code].level != "world":
        chain.append(regions[code])
        code = regions[code].parent
    by_level = {region.level: region.m49 for region in chain}
    return (
        by_level.get("region", ""),
        by_level.get("subregion", ""),
        by_level.get("intermediate", ""),
    )


def build_countries(regions: dict[str, M49Region]) -> list[dict[str, str]]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    converter_rows = read_country_converter_table()
    region_by_english_name = {region.name_en: region.m49 for region in regions.values()}

    countries = []
    problems = []
    for entry in pycountry.countries:
        iso3 = entry.alpha_3
        converter = converter_rows.get(iso3)
        if converter is None:
            problems.append(f"{iso3}: not in country_converter")
            continue
        english = getattr(entry, "common_name", None) or entry.name
        if iso3 in NO_REGION:
            finest = ""
        elif iso3 in M49_CORRECTIONS:
            finest = M49_CORRECTIONS[iso3]
        else:
            finest = region_by_english_name.get(converter["UNregion"], "")
            if not finest:
                problems.append(f"{iso3}: unknown UN region {converter['UNregion']!r}")
                continue
        region, subregion, intermediate = region_path(finest, regions) if finest else ("", "", "")
        if iso3 not in NO_REGION and not (region and subregion):
            problems.append(f"{iso3}: no M49 region and sub-region")
        name_es = spanish.gettext(english)
        if iso3 in SPANISH_SPELLING_CORRECTIONS:
            wrong, right = SPANISH_SPELLING_CORRECTIONS[iso3]
            # Apply only while pycountry still has the misspelling.
            name_es = right if name_es == wrong else name_es
        countries.append(
            {
                "iso2": entry.alpha_2,
                "iso3": iso3,
                "numeric": entry.numeric,
                "name_en": english,
                "name_fr": french.gettext(english),
                "name_es": name_es,
                "official_name_en": getattr(entry, "official_name", "") or "",
                "region_m49": region,
                "subregion_m49": subregion,
                "intermediate_region_m49": intermediate,
                "un_member": "true" if converter["UNmember"].strip() else "false",
            }
        )
    if problems:
        raise SystemExit("cannot build countries.csv:\n  " + "\n  ".join(problems))
    members = sum(row["un_member"] == "true" for row in countries)
    if members != EXPECTED_UN_MEMBERS:
        raise SystemExit(f"expected {EXPECTED_UN_MEMBERS} UN member states, found {members}")
    return sorted(countries, key=lambda row: row["iso3"])


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    regions = {region.m49: region for region in M49_REGIONS}
    for region in M49_REGIONS:
        if region.parent and region.parent not in regions:
            raise SystemExit(f"region {region.m49} has an unknown parent {region.parent}")
    countries = build_countries(regions)
    write_csv(
        OUT_DIR / "m49_regions.csv",
        REGION_COLUMNS,
        [
            {
                "m49": region.m49,
                "level": region.level,
                "parent_m49": region.parent,
                "name_en": region.name_en,
                "name_fr": region.name_fr,
                "name_es": region.name_es,
            }
            for region in M49_REGIONS
        ],
    )
    write_csv(OUT_DIR / "countries.csv", COUNTRY_COLUMNS, countries)
    members = sum(row["un_member"] == "true" for row in countries)
    without_region = [row["iso3"] for row in countries if not row["region_m49"]]
    sys.stdout.write(
        f"m49_regions.csv: {len(M49_REGIONS)} regions\n"
        f"countries.csv: {len(countries)} countries and territories, {members} UN members, "
        f"without a region: {', '.join(without_region) or 'none'}\n"
        f"(pycountry {pycountry.__version__}, country_converter "
        f"{country_converter.__version__})\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
