"""Highlighted snippets: a short passage of a document around the words a query matched.

Pure. The same code serves both database backends, so snippets are identical on SQLite and
PostgreSQL, and they highlight cross-lingual matches too (the query's terms are index terms,
compared with each word of the document analysed in the document's language).

Output is HTML: the text is escaped, and the only markup is ``<mark>…</mark>``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from sdg87.library.search.analysis import fold, normalise_language, stem_words_each

SNIPPET_CHARS = 240
MAX_SCANNED_CHARS = 400_000
SCAN_STEPS = (6_000, 30_000, MAX_SCANNED_CHARS)  # scan further only if too little matched
# What a search reads of each hit's text at first (the first scan step, and room for the
# passage around a match near its end): the rest only for the hits that need it.
HEAD_CHARS = SCAN_STEPS[0] + 1_000
MAX_WINDOW_SPANS = 200
ELLIPSIS = "…"

_ACCENTED = {
    "a": "aàáâãäåāăą",
    "c": "cçćĉċč",
    "e": "eèéêëēĕėęě",
    "i": "iìíîïĩīĭįı",
    "n": "nñńņňŉ",
    "o": "oòóôõöøōŏőœ",
    "u": "uùúûüũūŭůűų",
    "y": "yýÿŷ",
    "s": "sśŝşšß",
    "z": "zźżž",
}


@cache
def _letter_class(letter: str) -> str:
    variants = _ACCENTED.get(letter)
    return f"[{variants}]" if variants else re.escape(letter)


def _candidate_pattern(prefixes: Iterable[str]) -> re.Pattern[str] | None:
    """Words that may stem to one of the terms: those starting like them, accents ignored."""
    return _compiled_candidates(frozenset(p for p in prefixes if p))


@lru_cache(maxsize=256)
def _compiled_candidates(prefixes: frozenset[str]) -> re.Pattern[str] | None:
    """The pattern of ``_candidate_pattern``, built once per set of prefixes (a search asks
    for it for every hit). The prefixes are grouped by their first letter, and a lookahead on
    the first letters lets the scan skip the other words' starts quickly: the same matches as
    one alternative per prefix, found faster."""
    if not prefixes:
        return None
    by_first: dict[str, set[str]] = {}
    for prefix in prefixes:
        rest = "".join(_letter_class(letter) for letter in prefix[1:])
        by_first.setdefault(_letter_class(prefix[0]), set()).add(rest)
    groups = "|".join(
        f"{first}(?:{'|'.join(sorted(rests))})" for first, rests in sorted(by_first.items())
    )
    starts = "".join(sorted({re.escape(v) for p in prefixes for v in _ACCENTED.get(p[0], p[0])}))
    return re.compile(rf"(?<!\w)(?=[{starts}])(?:{groups})\w*", re.IGNORECASE)


def _stem_prefix(term: str) -> str:
    # Snowball stems are prefixes of their word except for a few final letters (y→i, …).
    return term[: max(3, len(term) - 2)] if len(term) > 3 else term


def matched_spans(
    text: str,
    language: str,
    terms: frozenset[str],
    prefixes: tuple[str, ...] = (),
    limit: int = MAX_SCANNED_CHARS,
) -> list[tuple[int, int]]:
    """Where in ``text`` the words whose index term is in ``terms`` (or starts a prefix) are."""
    pattern = _candidate_pattern([_stem_prefix(term) for term in terms] + list(prefixes))
    if pattern is None or not text:
        return []
    candidates = [
        (match.start(), match.end(), match.group())
        for match in pattern.finditer(text, 0, min(limit, MAX_SCANNED_CHARS))
    ]
    folded = {word: fold(word) for _start, _end, word in candidates}
    distinct = sorted(set(folded.values()))
    stems = dict(
        zip(distinct, stem_words_each(distinct, normalise_language(language)), strict=True)
    )
    matched = {
        word
        for word, folded_word in folded.items()
        if stems[folded_word] in terms or any(folded_word.startswith(p) for p in prefixes)
    }
    return [(start, end) for start, end, word in candidates if word in matched]


def _window(spans: list[tuple[int, int]], text: str, width: int) -> tuple[int, int]:
    """The passage of about ``width`` characters holding the most distinct matched words
    (the first such passage): one pass of a sliding window over the spans, in order."""
    spans = spans[:MAX_WINDOW_SPANS]
    words = [text[start:end].casefold() for start, end in spans]
    in_window: Counter[str] = Counter()
    best_start, best_score, last = spans[0][0], -1, 0
    for index, (start, _end) in enumerate(spans):
        while last < len(spans) and spans[last][1] - start <= width:
            in_window[words[last]] += 1
            last += 1
        if len(in_window) > best_score:
            best_start, best_score = start, len(in_window)
        if last > index:  # the span leaves the window
            in_window[words[index]] -= 1
            if not in_window[words[index]]:
                del in_window[words[index]]
        else:
            last = index + 1
    start = max(0, best_start - width // 4)
    return start, min(len(text), start + width)


def _expand_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace() and end - start < SNIPPET_CHARS + 40:
        start -= 1
    while end < len(text) and not text[end].isspace() and end - start < SNIPPET_CHARS + 40:
        end += 1
    return start, end


def render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """``text[start:end]`` escaped, with the spans inside it in ``<mark>``."""
    out: list[str] = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        out.append(html.escape(text[position:span_start]))
        out.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        position = span_end
    out.append(html.escape(text[position:end]))
    if end < len(text):
        out.append(ELLIPSIS)
    return " ".join("".join(out).split())


def snippet(
    texts: Sequence[str],
    language: str,
    terms: frozenset[str],
    prefixes: tuple[str, ...] = (),
    width: int = SNIPPET_CHARS,
    concepts: int | None = None,
    *,
    cut: bool = False,
) -> str | None:
    """An HTML snippet from the first of ``texts`` with a match, else the start of the first text.

    ``texts`` are tried in order (abstract, then full text); whitespace is collapsed. The
    text is scanned further only while fewer than 3 distinct words matched — or fewer than
    ``concepts``, the number of things the query asks for (a query for one country cannot
    match 3 distinct words however far a long report is scanned).

    With ``cut``, the last of ``texts`` is only the start of the document's text (a search
    reads ``HEAD_CHARS`` of it for every hit): None when the scan would reach its end, so that
    the caller reads the whole text and asks again. The snippet is the same either way.
    """
    wanted = min(3, len(terms) + len(prefixes), concepts or 3)
    last = len(texts) - 1
    first: str | None = None
    for index, text in enumerate(texts):
        if not text or not text.strip():
            continue
        first = text if first is None else first
        for limit in SCAN_STEPS:
            if cut and index == last and limit >= len(text):
                return None  # the scan would reach the end of what was read
            spans = matched_spans(text, language, terms, prefixes, limit)
            if limit >= len(text) or len({text[a:b].casefold() for a, b in spans}) >= wanted:
                break
        if spans:
            start, end = _window(spans, text, width)
            start, end = _expand_to_words(text, start, end)
            return render(text, spans, start, end)
    if first is None:
        return ""
    text = " ".join(first[: width * 4].split())
    end = min(len(text), width)
    if end < len(text):
        end = text.rfind(" ", 0, end) if " " in text[:end] else end
    return render(text, [], 0, end)
