"""Which registered research looks like the research being registered, and why.

Pure (no ORM): the caller passes :class:`ResearchText` records. Texts are compared with
TF-IDF cosine similarity (words folded to lower case without accents; English, French and
Spanish stop words dropped; smoothed IDF over the compared texts), separately for the titles
and for title + summary + questions + methods. The score adds shared countries, shared themes
and overlapping periods:

    score = 0.6 × text + 0.2 × countries + 0.1 × themes + 0.1 × periods

where ``text`` is the better of the title and full-text similarities and ``countries`` and
``themes`` are the share (Jaccard) of codes in common.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

TEXT_WEIGHT = 0.6
COUNTRY_WEIGHT = 0.2
THEME_WEIGHT = 0.1
PERIOD_WEIGHT = 0.1
# Shown (and a reason asked for when saving anyway) from this score.
SIMILAR_FROM = 0.3
# A text similarity worth naming among the reasons.
TEXT_REASON_FROM = 0.2
MAX_MATCHES = 10

_STOP_WORDS_EN_FR_ES = """
    a about after all also an and are as at be been between by can do does for from has
    have how in into is it its more not of on or over such than that the their these this
    those through to was were what which who why will with within without
    au aux avec ce ces dans de des du elle en est et il ils la le les leur leurs mais ou par
    pas pour qu que qui quoi quel quelle quels quelles sa se ses son sont sur un une
    al como con cual cuales de del el ella en entre es esta este esto la las lo los para
    por que se sin sobre su sus un una y"""
STOP_WORDS = frozenset(_STOP_WORDS_EN_FR_ES.split())
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ResearchText:
    """What is compared of one research project (``id`` None: the one being registered)."""

    id: int | None
    title: str
    body: str = ""
    countries: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class ResearchMatch:
    id: int
    title: str
    score: float
    title_similarity: float
    text_similarity: float
    shared_countries: list[str] = field(default_factory=list)
    shared_themes: list[str] = field(default_factory=list)
    overlap: tuple[int, int] | None = None
    reasons: list[str] = field(default_factory=list)


def words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return [word for word in _WORD.findall(bare) if word not in STOP_WORDS and len(word) > 1]


def tfidf_vectors(documents: Sequence[list[str]]) -> list[dict[str, float]]:
    """One L2-normalised TF-IDF vector per document (IDF smoothed: ln((1+n)/(1+df)) + 1)."""
    count = len(documents)
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(set(document))
    vectors = []
    for document in documents:
        terms = Counter(document)
        vector = {
            term: times * (math.log((1 + count) / (1 + frequency[term])) + 1)
            for term, times in terms.items()
        }
        norm = math.sqrt(sum(value * value for value in vector.values()))
        vectors.append({term: value / norm for term, value in vector.items()} if norm else {})
    return vectors


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(value * second.get(term, 0.0) for term, value in first.items())


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def period_overlap(first: ResearchText, second: ResearchText) -> tuple[int, int] | None:
    """The years both periods cover (an open end counts as ongoing), or None."""
    if first.start is None or second.start is None:
        return None
    open_end = datetime.date.max
    start = max(first.start, second.start)
    end = min(first.end or open_end, second.end or open_end)
    if start > end:
        return None
    last = end if end != open_end else max(first.start, second.start)
    return (start.year, max(start.year, last.year))


def similar_research(
    candidate: ResearchText, registered: Iterable[ResearchText], *, limit: int = MAX_MATCHES
) -> list[ResearchMatch]:
    """The registered research most like ``candidate`` (score ≥ ``SIMILAR_FROM``), best first."""
    others = [other for other in registered if other.id is not None and other.id != candidate.id]
    if not others or not (candidate.title.strip() or candidate.body.strip()):
        return []
    titles = tfidf_vectors([words(item.title) for item in [candidate, *others]])
    texts = tfidf_vectors([words(f"{item.title} {item.body}") for item in [candidate, *others]])
    matches = []
    for position, other in enumerate(others, start=1):
        title_similarity = cosine(titles[0], titles[position])
        text_similarity = cosine(texts[0], texts[position])
        overlap = period_overlap(candidate, other)
        score = (
            TEXT_WEIGHT * max(title_similarity, text_similarity)
            + COUNTRY_WEIGHT * jaccard(candidate.countries, other.countries)
            + THEME_WEIGHT * jaccard(candidate.themes, other.themes)
            + PERIOD_WEIGHT * (1.0 if overlap else 0.0)
        )
        if score < SIMILAR_FROM:
            continue
        shared_countries = sorted(candidate.countries & other.countries)
        shared_themes = sorted(candidate.themes & other.themes)
        matches.append(
            ResearchMatch(
                id=other.id,  # type: ignore[arg-type]
                title=other.title,
                score=round(score, 2),
                title_similarity=round(title_similarity, 2),
                text_similarity=round(text_similarity, 2),
                shared_countries=shared_countries,
                shared_themes=shared_themes,
                overlap=overlap,
                reasons=_reasons(
                    shared_countries, shared_themes, overlap, title_similarity, text_similarity
                ),
            )
        )
    matches.sort(key=lambda match: (-match.score, match.id))
    return matches[:limit]


def _reasons(
    countries: list[str],
    themes: list[str],
    overlap: tuple[int, int] | None,
    title_similarity: float,
    text_similarity: float,
) -> list[str]:
    reasons = [_("same country %(code)s") % {"code": code} for code in countries]
    reasons += [_("same theme %(theme)s") % {"theme": theme} for theme in themes]
    if overlap is not None:
        years = str(overlap[0]) if overlap[0] == overlap[1] else f"{overlap[0]}–{overlap[1]}"
        reasons.append(_("periods overlap %(years)s") % {"years": years})
    if title_similarity >= TEXT_REASON_FROM:
        reasons.append(_("title %(score).2f similar") % {"score": title_similarity})
    if text_similarity >= TEXT_REASON_FROM:
        reasons.append(_("questions and methods %(score).2f similar") % {"score": text_similarity})
    return reasons
