"""Duplicate organisations are caught across languages and spellings (pure, no database)."""

import csv
from pathlib import Path

import pytest

from sdg87.partners.names import (
    OrganisationName,
    alias_index,
    derived_acronym,
    fold,
    known_as,
    likely_duplicates,
    name_key,
)

ALIASES = Path(__file__).resolve().parents[3] / "data" / "reference" / "organisation_aliases.csv"


@pytest.fixture(scope="module")
def index():
    with ALIASES.open(encoding="utf-8") as handle:
        rows = [(row["key"], row["name"], row["form"]) for row in csv.DictReader(handle)]
    return alias_index(rows)


def named(index, pk, name, acronym=""):
    return OrganisationName(pk, name, acronym, known_as(name, acronym, index))


@pytest.fixture
def registered(index):
    return [
        named(index, 1, "International Labour Organization", "ILO"),
        named(index, 2, "Walk Free Foundation"),
        named(index, 3, "Example Survivors' Network of the Coast"),
    ]


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Organisation internationale du Travail", ""),
        ("Organización Internacional del Trabajo", "OIT"),
        ("ILO", ""),
        ("I.L.O.", ""),
        ("international labor organisation", ""),
        ("Internationl Labour Organisation", ""),
        ("Bureau international du Travail", "BIT"),
    ],
)
def test_the_ilo_is_caught_in_every_language_and_spelling(index, registered, name, acronym):
    matches = likely_duplicates(named(index, None, name, acronym), registered)

    assert [match.id for match in matches] == [1]
    assert matches[0].reasons


@pytest.mark.parametrize(
    "name", ["Walk Free", "WALK FREE", "Walk-Free Foundation", "Fondation Walk Free"]
)
def test_walk_free_is_caught_with_or_without_foundation(index, registered, name):
    matches = likely_duplicates(named(index, None, name), registered)

    assert [match.id for match in matches] == [2]


def test_accents_and_punctuation_do_not_hide_a_duplicate(index, registered):
    matches = likely_duplicates(
        named(index, None, "Example Survivors Network of the Côast"), registered
    )

    assert [match.id for match in matches] == [3]


@pytest.mark.parametrize(
    "name",
    [
        "International Organization for Migration",
        "Free the Slaves",
        "Example Workers' Union of the Coast",
        "International Organization",
        "Walk Free Alliance for Children",
        "UNICEF",
    ],
)
def test_unrelated_organisations_are_not_caught(index, registered, name):
    assert likely_duplicates(named(index, None, name), registered) == []


def test_the_alias_table_links_names_without_shared_words(index):
    unicef = named(index, 7, "United Nations Children's Fund")

    matches = likely_duplicates(
        named(index, None, "Fondo de las Naciones Unidas para la Infancia"), [unicef]
    )

    assert [match.id for match in matches] == [7]
    assert "unicef" in matches[0].reasons[0]


def test_folding_and_keys():
    assert (
        fold("Organización  Internacional—del Trabajo") == "organizacion internacional del trabajo"
    )
    assert name_key("The Walk Free Foundation") == name_key("walk free")
    assert derived_acronym("Organisation internationale du Travail") == "OIT"
    assert derived_acronym("Walk Free") == ""
