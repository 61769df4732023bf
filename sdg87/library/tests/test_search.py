"""resource_search on the database in use (the suite runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest

from sdg87.library.models import Resource
from sdg87.library.search import (
    SearchFilters,
    index_resources,
    resource_search,
    resources_reindex,
    unindex_resources,
)
from sdg87.library.tests.search_support import framework, geography, resource

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"',
    '""',
    '"unterminated phrase',
    "AND",
    "OR OR OR",
    "NOT",
    "-",
    "--",
    "*",
    "***",
    "a*",
    "(",
    ")))",
    "((child) OR (labour",
    "NEAR(child labour, 2)",
    "title: child",
    "{title body}: child",
    "child^2",
    "child:*",
    "'; DROP TABLE library_resource; --",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "\x00child\x00",
    "\u202etrafficking",
    "🙂🙂 child 🧒 labour 💼",
    "儿童劳动",
    "عمل الأطفال",
    "детский труд",
    "ǅ ﬁ ß Ω",
    "child " * 400,
    "x" * 20_000,
    "&& || ! <-> :* ''",
    "!child & labour",
    "<script>alert(1)</script>",
    "0",
    "-child",
    "NOT child",
    "8.7",
    "C029",
]


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def test_a_title_match_ranks_above_a_body_match():
    resource("A report on rural development", "Forced labour is mentioned in the body.")
    resource("Forced labour in the garment sector", "Nothing else here about that.")
    assert titles(resource_search(query="forced labour"))[0] == (
        "Forced labour in the garment sector"
    )


@pytest.mark.parametrize(
    ("language", "written", "searched"),
    [
        ("en", "Victims were trafficked across the border.", "trafficking"),
        ("fr", "Les enfants travaillent dans les mines.", "enfant"),
        ("es", "Los trabajos peligrosos están prohibidos.", "trabajo"),
    ],
)
def test_words_are_found_by_their_stem(language, written, searched):
    resource("Document", written, language=language)
    assert resource_search(query=searched, language=language).count == 1


def test_accents_do_not_matter():
    resource("Le travail forcé en Mauritanie", language="fr")
    assert resource_search(query="travail force").count == 1
    assert resource_search(query="TRAVAIL FORCÉ").count == 1


def test_a_french_query_finds_english_documents_on_cocoa():
    geo = geography()
    resource(
        "Child labor in cocoa production",
        "Children harvest cocoa pods on farms in Ghana.",
        countries=[geo["GHA"]],
    )
    resource("Fisheries report", "Boats and nets.")
    result = resource_search(query="travail des enfants cacao", language="fr")
    assert titles(result) == ["Child labor in cocoa production"]


def test_a_spanish_query_finds_english_trafficking_documents():
    resource("Trafficking in persons: Nepal", "Nepal is a source country for trafficking.")
    resource("Coffee exports", "Coffee prices rose.")
    assert titles(resource_search(query="trata de personas")) == ["Trafficking in persons: Nepal"]


def test_an_english_query_finds_french_documents():
    resource("Rapport annuel", "Le travail forcé persiste dans les mines.", language="fr")
    assert resource_search(query="forced labour", language="en").count == 1


def test_a_country_name_in_another_language_finds_the_country():
    resource("Cocoa farms in Côte d'Ivoire", "Survey of farms.")
    assert resource_search(query="Costa de Marfil", language="es").count == 1


def test_own_language_matches_rank_above_translations():
    resource("Child labour in mines", "Child labour in artisanal mines.")
    resource("Travail des enfants dans les mines", "Le travail des enfants.", language="fr")
    result = resource_search(query="travail des enfants", language="fr")
    assert result.count == 2
    assert result.hits[0].language == "fr"


def test_misspelt_words_still_find_documents():
    resource("Trafficking in persons: Nepal", "Trafficking of women and children.")
    resource("Le travail forcé", "Le travail forcé persiste.", language="fr")
    misspelt = resource_search(query="traficking")
    assert titles(misspelt) == ["Trafficking in persons: Nepal"]
    assert misspelt.corrections == {"traficking": "traffick"}
    assert titles(resource_search(query="travial forcé")) == ["Le travail forcé"]


def test_quoted_phrase_excluded_word_and_prefix():
    resource("Child labor in Ghana", "Child labor in cocoa.")
    resource("Labor laws", "Child care and labor law in Nepal.")
    assert titles(resource_search(query='"child labor"')) == ["Child labor in Ghana"]
    assert titles(resource_search(query="labor -ghana")) == ["Labor laws"]
    assert resource_search(query="cho*").count == 0
    assert titles(resource_search(query="coc*")) == ["Child labor in Ghana"]


def test_or_between_words():
    resource("Cocoa", "Cocoa farms.")
    resource("Coffee", "Coffee farms.")
    resource("Rice", "Rice farms.")
    assert sorted(titles(resource_search(query="cocoa OR coffee"))) == ["Cocoa", "Coffee"]


def test_when_no_resource_has_every_word_any_word_is_enough():
    resource("Cocoa farms", "Cocoa.")
    result = resource_search(query="cocoa zanzibar")
    assert result.relaxed
    assert titles(result) == ["Cocoa farms"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_query_text_returns_results_or_nothing(query):
    resource("Child labour", "Child labour and trafficking: C029 and target 8.7.")
    result = resource_search(query=query)
    assert result.count >= 0
    assert len(result.hits) <= result.count


def test_the_empty_query_lists_published_resources_newest_first():
    resource("Old", year=2001)
    resource("New", year=2022)
    resource("Undated", year=None)
    resource("Draft", year=2023, status="draft")
    result = resource_search(query="   ")
    assert titles(result) == ["New", "Old", "Undated"]
    assert result.count == 3


def test_unpublished_resources_are_never_found_by_the_public():
    resource("Forced labour draft", status="draft")
    resource("Forced labour withdrawn", status="withdrawn")
    resource("Forced labour in review", status="in_review")
    assert resource_search(query="forced labour").count == 0
    asked = SearchFilters(statuses=["draft"])
    assert resource_search(query="forced labour", filters=asked).count == 0


def test_curators_may_search_other_statuses():
    from sdg87.accounts.tests.factories import CuratorFactory

    resource("Forced labour draft", status="draft")
    asked = SearchFilters(statuses=["draft"])
    result = resource_search(query="forced labour", filters=asked, viewer=CuratorFactory())
    assert titles(result) == ["Forced labour draft"]


def test_facets_count_every_match():
    geo = geography()
    fw = framework()
    resource(
        "Child labour in Ghana",
        countries=[geo["GHA"]],
        themes=[fw["theme"]],
        targets=[fw["target"]],
        organisation="ILAB",
        year=2020,
    )
    resource(
        "Child labour in Côte d'Ivoire and Ghana",
        countries=[geo["CIV"], geo["GHA"]],
        organisation="ILAB",
        year=2021,
        type="evaluation",
    )
    resource("Child labour in Nepal", countries=[geo["NPL"]], year=2021, language="fr")
    resource("Unrelated", countries=[geo["NPL"]])
    facets = resource_search(query="child labour").facets

    def counts(kind):
        return {value.value: value.count for value in facets[kind]}

    assert counts("type") == {"research": 2, "evaluation": 1}
    assert counts("language") == {"en": 2, "fr": 1}
    assert counts("year") == {"2020": 1, "2021": 2}
    assert counts("country") == {"GHA": 2, "CIV": 1, "NPL": 1}
    assert counts("region") == {"002": 2, "142": 1}
    assert counts("theme") == {"child-labour": 1}
    assert counts("target") == {"8.7": 1}
    assert counts("organisation") == {"ILAB": 2}
    assert {value.value: value.label for value in facets["country"]}["NPL"] == "Nepal"


def test_filters_narrow_the_results():
    geo = geography()
    fw = framework()
    resource(
        "Labour in Ghana",
        countries=[geo["GHA"]],
        themes=[fw["theme"]],
        targets=[fw["target"]],
        organisation="ILAB",
        year=2019,
    )
    resource("Labour in Nepal", countries=[geo["NPL"]], year=2021, type="evaluation")
    resource("Labour en France", language="fr", year=2022)

    def found(**filters):
        return titles(resource_search(query="labour", filters=SearchFilters(**filters)))

    assert found(countries=["gha"]) == ["Labour in Ghana"]
    assert found(regions=["142"]) == ["Labour in Nepal"]
    assert found(regions=["011"]) == ["Labour in Ghana"]
    assert found(themes=["child-labour"]) == ["Labour in Ghana"]
    assert found(targets=["8.7"]) == ["Labour in Ghana"]
    assert found(organisations=["ilab"]) == ["Labour in Ghana"]
    assert found(types=["evaluation"]) == ["Labour in Nepal"]
    assert found(languages=["fr"]) == ["Labour en France"]
    assert sorted(found(year_from=2020)) == ["Labour en France", "Labour in Nepal"]
    assert found(year_from=2020, year_to=2021) == ["Labour in Nepal"]
    assert found(year_from=2030) == []
    assert sorted(found(countries=["GHA", "NPL"])) == ["Labour in Ghana", "Labour in Nepal"]


def test_filters_apply_to_the_empty_query_too():
    geo = geography()
    resource("In Ghana", countries=[geo["GHA"]])
    resource("In Nepal", countries=[geo["NPL"]])
    result = resource_search(query="", filters=SearchFilters(regions=["002"]))
    assert titles(result) == ["In Ghana"]
    assert {value.value for value in result.facets["country"]} == {"GHA"}


def test_sort_by_date_puts_the_newest_first():
    resource("Forced labour", "Forced labour.", year=2015)
    resource("Report", "Forced labour mentioned once.", year=2023)
    assert titles(resource_search(query="forced labour"))[0] == "Forced labour"
    assert titles(resource_search(query="forced labour", sort="date"))[0] == "Report"


def test_pages_split_the_results():
    for number in range(5):
        resource(f"Trafficking report {number}", "Trafficking.", year=2000 + number)
    first = resource_search(query="trafficking", page=1, page_size=2)
    second = resource_search(query="trafficking", page=2, page_size=2)
    last = resource_search(query="trafficking", page=3, page_size=2)
    beyond = resource_search(query="trafficking", page=9, page_size=2)
    assert (first.count, second.count) == (5, 5)
    assert len(first.hits) == len(second.hits) == 2
    assert len(last.hits) == 1
    assert beyond.hits == ()
    seen = titles(first) + titles(second) + titles(last)
    assert len(set(seen)) == 5


def test_snippets_are_escaped_html_with_marks():
    resource("Page", "Before <script>alert('x')</script> the trafficking & abuse.")
    snippet = resource_search(query="trafficking").hits[0].snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>trafficking</mark>" in snippet
    assert "&amp;" in snippet


def test_snippets_mark_cross_lingual_matches():
    resource("Report", "Children harvest cocoa in Ghana.")
    snippet = resource_search(query="cacao", language="fr").hits[0].snippet
    assert "<mark>cocoa</mark>" in snippet


def test_hits_carry_the_contract_fields():
    geo = geography()
    item = resource("Cocoa", "Cocoa.", countries=[geo["GHA"], geo["CIV"]], year=2019)
    hit = resource_search(query="cocoa").hits[0]
    assert (hit.id, hit.title, hit.language, hit.year, hit.type) == (
        item.pk,
        "Cocoa",
        "en",
        2019,
        "research",
    )
    assert hit.countries == ("CIV", "GHA")
    assert hit.score > 0


def test_reindexing_replaces_the_old_text():
    item = resource("Coffee report", "Coffee.")
    Resource.objects.filter(pk=item.pk).update(title="Tobacco report", full_text="Tobacco.")
    index_resources([item.pk])
    assert resource_search(query="coffee").count == 0
    assert resource_search(query="tobacco").count == 1


def test_publishing_needs_reindexing_and_then_shows():
    item = resource("Forced labour", status="draft")
    Resource.objects.filter(pk=item.pk).update(status="published")
    assert resource_search(query="forced labour").count == 0
    index_resources([item.pk])
    assert resource_search(query="forced labour").count == 1


def test_unindexed_resources_are_not_found():
    item = resource("Forced labour", "Forced labour.")
    unindex_resources([item.pk])
    assert resource_search(query="forced labour").count == 0


def test_indexing_a_deleted_resource_removes_it():
    item = resource("Forced labour", "Forced labour.")
    pk = item.pk
    item.delete()
    index_resources([pk])
    assert resource_search(query="forced labour").count == 0


def test_reindex_rebuilds_everything():
    resource("Forced labour", index=False)
    resource("Child labour", index=False)
    assert resource_search(query="labour").count == 0
    assert resources_reindex() == 2
    assert resource_search(query="labour").count == 2


def test_the_typo_vocabulary_follows_the_index():
    item = resource("Qwertyville cloves", "Qwertyville.")
    assert resource_search(query="qwertyvile").count == 1
    unindex_resources([item.pk])
    resource("Other", "Nothing.")
    assert resource_search(query="qwertyvile").corrections == {}


def test_pages_are_consistent_across_title_and_text_matches():
    for number in range(3):
        resource(f"Cocoa report {number}", "Farms.", year=2000 + number)
    for number in range(3):
        resource(f"Farm report {number}", "Cocoa farms.", year=2010 + number)
    pages = [resource_search(query="cocoa", page=page, page_size=2) for page in (1, 2, 3)]
    seen = [title for page in pages for title in titles(page)]
    assert {page.count for page in pages} == {6}
    assert len(set(seen)) == 6
    assert all(title.startswith("Cocoa") for title in seen[:3])


def test_a_snippet_shows_a_match_far_down_a_long_text():
    # Hits are read HEAD_CHARS at a time; a match further down is read in one more query.
    filler = "The report describes general conditions of work in the region. " * 2_000
    resource(title="Annual report", text=filler + "Children harvest cocoa on family farms.")
    resource(title="Cocoa short note", text="Cocoa farms employ children.")
    result = resource_search(query="cocoa", language="en")
    snippets = {hit.title: hit.snippet for hit in result.hits}
    assert "<mark>cocoa</mark>" in snippets["Annual report"]
    assert snippets["Annual report"].startswith("…")
    assert "<mark>Cocoa</mark>" in snippets["Cocoa short note"]
