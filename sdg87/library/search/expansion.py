"""Cross-lingual query expansion: equivalent terms in English, French and Spanish.

Pure module (files in, tables out; no ORM). A *concept* is a set of phrases that mean the same
thing, each phrase analysed in its own language (see ``analysis``). A query phrase that matches
one phrase of a concept is expanded to the concept's other phrases, so "travail des enfants"
also finds documents that say "child labor" or "trabajo infantil".

Sources, all bundled (provenance in ``vocab/README.md`` and ``data/SOURCES.md``):

* the UNBIS thesaurus (``data/vocab/unbis``): one concept per topic, labels in en/fr/es;
* Target 8.7 themes, countries (names in en/fr/es) and legal instruments (``data/reference``);
* the SDG framework texts (``data/sdg_framework``): word translations aligned statistically
  across the official EN/FR/ES goal, target and indicator texts (Dice coefficient, mutual best
  match, at least ``ALIGNMENT_MIN_PAIRS`` sentence pairs);
* a small curated list for core Target 8.7 vocabulary where the thesaurus is silent
  (``vocab/curated_terms.csv``, each row with its source).
"""

from __future__ import annotations

import csv
import functools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sdg87.library.search.analysis import LANGUAGES, VOCAB_DIR, stem_words, words

MAX_PHRASE_WORDS = 6
ALIGNMENT_MIN_PAIRS = 5
ALIGNMENT_MIN_DICE = 0.7

Stems = tuple[str, ...]


@dataclass(frozen=True)
class Phrase:
    language: str
    stems: Stems


@dataclass(frozen=True)
class Concept:
    source: str
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class ExpansionTable:
    """Concepts indexed by each of their analysed phrases, per language."""

    concepts: tuple[Concept, ...] = ()
    index: Mapping[tuple[str, Stems], tuple[int, ...]] = field(default_factory=dict)
    stems_by_language: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def concepts_for(self, language: str, stems: Stems) -> list[Concept]:
        return [self.concepts[i] for i in self.index.get((language, stems), ())]

    def knows(self, stem: str) -> bool:
        return any(stem in known for known in self.stems_by_language.values())

    def all_stems(self) -> frozenset[str]:
        return frozenset().union(*self.stems_by_language.values())


def analyse_phrase(text: str, language: str) -> Stems:
    return tuple(stem_words(words(text), language))


Label = str | Stems
LabelledConcept = tuple[str, list[tuple[str, Label]]]


def build_table(labelled_concepts: Iterable[LabelledConcept]) -> ExpansionTable:
    """A table from ``(source, [(language, label), ...])`` pairs.

    Text labels are analysed in their language (a tuple label is taken as already analysed);
    concepts with fewer than two distinct phrases (nothing to expand to) are left out, and so
    are phrases longer than ``MAX_PHRASE_WORDS``.
    """
    concepts: list[Concept] = []
    index: dict[tuple[str, Stems], list[int]] = defaultdict(list)
    stems: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for source, labels in labelled_concepts:
        phrases: list[Phrase] = []
        for language, label in labels:
            if language not in LANGUAGES or not label:
                continue
            analysed = label if isinstance(label, tuple) else analyse_phrase(label, language)
            phrase = Phrase(language, analysed)
            if analysed and len(analysed) <= MAX_PHRASE_WORDS and phrase not in phrases:
                phrases.append(phrase)
        if len({phrase.stems for phrase in phrases}) < 2:
            continue
        position = len(concepts)
        concepts.append(Concept(source, tuple(phrases)))
        for phrase in phrases:
            key = (phrase.language, phrase.stems)
            if position not in index[key]:
                index[key].append(position)
            stems[phrase.language].update(phrase.stems)
    return ExpansionTable(
        concepts=tuple(concepts),
        index={key: tuple(value) for key, value in index.items()},
        stems_by_language={language: frozenset(value) for language, value in stems.items()},
    )


# --- sources ------------------------------------------------------------------------------


def unbis_concepts(path: Path) -> Iterable[LabelledConcept]:
    topics = json.loads(path.read_text(encoding="utf-8")).get("topics", [])
    for topic in topics:
        labels = topic.get("labels") or {}
        yield (
            f"unbis:{topic.get('identifier', '')}",
            [(language, labels.get(language, "")) for language in LANGUAGES],
        )


def csv_concepts(
    path: Path, key: str, columns: Mapping[str, Iterable[str]], prefix: str
) -> Iterable[LabelledConcept]:
    """One concept per row: ``columns`` maps each language to the row's label columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labels = [
                (language, row.get(column, "") or "")
                for language, names in columns.items()
                for column in names
            ]
            yield f"{prefix}:{row.get(key, '')}", labels


def curated_concepts(path: Path) -> Iterable[LabelledConcept]:
    """``concept,language,term,source`` rows grouped by concept."""
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(rows):
            grouped[row["concept"]].append((row["language"], row["term"]))
    for concept, labels in grouped.items():
        yield f"curated:{concept}", labels


def aligned_word_concepts(
    path: Path, pairs: Iterable[tuple[str, str]] = (("en", "fr"), ("en", "es"))
) -> Iterable[LabelledConcept]:
    """Word translations aligned across the EN/FR/ES SDG texts (one concept per word pair).

    Two stems are aligned when they occur together in at least ``ALIGNMENT_MIN_PAIRS``
    aligned texts, their Dice coefficient is at least ``ALIGNMENT_MIN_DICE`` and each is the
    other's best match. Numbers are left out.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for first, second in pairs:
        counts_first: Counter[str] = Counter()
        counts_second: Counter[str] = Counter()
        together: Counter[tuple[str, str]] = Counter()
        for row in rows:
            stems_first = {s for s in analyse_phrase(row[first], first) if not s.isdigit()}
            stems_second = {s for s in analyse_phrase(row[second], second) if not s.isdigit()}
            counts_first.update(stems_first)
            counts_second.update(stems_second)
            together.update((a, b) for a in stems_first for b in stems_second)
        best_first: dict[str, tuple[float, str]] = {}
        best_second: dict[str, tuple[float, str]] = {}
        for (a, b), count in together.items():
            if count < ALIGNMENT_MIN_PAIRS:
                continue
            dice = 2 * count / (counts_first[a] + counts_second[b])
            if dice > best_first.get(a, (0.0, ""))[0]:
                best_first[a] = (dice, b)
            if dice > best_second.get(b, (0.0, ""))[0]:
                best_second[b] = (dice, a)
        for a, (dice, b) in sorted(best_first.items()):
            if dice >= ALIGNMENT_MIN_DICE and best_second[b][1] == a and a != b:
                yield f"sdg-aligned:{first}-{second}:{a}", [(first, (a,)), (second, (b,))]


def load_table(data_dir: Path) -> ExpansionTable:
    """The expansion table from the bundled files under ``data_dir`` and ``vocab/``."""
    sources: list[Iterable[LabelledConcept]] = []
    reference = data_dir / "reference"
    names = {language: [f"name_{language}"] for language in LANGUAGES}
    optional = [
        (data_dir / "vocab" / "unbis" / "unbis_thesaurus_all_topics.json", unbis_concepts),
        (reference / "themes.csv", lambda p: csv_concepts(p, "slug", names, "theme")),
        (reference / "countries.csv", lambda p: csv_concepts(p, "iso3", names, "country")),
        (
            reference / "instruments.csv",
            lambda p: csv_concepts(
                p,
                "code",
                {lang: [f"title_{lang}", f"short_name_{lang}"] for lang in LANGUAGES},
                "instrument",
            ),
        ),
        (data_dir / "sdg_framework" / "sdg_framework_en_fr_es.csv", aligned_word_concepts),
        (VOCAB_DIR / "curated_terms.csv", curated_concepts),
    ]
    for path, reader in optional:
        if path.exists():
            sources.append(reader(path))
    return build_table(concept for source in sources for concept in source)


@functools.cache
def default_table(data_dir: str) -> ExpansionTable:
    """``load_table`` once per process and data folder (the files are read-only reference data)."""
    return load_table(Path(data_dir))
