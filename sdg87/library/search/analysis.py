"""Text analysis for search: folding, tokenising, stop words and Snowball stemming (EN/FR/ES).

Pure functions, no ORM. The same analysis runs at index time (each document with its own
language) and at query time (each query word in every language a document may be in), on both
database backends, so SQLite and PostgreSQL see exactly the same terms.

Pipeline for a text in language ``L``: fold (lower case, accents and ligatures removed) →
split into words (letters and digits; one-letter words dropped) → drop ``L``'s stop words →
English only: British spellings mapped to American ones (``labour`` → ``labor``, as the ILAB
reports write it) → Snowball stemmer of ``L``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import snowballstemmer

LANGUAGES = ("en", "fr", "es")
SNOWBALL_NAMES = {"en": "english", "fr": "french", "es": "spanish"}
DEFAULT_LANGUAGE = "en"
MAX_WORD_LENGTH = 40

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"

# Letters and digits; underscores and every other symbol separate words.
WORD = re.compile(r"[^\W_]+")
LONG_ENOUGH_WORD = re.compile(r"[^\W_]{2,}")

_LIGATURES = {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_LIGATURE = re.compile("|".join(_LIGATURES))

# British → American spellings (word level, English only). The corpus (US Department of
# Labor) writes "labor" and "organization"; the UN thesaurus writes "labour".
_BRITISH_WORDS = {
    "labour": "labor",
    "labours": "labors",
    "laboured": "labored",
    "labourer": "laborer",
    "labourers": "laborers",
    "labouring": "laboring",
    "favour": "favor",
    "favourable": "favorable",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "harbour": "harbor",
    "neighbour": "neighbor",
    "neighbouring": "neighboring",
    "honour": "honor",
    "endeavour": "endeavor",
    "programme": "program",
    "programmes": "programs",
    "centre": "center",
    "centres": "centers",
    "defence": "defense",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "practise": "practice",
    "judgement": "judgment",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "analyse": "analyze",
    "analysed": "analyzed",
}
_BRITISH_ISE = re.compile(
    r"^(organ|recogn|criminal|decriminal|mobil|legal|author|real|util|sensit|penal|emphas|"
    r"special|final|minim|maxim|harmon|standard|institutional|character|categor|stabil|summar|"
    r"priorit|capital|local|margin|victim|formal|normal|central|decentral|general|"
    r"commercial|industrial|modern|digit|optim|civil|subsid|synthes|apolog|familiar|"
    r"internal|operational|mechan|computer|western|urban|critic|global|democrat)"
    r"is(e|es|ed|ing|ation|ations|er|ers)$"
)


# Every combining mark of the Basic Multilingual Plane (accents once decomposed).
_COMBINING = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    + "]+"
)


def fold(text: str) -> str:
    """Lower case without accents or ligatures: ``"Travail Forcé"`` → ``"travail force"``."""
    if text.isascii():
        return text.lower()
    lowered = _LIGATURE.sub(lambda match: _LIGATURES[match.group()], text.casefold())
    decomposed = unicodedata.normalize("NFKD", lowered)
    return _COMBINING.sub("", decomposed)


def words(text: str) -> list[str]:
    """The folded words of ``text`` (one-letter words and over-long tokens left out)."""
    found = LONG_ENOUGH_WORD.findall(fold(text))
    if found and max(map(len, found)) > MAX_WORD_LENGTH:
        return [word for word in found if len(word) <= MAX_WORD_LENGTH]
    return found


def normalise_language(language: str | None) -> str:
    """An analysis language for a document's ISO 639-1 code (others are analysed as English)."""
    code = (language or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The folded stop words of a language (``vocab/stopwords_<lang>.txt``, Snowball lists)."""
    path = VOCAB_DIR / f"stopwords_{language}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        fold(line.strip()) for line in lines if line.strip() and not line.startswith("#")
    )


@functools.cache
def _stemmer(language: str) -> snowballstemmer.BaseStemmer:
    # One stemmer per language and process; stemmers keep no state between calls.
    return snowballstemmer.stemmer(SNOWBALL_NAMES[language])


def americanise(word: str) -> str:
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    if word.endswith(("ise", "ises", "ised", "ising", "isation", "isations", "iser", "isers")):
        return _BRITISH_ISE.sub(r"\1iz\2", word)
    return word


def stem_words(folded_words: Iterable[str], language: str) -> list[str]:
    """Snowball stems of already folded words, without stop words."""
    stops = stop_words(language)
    kept = [word for word in folded_words if word not in stops]
    distinct = list(set(kept))
    spelled = [americanise(word) for word in distinct] if language == "en" else distinct
    stems = dict(zip(distinct, _stemmer(language).stemWords(spelled), strict=True))
    return [stems[word] for word in kept]


def stem_words_each(folded_words: list[str], language: str) -> list[str]:
    """One stem per folded word, stop words included (their stem is ``""``)."""
    stops = stop_words(language)
    spelled = [americanise(word) for word in folded_words] if language == "en" else folded_words
    stems = _stemmer(language).stemWords(spelled)
    return ["" if word in stops else stem for word, stem in zip(folded_words, stems, strict=True)]


def analyse(text: str, language: str) -> list[str]:
    """The index terms of ``text`` read as ``language``: folded, stop words out, stemmed."""
    return stem_words(words(text), normalise_language(language))


def stem_word(folded_word: str, language: str) -> str | None:
    """The stem of one folded word in ``language``, or None if it is a stop word there."""
    stems = stem_words([folded_word], language)
    return stems[0] if stems else None


def analysed_text(text: str, language: str) -> str:
    """``analyse`` joined with spaces: what the full-text index stores."""
    return " ".join(analyse(text, language))
