"""User queries: parsing, sanitising and planning. Pure; nothing here raises on any input.

``parse_query`` reads what people type — words, "quoted phrases", ``OR``, ``NOT`` or ``-word``,
``prefix*`` — and ignores everything else (parentheses, FTS5 or tsquery syntax, emoji, control
characters). Input is cut to ``MAX_QUERY_CHARS`` characters and ``MAX_CLAUSES`` clauses.

``plan_query`` turns the parsed query into a ``QueryPlan``: a conjunction of groups, each group
a disjunction of alternatives, every alternative made of index terms (see ``analysis``):

* each query word is stemmed in every document language (a French document is indexed with
  the French stemmer, an English one with the English stemmer);
* query phrases that name a concept of the expansion table (``expansion``) are expanded to the
  concept's phrases in the other languages — expansions are marked ``original=False`` and the
  backends weigh them below the user's own words;
* a word found neither in the index vocabulary nor in the expansion table is corrected to the
  closest known term (Damerau–Levenshtein distance 1, or 2 for long words).

The backends render a plan in their own syntax (``to_fts5``, ``to_tsquery``); terms are letters
and digits only, so no user input ever reaches the database's query language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from sdg87.library.search.analysis import LANGUAGES, stem_word, stop_words, words
from sdg87.library.search.expansion import MAX_PHRASE_WORDS, ExpansionTable

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24
MAX_ALTERNATIVES = 48
MIN_CORRECTED_LENGTH = 4
LONG_WORD_LENGTH = 8

QUOTES = '"“”„«»'
SEPARATORS = "()[]{}<>"
OR_WORDS = {"OR", "|", "||", "OU", "O"}
AND_WORDS = {"AND", "&", "&&", "+", "ET", "Y"}
NOT_WORDS = {"NOT", "!", "SAUF"}


# --- parsing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One thing the user asked for: a word, a "quoted phrase" or a word split by punctuation."""

    words: tuple[str, ...]
    quoted: bool = False
    prefix: bool = False
    negated: bool = False
    or_with_previous: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(not clause.negated for clause in self.clauses)


def sanitise(raw: object) -> str:
    """The query text: a string, at most ``MAX_QUERY_CHARS``, without control characters."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    text = text[: MAX_QUERY_CHARS * 4]
    text = "".join(
        " " if unicodedata.category(char)[0] in "CZ" else char
        for char in text
        if unicodedata.category(char) not in ("Cs", "Co", "Cn")
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS]


_QUOTES = re.escape(QUOTES)
_TOKEN = re.compile(
    rf"[{_QUOTES}]([^{_QUOTES}]*)(?:[{_QUOTES}]|$)|[^\s{_QUOTES}{re.escape(SEPARATORS)}]+"
)


def parse_query(raw: object) -> ParsedQuery:
    """Parse anything into clauses; never raises."""
    text = sanitise(raw)
    clauses: list[Clause] = []
    pending_or = False
    pending_not = False
    for match in _TOKEN.finditer(text):
        if len(clauses) >= MAX_CLAUSES:
            break
        token = match.group(0)
        quoted = token[0] in QUOTES
        if quoted:
            body, prefix, negated = match.group(1) or "", False, False
            if body.rstrip().endswith("*"):
                body, prefix = body.rstrip().rstrip("*"), True
        else:
            if token in OR_WORDS and clauses:
                pending_or = True
                continue
            if token in AND_WORDS:
                continue
            if token in NOT_WORDS:
                pending_not = True
                continue
            negated = token.startswith("-") and len(token) > 1
            body = token.lstrip("-+")
            prefix = body.endswith("*")
            body = body.rstrip("*")
        folded = tuple(words(body))
        if not folded:
            continue
        negated = negated or pending_not
        clauses.append(
            Clause(
                words=folded,
                quoted=quoted,
                prefix=prefix,
                negated=negated,
                or_with_previous=pending_or and not negated and bool(clauses),
            )
        )
        pending_or = pending_not = False
    return ParsedQuery(text=text, clauses=tuple(clauses))


# --- planning --------------------------------------------------------------------------------


class Vocabulary(Protocol):
    """The index's terms with their document counts (each backend provides one)."""

    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]: ...

    def terms_with_prefix(self, prefix: str) -> Sequence[tuple[str, int]]: ...


class EmptyVocabulary:
    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]:
        return {}

    def terms_with_prefix(self, prefix: str) -> Sequence[tuple[str, int]]:
        return []


class _RememberedVocabulary:
    """A vocabulary that asks for each term once (one plan's lookups): terms already asked
    for, found or not, are answered from memory."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.asked: set[str] = set()
        self.found: dict[str, int] = {}

    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]:
        unknown = set(terms) - self.asked
        if unknown:
            self.found.update(self.vocabulary.document_frequencies(unknown))
            self.asked |= unknown
        return {term: self.found[term] for term in terms if term in self.found}

    def terms_with_prefix(self, prefix: str) -> Sequence[tuple[str, int]]:
        return self.vocabulary.terms_with_prefix(prefix)


@dataclass(frozen=True)
class Alternative:
    """Index terms that must all occur: adjacent and in order if ``exact``.

    ``prefix``: the last term matches any index term that starts with it.
    ``original``: from the user's words (True) or from cross-lingual expansion (False).
    Only ``exact`` alternatives (the user's quoted phrases) are matched as phrases: other
    multi-word alternatives match their words anywhere in the document, which is much
    cheaper for both databases (no position lists to compare) and loses little.
    """

    terms: tuple[str, ...]
    prefix: bool = False
    original: bool = True
    exact: bool = False  # a "quoted phrase": the backends keep word order and adjacency
    frequency: int = 0  # estimated number of documents it matches (0: unknown)


@dataclass(frozen=True)
class Group:
    alternatives: tuple[Alternative, ...]
    label: str = ""

    @property
    def has_expansions(self) -> bool:
        return any(not alternative.original for alternative in self.alternatives)


@dataclass(frozen=True)
class QueryPlan:
    groups: tuple[Group, ...] = ()
    excluded: tuple[Group, ...] = ()
    languages: tuple[str, ...] = LANGUAGES
    match_any: bool = False
    corrections: Mapping[str, str] = field(default_factory=dict)
    documents: int = 0  # documents in the index when planned (0: unknown)
    # Documents holding each index term of the groups, as read when planned (for ranking).
    frequencies: Mapping[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def has_expansions(self) -> bool:
        return any(group.has_expansions for group in self.groups)

    def relaxed(self) -> QueryPlan:
        """The same groups, any of which may match (used when all of them match nothing)."""
        return replace(self, match_any=True)

    def originals_only(self) -> QueryPlan:
        groups = tuple(
            Group(tuple(a for a in group.alternatives if a.original), group.label)
            for group in self.groups
        )
        return replace(self, groups=tuple(group for group in groups if group.alternatives))

    def highlight_terms(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """Index terms to highlight, and prefixes (from ``word*``) to highlight."""
        terms: set[str] = set()
        prefixes: set[str] = set()
        for group in self.groups:
            for alternative in group.alternatives:
                if alternative.prefix:
                    terms.update(alternative.terms[:-1])
                    prefixes.add(alternative.terms[-1])
                else:
                    terms.update(alternative.terms)
        return frozenset(terms), tuple(sorted(prefixes))


def guess_languages(parsed: ParsedQuery, table: ExpansionTable) -> tuple[str, ...]:
    """The query's likely languages: stop words and concept labels are the evidence."""
    evidence = dict.fromkeys(LANGUAGES, 0)
    all_words = [word for clause in parsed.clauses for word in clause.words]
    for language in LANGUAGES:
        stops = stop_words(language)
        evidence[language] += sum(2 for word in all_words if word in stops)
        for word in all_words:
            stem = stem_word(word, language)
            if stem and stem in table.stems_by_language.get(language, ()):
                evidence[language] += 1
    best = max(evidence.values())
    if best == 0:
        return LANGUAGES
    return tuple(language for language in LANGUAGES if evidence[language] == best)


@dataclass
class _Word:
    folded: str
    stems: dict[str, str]  # language → stem


def _damerau_candidates(
    stem: str, choices: Iterable[tuple[str, int]], max_distance: int
) -> list[tuple[int, int, str]]:
    from rapidfuzz.distance import DamerauLevenshtein

    found = []
    for term, frequency in choices:
        if abs(len(term) - len(stem)) > max_distance or term == stem:
            continue
        distance = DamerauLevenshtein.distance(stem, term, score_cutoff=max_distance)
        if distance <= max_distance:
            found.append((distance, -frequency, term))
    return sorted(found)


def _correct(
    word: _Word, frequencies: Mapping[str, int], vocabulary: Vocabulary, table: ExpansionTable
) -> str | None:
    """The closest known term to an unknown word, if one is close enough."""
    stems = set(word.stems.values())
    if (
        len(word.folded) < MIN_CORRECTED_LENGTH
        or word.folded.isdigit()
        or any(frequencies.get(stem, 0) > 0 or table.knows(stem) for stem in stems)
    ):
        return None
    max_distance = 2 if len(word.folded) >= LONG_WORD_LENGTH else 1
    first = word.folded[0]
    known = dict(vocabulary.terms_with_prefix(first))
    for term in table.all_stems():
        if term.startswith(first):
            known[term] = max(known.get(term, 0), 1)
    best: tuple[int, int, str] | None = None
    for stem in sorted(stems):
        for candidate in _damerau_candidates(stem, known.items(), max_distance)[:1]:
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def _word_stems(folded: str, languages: Iterable[str]) -> dict[str, str]:
    stems = {}
    for language in languages:
        stem = stem_word(folded, language)
        if stem:
            stems[language] = stem
    return stems


def _loose(alternative: Alternative) -> bool:
    return not alternative.exact and not alternative.prefix


def _dedupe(alternatives: Iterable[Alternative]) -> tuple[Alternative, ...]:
    """Distinct alternatives; a loose one whose words include another's is left out.

    ("traffick" matches every document that "traffick" + "person" matches.)
    """
    seen: dict[tuple[object, ...], Alternative] = {}
    for alternative in alternatives:
        terms: object = frozenset(alternative.terms) if _loose(alternative) else alternative.terms
        key = (terms, alternative.exact, alternative.prefix)
        if key not in seen or (alternative.original and not seen[key].original):
            seen[key] = alternative
    loose = [set(a.terms) for a in seen.values() if _loose(a)]
    kept = [
        a
        for a in seen.values()
        if not _loose(a) or not any(other < set(a.terms) for other in loose)
    ]
    ordered = sorted(kept, key=lambda a: (not a.original, len(a.terms)))
    return tuple(ordered[:MAX_ALTERNATIVES])


def _original_alternatives(
    unit: Sequence[_Word],
    languages: Sequence[str],
    *,
    prefix: bool = False,
    exact: bool = False,
) -> list[Alternative]:
    """The user's words as index terms: stemmed in the query's language(s), and as written.

    (Stemmed in other languages too, a word would find unrelated words there: English
    "cocoa" is "coco" for the French stemmer, which also stems "Cocos Islands". Words as
    written still find names in documents of any language; other words cross languages
    through the expansion table.)
    """
    alternatives = []
    variants = [tuple(word.folded for word in unit)]
    if not prefix:
        variants += [tuple(w.stems[code] for w in unit if code in w.stems) for code in languages]
    for terms in variants:
        if terms:
            alternatives.append(Alternative(terms, prefix=prefix, exact=exact and len(terms) > 1))
    return alternatives


def _concept_alternatives(
    unit: Sequence[_Word], table: ExpansionTable, *, exact: bool = False
) -> list[Alternative]:
    alternatives = []
    for language in LANGUAGES:
        key = tuple(word.stems[language] for word in unit if language in word.stems)
        if not key:
            continue
        for concept in table.concepts_for(language, key):
            alternatives.extend(
                Alternative(phrase.stems, original=False, exact=exact and len(phrase.stems) > 1)
                for phrase in concept.phrases
            )
    return alternatives


def _matches_concept(unit: Sequence[_Word], table: ExpansionTable) -> bool:
    for language in LANGUAGES:
        key = tuple(word.stems[language] for word in unit if language in word.stems)
        if key and table.concepts_for(language, key):
            return True
    return False


COMMON_SHARE = 0.5
COMMON_MIN_DOCUMENTS = 1000  # below this, every group is kept (the rule is for speed at scale)
DOCUMENT_COUNT_TERM = ""  # the vocabulary's row for the number of indexed documents


def _terms_to_match(alternative: Alternative) -> tuple[str, ...]:
    return alternative.terms[:-1] if alternative.prefix else alternative.terms


def _prune(
    groups: list[Group], vocabulary: Vocabulary
) -> tuple[tuple[Group, ...], int, Mapping[str, int]]:
    """The groups worth sending to the database.

    * Alternatives with a term no indexed document has cannot match: left out (most
      expansions name terms of languages the library has no document in). A group left with
      nothing keeps its original alternatives, so the query still means what was asked.
    * Common groups — satisfied by more than half of the documents, like "child labour" in a
      library about child labour — narrow nothing and weigh nothing in BM25 (whose idf is
      zero or less for such terms): when a rarer group remains they are left out, as
      Lucene's CommonTermsQuery does. This keeps queries fast on large libraries.

    Also returns the number of indexed documents and each term's document frequency.
    """
    frequencies = vocabulary.document_frequencies(_needed_terms(groups) | {DOCUMENT_COUNT_TERM})
    documents = frequencies.get(DOCUMENT_COUNT_TERM, 0)
    if not documents:
        return tuple(groups), 0, frequencies

    def frequency(alternative: Alternative) -> int:
        terms = _terms_to_match(alternative)
        return min((frequencies.get(term, 0) for term in terms), default=documents)

    pruned = []
    for group in groups:
        kept = tuple(
            replace(a, frequency=frequency(a)) for a in group.alternatives if frequency(a) > 0
        )
        originals = tuple(a for a in group.alternatives if a.original)
        pruned.append(Group(kept or originals, group.label))
    if documents < COMMON_MIN_DOCUMENTS:
        return tuple(pruned), documents, frequencies
    common = [
        not any(a.exact for a in group.alternatives)
        and any(frequency(a) > COMMON_SHARE * documents for a in group.alternatives)
        for group in pruned
    ]
    selective = [
        not is_common and any(frequency(a) > 0 for a in group.alternatives)
        for group, is_common in zip(pruned, common, strict=True)
    ]
    if not any(selective):
        return tuple(pruned), documents, frequencies
    kept_groups = zip(pruned, common, strict=True)
    kept = tuple(group for group, is_common in kept_groups if not is_common)
    return kept, documents, frequencies


def _groups(
    parsed: ParsedQuery,
    clause_words: list[list[_Word]],
    languages: tuple[str, ...],
    table: ExpansionTable,
) -> tuple[list[Group], list[Group]]:
    """The query's groups (each a concept: its words and their cross-lingual expansions) and
    the excluded ones, from each clause's words."""
    groups: list[Group] = []
    excluded: list[Group] = []
    index = 0
    while index < len(parsed.clauses):
        clause, ws = parsed.clauses[index], clause_words[index]
        if not ws:
            index += 1
            continue
        if clause.negated:
            excluded.append(Group(tuple(_original_alternatives(ws, LANGUAGES, exact=True))))
            index += 1
            continue
        if clause.quoted or clause.prefix or len(ws) > 1:
            alternatives = _original_alternatives(
                ws, languages, prefix=clause.prefix, exact=clause.quoted
            )
            if not clause.prefix:
                alternatives += _concept_alternatives(ws, table, exact=clause.quoted)
            new_groups = [Group(_dedupe(alternatives), " ".join(w.folded for w in ws))]
            index += 1
        else:
            # A run of plain one-word clauses (stop words skipped): longest concept phrase first.
            run: list[tuple[int, _Word]] = []
            end = index
            while end < len(parsed.clauses) and len(run) < MAX_PHRASE_WORDS:
                following = parsed.clauses[end]
                if (
                    len(clause_words[end]) > 1
                    or following.quoted
                    or following.prefix
                    or following.negated
                    or (end > index and following.or_with_previous)
                ):
                    break
                if clause_words[end]:
                    run.append((end, clause_words[end][0]))
                end += 1
            size = len(run)
            while size > 1 and not _matches_concept([w for _, w in run[:size]], table):
                size -= 1
            unit = [word for _, word in run[:size]]
            alternatives = _original_alternatives(unit, languages)
            alternatives += _concept_alternatives(unit, table)
            new_groups = [Group(_dedupe(alternatives), " ".join(w.folded for w in unit))]
            index = run[size - 1][0] + 1
        if clause.or_with_previous and groups:
            previous = groups.pop()
            merged = previous.alternatives + new_groups[0].alternatives
            new_groups[0] = Group(
                _dedupe(merged), f"{previous.label} | {new_groups[0].label}".strip()
            )
        groups.extend(new_groups)
    return groups, excluded


def _needed_terms(groups: Iterable[Group]) -> set[str]:
    return {term for group in groups for a in group.alternatives for term in _terms_to_match(a)}


def plan_query(
    parsed: ParsedQuery,
    *,
    language: str | None,
    table: ExpansionTable,
    vocabulary: Vocabulary | None = None,
) -> QueryPlan:
    """The plan for a parsed query; ``language`` is the query's language when known."""
    vocabulary = vocabulary or EmptyVocabulary()
    languages = (language,) if language in LANGUAGES else guess_languages(parsed, table)
    query_stops = frozenset().union(*(stop_words(code) for code in languages))

    # Words of each clause, stop words of the query's language(s) left out.
    clause_words: list[list[_Word]] = []
    for clause in parsed.clauses:
        kept = [w for w in clause.words if w not in query_stops] or (
            list(clause.words) if clause.quoted else []
        )
        clause_words.append([_Word(w, _word_stems(w, LANGUAGES)) for w in kept])
        clause_words[-1] = [word for word in clause_words[-1] if word.stems]

    # One lookup for the words' stems and the terms of the groups they make without typo
    # correction (and the document count, ``_prune``'s): a second one only for the terms
    # of corrected words.
    remembered = _RememberedVocabulary(vocabulary)
    every_stem = {s for ws in clause_words for word in ws for s in word.stems.values()}
    groups, excluded = _groups(parsed, clause_words, languages, table)
    frequencies = remembered.document_frequencies(
        every_stem | _needed_terms(groups) | {DOCUMENT_COUNT_TERM}
    )

    # Typo correction of words nobody knows.
    corrections: dict[str, str] = {}
    for clause, ws in zip(parsed.clauses, clause_words, strict=True):
        if clause.prefix or clause.negated:
            continue
        for word in ws:
            corrected = _correct(word, frequencies, remembered, table)
            if corrected:
                corrections[word.folded] = corrected
                word.stems = dict.fromkeys(word.stems, corrected)
    if corrections:
        groups, excluded = _groups(parsed, clause_words, languages, table)
    pruned, documents, frequencies = _prune(groups, remembered)
    return QueryPlan(
        groups=pruned,
        documents=documents,
        frequencies={term: count for term, count in frequencies.items() if term},
        excluded=tuple(excluded),
        languages=languages,
        corrections=corrections,
    )


# --- rendering -------------------------------------------------------------------------------

_SAFE_TERM = re.compile(r"^[^\W_]+$")


def _safe(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(term for term in terms if _SAFE_TERM.match(term))


def _fts5_alternative(alternative: Alternative) -> str:
    terms = _safe(alternative.terms)
    if not terms:
        return ""
    star = " *" if alternative.prefix else ""
    if alternative.exact or len(terms) == 1:
        return f'"{" ".join(terms)}"{star}'
    parts = [f'"{term}"' for term in terms[:-1]] + [f'"{terms[-1]}"{star}']
    return "(" + " AND ".join(parts) + ")" if len(parts) > 1 else parts[0]


RARE_SHARE = 0.1


def _repeat(alternative: Alternative, *, weigh_originals: bool, documents: int) -> int:
    """How many times the FTS5 expression names an alternative.

    FTS5's bm25 adds up the score of every phrase of the query: an original phrase written
    twice counts twice as much as an expansion. (Not for frequent terms: each copy costs a
    pass over their posting lists, and their idf is low anyway.)
    """
    rare = documents < COMMON_MIN_DOCUMENTS or alternative.frequency <= RARE_SHARE * documents
    return 2 if weigh_originals and alternative.original and rare else 1


def _fts5_group(
    group: Group, *, weigh_originals: bool, documents: int = 0, weighted: bool = True
) -> str:
    rendered: list[str] = []
    for alternative in group.alternatives:
        text = _fts5_alternative(alternative)
        if not text:
            continue
        if not weighted:
            if text not in rendered:  # the same matches: each copy is one more pass
                rendered.append(text)
            continue
        repeat = _repeat(alternative, weigh_originals=weigh_originals, documents=documents)
        rendered.extend([text] * repeat)
    return "(" + " OR ".join(rendered) + ")" if rendered else ""


@dataclass(frozen=True)
class Phrase:
    """One phrase of the FTS5 expression, as its bm25 scores it."""

    terms: tuple[str, ...]  # consecutive index terms (one for a single word)
    prefix: bool  # the last term stands for any index term that starts with it
    documents: int  # documents that hold it, as far as the plan knows (0: unknown)
    weight: int  # how many times the expression names it


def fts5_phrases(plan: QueryPlan) -> tuple[Phrase, ...]:
    """The phrases of ``to_fts5(plan)`` that can match (the excluded words' cannot), each
    with its weight: what a bm25 computed outside FTS5 adds up (``scoring``)."""
    weigh = plan.has_expansions
    phrases: dict[tuple[tuple[str, ...], bool], list[int]] = {}
    for group in plan.groups:
        for alternative in group.alternatives:
            terms = _safe(alternative.terms)
            if not terms:
                continue
            repeat = _repeat(alternative, weigh_originals=weigh, documents=plan.documents)
            if alternative.exact or len(terms) == 1:
                parts = [(terms, alternative.prefix)]
            else:
                parts = [((term,), False) for term in terms[:-1]]
                parts.append(((terms[-1],), alternative.prefix))
            for part in parts:
                known = [
                    plan.frequencies.get(term, 0) for term in part[0][: -1 if part[1] else None]
                ]
                documents = min(known) if known and all(known) else alternative.frequency
                entry = phrases.setdefault(part, [0, documents])
                entry[0] += repeat
    return tuple(
        Phrase(terms=terms, prefix=prefix, documents=documents, weight=weight)
        for (terms, prefix), (weight, documents) in phrases.items()
    )


def to_fts5(plan: QueryPlan, *, weighted: bool = True) -> str:
    """The FTS5 MATCH expression for a plan (empty if nothing to match).

    No column filter: terms are letters and digits, filter tags are ``x<kind><value>``
    tokens of their own column, and a column filter would make FTS5 read position lists.

    ``weighted``: for ranking, an original phrase is written twice (bm25 counts it twice,
    ``_repeat``). Without, for matching and counting, each distinct phrase is written once:
    the same matches, and FTS5 reads each posting list once.
    """
    weigh = plan.has_expansions
    parts = [
        _fts5_group(group, weigh_originals=weigh, documents=plan.documents, weighted=weighted)
        for group in plan.groups
    ]
    parts = [part for part in parts if part]
    if not parts:
        return ""
    expression = "(" + (" OR " if plan.match_any else " AND ").join(parts) + ")"
    excluded = [_fts5_group(group, weigh_originals=False) for group in plan.excluded]
    excluded = [part for part in excluded if part]
    if excluded:
        expression += " NOT (" + " OR ".join(excluded) + ")"
    return expression


def _tsquery_alternative(alternative: Alternative) -> str:
    terms = _safe(alternative.terms)
    if not terms:
        return ""
    quoted = [f"'{term}'" for term in terms]
    if alternative.prefix:
        quoted[-1] += ":*"
    joiner = " <-> " if alternative.exact else " & "
    return "(" + joiner.join(quoted) + ")" if len(quoted) > 1 else quoted[0]


def _tsquery_group(group: Group) -> str:
    rendered = [text for a in group.alternatives if (text := _tsquery_alternative(a))]
    return "(" + " | ".join(rendered) + ")" if rendered else ""


def to_tsquery(plan: QueryPlan) -> str:
    """The PostgreSQL tsquery text for a plan (empty if nothing to match)."""
    parts = [part for group in plan.groups if (part := _tsquery_group(group))]
    if not parts:
        return ""
    expression = "(" + (" | " if plan.match_any else " & ").join(parts) + ")"
    excluded = [part for group in plan.excluded if (part := _tsquery_group(group))]
    if excluded:
        expression += " & !(" + " | ".join(excluded) + ")"
    return expression
