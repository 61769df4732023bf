"""Matching the country names that treaty tables use to ISO3 codes.

Names are compared by :func:`name_key` (accents, case, punctuation and a leading "the"
ignored), against the names in the countries table (English, French, Spanish and the official
English name) and against the older or UN-style names below, which ISO does not use.
"""

from __future__ import annotations

import re
import unicodedata

# Old UN names (UN Treaty Collection 2013–2015), NORMLEX names and common short forms.
NAME_ALIASES = {
    "st lucia": "LCA",
    "st kitts and nevis": "KNA",
    "st vincent and the grenadines": "VCT",
    "former yugoslav republic of macedonia": "MKD",
    "north macedonia": "MKD",
    "czech republic": "CZE",
    "czechia": "CZE",
    "swaziland": "SWZ",
    "eswatini": "SWZ",
    "turkey": "TUR",
    "turkiye": "TUR",
    "netherlands kingdom of the": "NLD",
    "cabo verde": "CPV",
    "cape verde": "CPV",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "democratic people s republic of korea": "PRK",
    "north korea": "PRK",
    "united states": "USA",
    "united states of america": "USA",
    "united kingdom": "GBR",
    "united kingdom of great britain and northern ireland": "GBR",
    "russian federation": "RUS",
    "russia": "RUS",
    "iran islamic republic of": "IRN",
    "iran": "IRN",
    "venezuela bolivarian republic of": "VEN",
    "bolivia plurinational state of": "BOL",
    "united republic of tanzania": "TZA",
    "tanzania united republic of": "TZA",
    "republic of moldova": "MDA",
    "moldova republic of": "MDA",
    "lao people s democratic republic": "LAO",
    "syrian arab republic": "SYR",
    "viet nam": "VNM",
    "cote d ivoire": "CIV",
    "democratic republic of the congo": "COD",
    "congo democratic republic of the": "COD",
    "congo": "COG",
    "micronesia federated states of": "FSM",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "holy see": "VAT",
    "east timor": "TLS",
    "timor leste": "TLS",
    "serbia and montenegro": "SRB",
    "gambia": "GMB",
    "gambia the": "GMB",
    "bahamas": "BHS",
}

# ISO 3166-1 alpha-2 codes some sources still use.
ISO2_ALIASES = {"TP": "TL", "UK": "GB"}


def name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)
