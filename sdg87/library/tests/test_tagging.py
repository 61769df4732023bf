"""Auto-tagging: countries, themes and targets found in a text, with evidence; the tricky
country names are not confused. Pure: the vocabulary is built from small data."""

from __future__ import annotations

import pytest

from sdg87.library import tagging
from sdg87.library.tagging import CountryNames, build_vocabulary, suggest_tags

COUNTRIES = [
    CountryNames("NER", ("Niger", "Niger", "Níger")),
    CountryNames("NGA", ("Nigeria", "Nigéria", "Nigeria")),
    CountryNames("GIN", ("Guinea", "Guinée", "Guinea")),
    CountryNames("GNB", ("Guinea-Bissau", "Guinée-Bissau", "Guinea-Bisáu")),
    CountryNames("GNQ", ("Equatorial Guinea", "Guinée équatoriale", "Guinea Ecuatorial")),
    CountryNames("PNG", ("Papua New Guinea", "Papouasie-Nouvelle-Guinée", "Papúa Nueva Guinea")),
    CountryNames("TCD", ("Chad", "Tchad", "Chad")),
    CountryNames("DMA", ("Dominica", "Dominique", "Dominica")),
    CountryNames("DOM", ("Dominican Republic", "République dominicaine", "República Dominicana")),
    CountryNames("SDN", ("Sudan", "Soudan", "Sudán")),
    CountryNames("SSD", ("South Sudan", "Soudan du Sud", "Sudán del Sur")),
    CountryNames(
        "COD", ("Congo, The Democratic Republic of the", "République démocratique du Congo")
    ),
    CountryNames("CIV", ("Côte d'Ivoire", "Côte d'Ivoire", "Costa de Marfil")),
    CountryNames("USA", ("United States", "États-Unis", "Estados Unidos")),
    CountryNames("KEN", ("Kenya", "Kenya", "Kenia")),
    CountryNames("PER", ("Peru", "Pérou", "Perú")),
]
UNBIS = {
    "1002452": {"en": "FORCED LABOUR", "fr": "TRAVAUX FORCES", "es": "TRABAJOS FORZADOS"},
    "1006622": {
        "en": "TRAFFICKING IN PERSONS",
        "fr": "TRAITE DES ETRES HUMAINS",
        "es": "TRATA DE PERSONAS",
    },
}
AURORA = {
    "8.7": ['( "force* labo*" ) OR ( "modern slavery" ) OR ( "child* labo*" )'],
    "5.3": ['("forced marriage*" OR "early marriage*" ) W/3 ( "women" OR "female" OR "girl*" )'],
}


@pytest.fixture(scope="module")
def vocabulary():
    return build_vocabulary(countries=COUNTRIES, unbis_labels=UNBIS, aurora_queries=AURORA)


def values(suggestions, kind):
    return {item.value for item in suggestions if item.kind == kind}


def countries_in(text, vocabulary):
    return values(
        suggest_tags(title="", text=text, vocabulary=vocabulary, kinds=["country"]), "country"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Children work in the gold mines of Niger.", {"NER"}),
        ("Child labour is common in Nigeria.", {"NGA"}),
        ("Les enfants travaillent au Tchad.", {"TCD"}),
        ("Los niños trabajan en el Perú.", {"PER"}),
        ("Trafficking from the Democratic Republic of the Congo is reported.", {"COD"}),
        ("Cocoa farms in Ivory Coast employ children.", {"CIV"}),
        ("Les plantations de la Côte d'Ivoire emploient des enfants.", {"CIV"}),
        ("Victims were taken to the United States.", {"USA"}),
        ("Labour migrants from Kenya and Nigeria.", {"KEN", "NGA"}),
    ],
)
def test_countries_named_in_english_french_or_spanish_are_found(text, expected, vocabulary):
    assert countries_in(text, vocabulary) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nigeria and Nigeria again, and the Nigerian government.", {"NGA"}),
        ("Migrants in Papua New Guinea work on plantations.", {"PNG"}),
        ("Children in Guinea-Bissau attend Koranic schools.", {"GNB"}),
        ("Oil workers in Equatorial Guinea.", {"GNQ"}),
        ("Fishing boats in the Gulf of Guinea.", set()),
        ("Sugar cane in the Dominican Republic.", {"DOM"}),
        ("Cattle herding in South Sudan.", {"SSD"}),
        ("Fishermen on Lake Chad and in the Niger Delta.", set()),
        ("He met chad and a guinea pig.", set()),
    ],
)
def test_names_inside_other_names_or_phrases_are_not_confused(text, expected, vocabulary):
    assert countries_in(text, vocabulary) == expected


def test_a_name_that_is_also_a_first_name_counts_half(vocabulary):
    [chad] = suggest_tags(
        title="", text="Workers in Chad. Workers in Chad.", vocabulary=vocabulary, kinds=["country"]
    )
    [kenya] = suggest_tags(
        title="",
        text="Workers in Kenya. Workers in Kenya.",
        vocabulary=vocabulary,
        kinds=["country"],
    )
    assert chad.score < kenya.score


def test_a_title_mention_weighs_more_than_one_in_the_text(vocabulary):
    [in_title] = suggest_tags(title="Kenya", text="", vocabulary=vocabulary, kinds=["country"])
    [in_text] = suggest_tags(title="", text="Kenya", vocabulary=vocabulary, kinds=["country"])
    assert in_title.score > in_text.score


def test_the_evidence_quotes_the_match_in_its_context(vocabulary):
    [suggestion] = suggest_tags(
        title="",
        text="In 2020, children in Kenya picked tea.",
        vocabulary=vocabulary,
        kinds=["country"],
    )
    assert "children in «Kenya» picked tea" in suggestion.evidence


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Forced labour in brick kilns. Forced labour in fishing.", "forced-labour"),
        ("Le travail forcé dans les mines. Le travail forcé persiste.", "forced-labour"),
        ("Trabajos forzados en la minería. Trabajos forzados en el campo.", "forced-labour"),
        ("La traite des êtres humains et la traite des enfants.", "human-trafficking"),
        ("La trata de personas y la trata de mujeres.", "human-trafficking"),
        ("Child labour on farms; child labor in mines.", "child-labour"),
        ("Le travail des enfants et le travail des enfants.", "child-labour"),
        ("El trabajo infantil y el trabajo infantil peligroso.", "child-labour"),
        ("Child soldiers were recruited; child soldiers were freed.", "child-soldiers"),
        ("Early marriage and forced marriage of girls.", "forced-marriage"),
    ],
)
def test_themes_are_found_in_english_french_and_spanish(text, theme, vocabulary):
    found = suggest_tags(title="", text=text, vocabulary=vocabulary, kinds=["theme"])
    assert theme in values(found, "theme")


def test_drug_trafficking_is_not_human_trafficking(vocabulary):
    found = suggest_tags(
        title="", text="Drug trafficking and arms trafficking on the border.", vocabulary=vocabulary
    )
    assert "human-trafficking" not in values(found, "theme")


@pytest.mark.parametrize(
    "text",
    [
        "This study contributes to SDG 8.7 and to SDG 8.7 monitoring.",
        "Cette étude contribue à la cible 8.7 des ODD et à la cible 8.7.",
        "Este estudio contribuye a la meta 8.7 de los ODS y a la meta 8.7.",
    ],
)
def test_explicit_target_mentions_are_found_in_three_languages(text, vocabulary):
    found = suggest_tags(title="", text=text, vocabulary=vocabulary, kinds=["target"])
    assert "8.7" in values(found, "target")


def test_target_8_7_1_counts_for_8_7_and_8_70_does_not(vocabulary):
    assert "8.7" in values(
        suggest_tags(title="Indicator 8.7.1 data", text="", vocabulary=vocabulary), "target"
    )
    assert "8.7" not in values(
        suggest_tags(title="Target 8.70 of nothing", text="", vocabulary=vocabulary), "target"
    )


def test_the_aurora_proximity_query_finds_target_5_3(vocabulary):
    found = suggest_tags(
        title="Early marriage of girls",
        abstract="Forced marriage of young women.",
        vocabulary=vocabulary,
    )
    assert "5.3" in values(found, "target")


def test_an_unrelated_text_gets_no_theme_or_target(vocabulary):
    found = suggest_tags(
        title="Monetary policy in small open economies",
        text="Interest rates and exchange rates move together in small open economies.",
        vocabulary=vocabulary,
    )
    assert values(found, "theme") == set()
    assert values(found, "target") == set()


def test_scopus_queries_parse_with_operators_and_wildcards():
    node = tagging.parse_scopus_query('( "child* labo*" ) W/3 ( "cocoa" OR "cacao" ) AND "Ghana"')
    assert node is not None
    assert node.operator == "and"
    assert tagging.parse_scopus_query('"unbalanced" OR (') is None
