"""Pure parts of search: analysis, query parsing and planning, expansion, snippets."""

from __future__ import annotations

import random
import re

import pytest

from sdg87.library.search.analysis import analyse, fold
from sdg87.library.search.expansion import build_table
from sdg87.library.search.query import (
    MAX_CLAUSES,
    MAX_QUERY_CHARS,
    parse_query,
    plan_query,
    to_fts5,
    to_tsquery,
)
from sdg87.library.search.snippets import HEAD_CHARS, SCAN_STEPS, _window, snippet
from sdg87.library.tests.test_search import HOSTILE_QUERIES

TABLE = build_table(
    [
        ("curated:child-labour", [("en", "child labour"), ("fr", "travail des enfants")]),
        ("curated:cocoa", [("en", "cocoa"), ("fr", "cacao"), ("es", "cacao")]),
    ]
)
SAFE_FTS5 = re.compile(r'^[\w\s"(){}:*]*$')
SAFE_TSQUERY = re.compile(r"^[\w\s'()&|!<>:*-]*$")


def test_folding_removes_case_accents_and_ligatures():
    assert fold("Travail Forcé ŒUVRE Straße") == "travail force oeuvre strasse"


def test_english_is_analysed_with_american_spelling():
    assert analyse("Labour organisations", "en") == analyse("labor organizations", "en")


def test_stop_words_and_one_letter_words_are_left_out():
    assert analyse("la traite des êtres humains à l'école", "fr") == [
        "trait",
        "etre",
        "humain",
        "ecol",
    ]


@pytest.mark.parametrize("query", [*HOSTILE_QUERIES, None, 42, b"bytes"])
def test_any_input_parses_and_renders_safely(query):
    plan = plan_query(parse_query(query), language=None, table=TABLE)
    assert SAFE_FTS5.match(to_fts5(plan))
    assert SAFE_TSQUERY.match(to_tsquery(plan))


def test_long_queries_are_cut():
    parsed = parse_query("word " * 10_000)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert len(parsed.clauses) <= MAX_CLAUSES


def test_quotes_operators_and_prefixes_are_understood():
    clauses = parse_query('"child labour" cocoa OR coffee -ghana NOT nepal traf*').clauses
    assert [(c.words, c.quoted, c.negated, c.or_with_previous, c.prefix) for c in clauses] == [
        (("child", "labour"), True, False, False, False),
        (("cocoa",), False, False, False, False),
        (("coffee",), False, False, True, False),
        (("ghana",), False, True, False, False),
        (("nepal",), False, True, False, False),
        (("traf",), False, False, False, True),
    ]


def test_a_french_phrase_is_expanded_to_english_with_lower_weight():
    plan = plan_query(parse_query("travail des enfants cacao"), language="fr", table=TABLE)
    assert [group.label for group in plan.groups] == ["travail enfants", "cacao"]
    expansions = {a.terms for a in plan.groups[0].alternatives if not a.original}
    assert ("child", "labor") in expansions
    rendered = to_fts5(plan)
    assert rendered.count('"cacao"') == 2  # the user's own word counts twice
    assert rendered.count('"cocoa"') == 1


def test_the_expression_for_matching_names_each_phrase_once():
    plan = plan_query(parse_query("travail des enfants cacao"), language="fr", table=TABLE)
    weighted, matching = to_fts5(plan), to_fts5(plan, weighted=False)
    assert matching.count('"cacao"') == 1
    assert matching.count('"cocoa"') == 1
    phrases = re.findall(r'\([^()]*\)|"[^"]*"', matching)
    assert len(phrases) == len(set(phrases))
    assert set(re.findall(r'"[^"]*"', matching)) == set(re.findall(r'"[^"]*"', weighted))


def test_the_query_language_is_guessed_from_stop_words():
    plan = plan_query(parse_query("los niños de la calle"), language=None, table=TABLE)
    assert plan.languages == ("es",)


def test_snippets_escape_html_and_mark_matches():
    html = snippet(["<b>Forced</b> labour & trafficking"], "en", frozenset({"traffick"}))
    assert html == "&lt;b&gt;Forced&lt;/b&gt; labour &amp; <mark>trafficking</mark>"


def test_snippets_show_the_passage_with_the_matches():
    text = "Introduction. " * 100 + "Children pick cocoa in Ghana. " + "Annex. " * 100
    html = snippet([text], "en", frozenset({"cocoa", "ghana"}))
    assert "<mark>cocoa</mark>" in html
    assert "<mark>Ghana</mark>" in html
    assert html.startswith("…")
    assert len(re.sub(r"</?mark>", "", html)) < 400


@pytest.mark.parametrize("position", [100, 5_500, 6_500, 20_000, 100_000])
def test_a_snippet_from_the_start_of_a_text_is_the_snippet_of_the_whole_text(position):
    # A search reads HEAD_CHARS of each hit's text; the snippet is None when more is needed.
    text = ("Filler words here. " * 10_000)[:position] + " Children pick cocoa in Ghana. "
    text += "Annex. " * 3_000
    terms = frozenset({"cocoa", "ghana"})
    whole = snippet(["", text], "en", terms)
    assert "<mark>cocoa</mark>" in whole
    start = snippet(["", text[:HEAD_CHARS]], "en", terms, cut=True)
    if position + 40 < SCAN_STEPS[0]:
        assert start == whole
    else:
        assert start is None


def test_a_short_text_read_whole_is_never_asked_for_again():
    assert snippet(["", "Cocoa farms."], "en", frozenset({"cocoa"}), cut=False) is not None


def _window_by_brute_force(spans, text, width):
    """For each span, the distinct words of the spans that end within ``width`` of it."""
    best_start, best_score = spans[0][0], -1
    for index, (start, _end) in enumerate(spans):
        seen = set()
        for other_start, other_end in spans[index:]:
            if other_end - start > width:
                break
            seen.add(text[other_start:other_end].casefold())
        if len(seen) > best_score:
            best_start, best_score = start, len(seen)
    start = max(0, best_start - width // 4)
    return start, min(len(text), start + width)


@pytest.mark.parametrize("seed", range(40))
def test_the_snippet_window_is_the_passage_with_the_most_distinct_words(seed):
    generator = random.Random(seed)
    text, spans = "", []
    for _ in range(generator.randint(1, 150)):
        text += " " * generator.randint(0, 60)
        word = generator.choice(["ab", "Ab", "cd", "efgh", "ij", "klmnopqrstuvwxyz" * 3])
        spans.append((len(text), len(text) + len(word)))
        text += word
    for width in (5, 40, 240):
        assert _window(spans, text, width) == _window_by_brute_force(spans, text, width)


def test_a_document_without_matches_shows_its_beginning():
    assert snippet(["", "First words. " * 50], "en", frozenset({"zzz"})).startswith("First")


class FakeVocabulary:
    def __init__(self, frequencies):
        self.frequencies = frequencies

    def document_frequencies(self, terms):
        return {term: self.frequencies[term] for term in terms if term in self.frequencies}

    def terms_with_prefix(self, prefix):
        return [(t, n) for t, n in self.frequencies.items() if t and t.startswith(prefix)]


def test_common_words_are_dropped_when_a_rarer_one_remains():
    vocabulary = FakeVocabulary({"": 10_000, "child": 9_000, "labor": 8_000, "ghana": 40})
    plan = plan_query(
        parse_query("child labour Ghana"), language="en", table=TABLE, vocabulary=vocabulary
    )
    assert [group.label for group in plan.groups] == ["ghana"]


def test_common_words_alone_are_kept():
    vocabulary = FakeVocabulary({"": 10_000, "child": 9_000, "labor": 8_000})
    plan = plan_query(
        parse_query("child labour"), language="en", table=TABLE, vocabulary=vocabulary
    )
    assert [group.label for group in plan.groups] == ["child labour"]


def test_terms_no_document_has_are_not_searched():
    vocabulary = FakeVocabulary({"": 10, "cocoa": 3})
    plan = plan_query(parse_query("cacao"), language="fr", table=TABLE, vocabulary=vocabulary)
    assert {alternative.terms for alternative in plan.groups[0].alternatives} == {("cocoa",)}


def test_a_misspelt_word_is_corrected_to_a_known_term():
    vocabulary = FakeVocabulary({"": 10, "traffick": 5, "trade": 2})
    plan = plan_query(parse_query("traficking"), language="en", table=TABLE, vocabulary=vocabulary)
    assert plan.corrections == {"traficking": "traffick"}


class CountingVocabulary(FakeVocabulary):
    def __init__(self, frequencies):
        super().__init__(frequencies)
        self.asked: list[set[str]] = []

    def document_frequencies(self, terms):
        self.asked.append(set(terms))
        return super().document_frequencies(terms)


def test_a_plan_asks_the_vocabulary_once_unless_a_word_is_corrected():
    frequencies = {"": 100, "cocoa": 3, "cacao": 1, "child": 20, "labor": 20, "traffick": 5}
    vocabulary = CountingVocabulary(frequencies)
    plan = plan_query(
        parse_query("travail des enfants cacao"), language="fr", table=TABLE, vocabulary=vocabulary
    )
    assert len(vocabulary.asked) == 1  # the words, their expansions and the document count
    assert {"", "cocoa", "child", "labor"} <= vocabulary.asked[0]
    assert plan.documents == 100
    assert plan.frequencies["cocoa"] == 3
    assert {alternative.terms for alternative in plan.groups[-1].alternatives} >= {
        ("cocoa",),
        ("cacao",),
    }

    corrected = CountingVocabulary(frequencies)
    plan = plan_query(
        parse_query("cocoa traficking"), language="en", table=TABLE, vocabulary=corrected
    )
    assert plan.corrections == {"traficking": "traffick"}
    assert len(corrected.asked) == 2  # the corrected word's terms only, the second time
    assert corrected.asked[1] == {"traffick"}
    assert [group.label for group in plan.groups] == ["cocoa", "traficking"]


def _one_alternative_per_prefix(prefixes):
    from sdg87.library.search.snippets import _letter_class

    parts = sorted({"".join(_letter_class(letter) for letter in p) for p in prefixes if p})
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")\w*", re.IGNORECASE)


@pytest.mark.parametrize("seed", range(20))
def test_the_grouped_candidate_pattern_finds_what_one_alternative_per_prefix_finds(seed):
    from sdg87.library.search.snippets import _candidate_pattern

    chance = random.Random(seed)
    words = [
        "Travail",
        "travaux",
        "ÉDUCATION",
        "enfant",
        "Enfants",
        "niños",
        "NIÑA",
        "cacao",
        "Çà",
        "œuvre",
        "Straße",
        "e-mail",
        "a]b",
        "^x",
        "2020s",
        "x_y",
        "l'école",
    ]
    text = " ".join(chance.choice(words) for _ in range(400)) + " " + HOSTILE_QUERIES[0]
    prefixes = chance.sample(
        ["trav", "enf", "nin", "ca", "e", "educ", "oeuv", "stra", "a]", "^", "202", "x_", "l"],
        k=chance.randint(1, 8),
    )
    expected = [m.span() for m in _one_alternative_per_prefix(prefixes).finditer(text)]
    found = [m.span() for m in _candidate_pattern(prefixes).finditer(text)]
    assert found == expected
    assert _candidate_pattern(["", ""]) is None
