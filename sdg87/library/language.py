"""Which language a text is written in (ISO 639-1). Pure.

py3langid (a small naive-Bayes model over byte n-grams, deterministic) restricted to the
languages a Target 8.7 library meets; the platform cares about English, French and Spanish,
the others are kept so that a Portuguese or German text is not called Spanish or English.
"""

from __future__ import annotations

import functools
import re

# The platform's three languages first; the others so that a text in them is recognised as
# "other" rather than forced into one of the three.
CANDIDATE_LANGUAGES = (
    "en",
    "fr",
    "es",
    "pt",
    "de",
    "it",
    "nl",
    "ar",
    "ru",
    "zh",
    "sw",
    "id",
    "tr",
    "hi",
    "bn",
    "ur",
    "fa",
    "vi",
    "th",
    "ja",
    "ko",
    "pl",
    "uk",
    "ro",
)
SAMPLE_CHARS = 4000
UNKNOWN = "und"
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|https?://\S+|[#*_|>]+")


@functools.cache
def _identifier(languages: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages))
    return identifier


def clean_for_detection(text: str) -> str:
    """Drop markdown links' targets, bare addresses and markup characters."""
    return _MARKUP.sub(lambda match: match.group(1) or " ", text)


def detect_language(text: str, *, languages: tuple[str, ...] = CANDIDATE_LANGUAGES) -> str:
    """The most likely ISO 639-1 code of ``text``; ``"und"`` when there is nothing to judge."""
    sample = clean_for_detection(text[:SAMPLE_CHARS]).strip()
    if len(re.findall(r"\w+", sample)) == 0:
        return UNKNOWN
    code, _probability = _identifier(languages).classify(sample)
    return str(code)


def language_of_record(*, title: str, abstract: str, text: str) -> str:
    """Detect from the longest evidence available: body, then abstract, then title."""
    sample = " ".join(part for part in (title, abstract, text[:SAMPLE_CHARS]) if part)
    return detect_language(sample)


def split_languages(
    blocks: list[str], *, keep: str, other: str, min_chars: int = 40
) -> tuple[int, int]:
    """Where the ``keep``-language part of a two-language text begins and ends (block
    indexes, end exclusive): the single change point that best separates a ``keep`` run from
    the ``other`` run after it (leading ``other`` blocks, such as a title, are skipped)."""
    languages = (keep, other)
    weights: list[int] = []
    for block in blocks:
        cleaned = clean_for_detection(block).strip()
        if len(cleaned) < min_chars:
            weights.append(0)
            continue
        code, _probability = _identifier(languages).classify(cleaned)
        weights.append(len(cleaned) if code == keep else -len(cleaned))
    start = next((index for index, weight in enumerate(weights) if weight > 0), 0)
    best_end, best_score, running = len(blocks), None, 0
    total_after = sum(weights[start:])
    for end in range(start, len(blocks) + 1):
        # keep-language mass before the cut minus keep-language mass after it
        score = running - (total_after - running)
        if best_score is None or score > best_score:
            best_end, best_score = end, score
        if end < len(blocks):
            running += weights[end]
    return start, best_end
