"""BM25 computed in Python, for the small ranking tiers of the SQLite backend.

FTS5's ``bm25()`` begins every query by counting, for each phrase, the rows that hold it: one
pass over each phrase's whole posting list. For a word found in most documents ("child",
"labour" in a Target 8.7 library) that pass costs milliseconds, even when only a few dozen
rows match the whole query. A tier with few matches is therefore ranked here instead, with
FTS5's own formula (k1 = 1.2, b = 0.75, per-column weights, the row's total size against the
table's average) and the document frequencies the index vocabulary already holds
(``library_search_term``), so no posting list is read twice.

Pure: no database access. ``averages`` decodes the statistics record FTS5 keeps for each table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sdg87.library.search.query import Phrase

K1 = 1.2
B = 0.75
MIN_IDF = 1e-6  # as FTS5: a phrase in more than half of the rows still weighs a little


@dataclass(frozen=True)
class TableStatistics:
    rows: int
    average_size: float  # tokens per row, every column counted


def averages(record: bytes, columns: int) -> TableStatistics | None:
    """FTS5's averages record (``<table>_data`` row 1): the number of rows, then the number
    of tokens in each column, as SQLite varints. None when it cannot be read."""
    values: list[int] = []
    position = 0
    try:
        while position < len(record) and len(values) < columns + 1:
            value = 0
            for index in range(9):
                byte = record[position + index]
                if index == 8:
                    value = (value << 8) | byte
                    position += 9
                    break
                value = (value << 7) | (byte & 0x7F)
                if not byte & 0x80:
                    position += index + 1
                    break
            values.append(value)
    except IndexError:
        return None
    if len(values) != columns + 1 or values[0] <= 0:
        return None
    return TableStatistics(rows=values[0], average_size=sum(values[1:]) / values[0])


def _occurrences(tokens: Sequence[str], phrase: Phrase) -> int:
    terms = phrase.terms
    if len(terms) == 1:
        if phrase.prefix:
            return sum(1 for token in tokens if token.startswith(terms[0]))
        return tokens.count(terms[0])
    last = len(terms) - 1
    found = 0
    for start in range(len(tokens) - last):
        if all(tokens[start + index] == terms[index] for index in range(last)) and (
            tokens[start + last].startswith(terms[last])
            if phrase.prefix
            else tokens[start + last] == terms[last]
        ):
            found += 1
    return found


def idf(rows: int, documents: int) -> float:
    documents = min(documents, rows)  # the vocabulary may count documents the table lacks
    value = math.log((rows - documents + 0.5) / (documents + 0.5))
    return value if value > 0 else MIN_IDF


class Scorer:
    """bm25 (higher is better) of rows of one table for one query: ``Scorer(phrases,
    weights, statistics)(columns)``, what depends only on the query computed once.

    A row is its columns' analysed text: index terms separated by single spaces, as the
    index stores them, so a column has ``count(" ") + 1`` tokens and a one-word phrase is
    counted with ``str.count`` on the column with every space doubled (no splitting).
    """

    def __init__(
        self, phrases: Sequence[Phrase], weights: Sequence[float], statistics: TableStatistics
    ) -> None:
        self.weights = tuple(weights)
        self.statistics = statistics
        self.phrases = [
            (
                phrase,
                idf(statistics.rows, phrase.documents or 1) * phrase.weight,
                f" {phrase.terms[0]} " if len(phrase.terms) == 1 and not phrase.prefix else None,
            )
            for phrase in phrases
        ]

    def __call__(self, columns: Sequence[str]) -> float:
        size = sum(column.count(" ") + 1 for column in columns if column)
        average = self.statistics.average_size
        norm = K1 * (1 - B + B * size / average) if average else K1
        # The weighted columns that have text: (weight, index, the text with doubled spaces).
        spaced = [
            (weight, index, f" {columns[index].replace(' ', '  ')} ")
            for index, weight in enumerate(self.weights)
            if weight and columns[index]
        ]
        split: dict[int, list[str]] = {}
        score = 0.0
        for phrase, weight, needle in self.phrases:
            frequency = 0.0
            if needle is not None:
                for column_weight, _index, text in spaced:
                    frequency += column_weight * text.count(needle)
            else:
                for column_weight, index, _text in spaced:
                    tokens = split.get(index)
                    if tokens is None:
                        tokens = split[index] = columns[index].split()
                    frequency += column_weight * _occurrences(tokens, phrase)
            if frequency:
                score += weight * frequency * (K1 + 1) / (frequency + norm)
        return score
