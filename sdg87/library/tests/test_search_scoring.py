"""bm25 computed in Python for small ranking tiers (``scoring``) against FTS5's own bm25."""

from __future__ import annotations

import math
import sqlite3

import pytest

from sdg87.library.search import resource_search
from sdg87.library.search.backends import sqlite as sqlite_backend
from sdg87.library.search.query import Phrase
from sdg87.library.search.scoring import K1, Scorer, TableStatistics, averages, idf

TITLES = [
    "cocoa farms ghana",
    "cocoa cocoa harvest",
    "child labor cocoa farms cote ivoire report",
    "fishing vessels thailand",
    "forced labor fishing vessels fishing",
    "brick kilns nepal",
    "bonded labor brick kilns",
    "cocoa",
]
TAGS = ["xtypeaa", "xtypebb xyear2020", "", "xtypeaa", "xtypebb", "xtypeaa xcountrynpl", "", ""]


@pytest.fixture
def fts():
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, tags, tokenize = 'unicode61 remove_diacritics 2')"
    )
    connection.executemany(
        "INSERT INTO t (rowid, title, tags) VALUES (?, ?, ?)",
        [
            (number + 1, title, tags)
            for number, (title, tags) in enumerate(zip(TITLES, TAGS, strict=True))
        ],
    )
    connection.commit()
    yield connection
    connection.close()


def statistics_of(connection) -> TableStatistics:
    (record,) = connection.execute("SELECT block FROM t_data WHERE id = 1").fetchone()
    statistics = averages(bytes(record), 2)
    assert statistics is not None
    return statistics


def test_the_averages_record_gives_rows_and_tokens(fts):
    statistics = statistics_of(fts)
    tokens = sum(
        len(title.split()) + len(tags.split()) for title, tags in zip(TITLES, TAGS, strict=True)
    )
    assert statistics.rows == len(TITLES)
    assert statistics.average_size == pytest.approx(tokens / len(TITLES))


@pytest.mark.parametrize("record", [b"", b"\x81", b"\x08\x05", b"\x00\x01\x02"])
def test_an_unreadable_averages_record_is_none(record):
    assert averages(record, 2) is None


def test_large_varints_are_read():
    # 300 = 0b10_0101100 -> 0x82 0x2c; 2**21 = 0x81 0x80 0x80 0x00
    assert averages(bytes([0x82, 0x2C, 0x81, 0x80, 0x80, 0x00, 0x05]), 2) == TableStatistics(
        rows=300, average_size=(2**21 + 5) / 300
    )


def test_a_score_by_hand():
    statistics = TableStatistics(rows=10, average_size=4.0)
    phrase = Phrase(terms=("cocoa",), prefix=False, documents=2, weight=1)
    # "cocoa cocoa harvest" + 1 tag = 4 tokens: the average size, so the norm is k1.
    score = Scorer([phrase], (1.0, 0.0), statistics)(["cocoa cocoa harvest", "xtag"])
    expected_idf = math.log((10 - 2 + 0.5) / (2 + 0.5))
    assert score == pytest.approx(expected_idf * 2 * (K1 + 1) / (2 + K1))


def test_a_word_in_most_documents_still_weighs_a_little():
    assert idf(10, 9) == 1e-6
    assert idf(10, 50) == 1e-6  # a vocabulary that counts more documents than the table


QUERIES = [
    '"cocoa"',
    '"cocoa" AND "farms"',
    '("fishing" AND "vessels") OR "brick"',
    '"labor" AND ("cocoa" OR "fishing" OR "brick")',
    '"fishing vessels"',
    '"cocoa" OR "cocoa"',
    '"fish" *',
]


def phrases_of(connection, expression: str) -> list[Phrase]:
    """The phrases of ``expression`` with FTS5's own document counts (what its bm25 uses)."""
    parts: dict[tuple[tuple[str, ...], bool], int] = {}
    for raw in expression.replace("(", " ").replace(")", " ").split('"')[1::2]:
        terms = tuple(raw.split())
        prefix = expression.split(f'"{raw}"', 1)[1].lstrip().startswith("*")
        parts[(terms, prefix)] = parts.get((terms, prefix), 0) + 1
    phrases = []
    for (terms, prefix), weight in parts.items():
        text = f'"{" ".join(terms)}"' + (" *" if prefix else "")
        (documents,) = connection.execute(
            "SELECT count(*) FROM t WHERE t MATCH ?", [text]
        ).fetchone()
        phrases.append(Phrase(terms=terms, prefix=prefix, documents=documents, weight=weight))
    return phrases


@pytest.mark.parametrize("expression", QUERIES)
def test_python_scores_equal_fts5_bm25_given_the_same_document_counts(fts, expression):
    statistics = statistics_of(fts)
    phrases = phrases_of(fts, expression)
    rows = fts.execute(
        "SELECT rowid, -bm25(t, 1.0, 0.0), title, tags FROM t WHERE t MATCH ? ORDER BY rowid",
        [expression],
    ).fetchall()
    assert rows
    for _rowid, expected, title, tags in rows:
        assert Scorer(phrases, (1.0, 0.0), statistics)([title, tags]) == pytest.approx(expected)


@pytest.mark.django_db
def test_small_tiers_rank_as_fts5_does(monkeypatch):
    from django.db import connection

    from sdg87.library.tests.search_support import resource

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backend's small tiers")

    # Words only in titles: the vocabulary's document counts are the title table's own.
    titles = [
        "Cocoa farms in Ghana",
        "Cocoa, cocoa and more cocoa",
        "Child labour on cocoa farms in Cote d'Ivoire and Ghana",
        "Cocoa",
        "Cocoa harvest report",
        "Fishing vessels",
    ]
    for title in titles:
        resource(title)

    def ranked(query: str) -> list[str]:
        return [hit.title for hit in resource_search(query=query, language="en").hits]

    scored = []

    class CountingScorer(Scorer):
        def __call__(self, columns):
            scored.append(columns)
            return super().__call__(columns)

    monkeypatch.setattr(sqlite_backend, "Scorer", CountingScorer)
    queries = ("cocoa", "cocoa farms", "ghana cocoa")
    in_fts5_by_default = {query: ranked(query) for query in queries}
    assert scored == []  # posting lists this short: FTS5 ranks faster
    monkeypatch.setattr(sqlite_backend, "LONG_LISTS_PER_MATCH", 0)
    in_python = {query: ranked(query) for query in queries}
    assert len(scored) == 5 + 2 + 2  # every title tier was ranked in Python
    assert in_python == in_fts5_by_default
    monkeypatch.setattr(sqlite_backend, "SMALL_TIER", -1)  # every tier ranked by FTS5
    in_fts5 = {query: ranked(query) for query in in_python}
    assert len(scored) == 9
    assert in_python == in_fts5
    assert len(in_python["cocoa"]) == 5
