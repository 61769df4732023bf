"""Is this organisation already registered under another language or spelling?

Pure functions (no ORM). A name is *folded* (accents, case and punctuation removed), split
into tokens with English/French/Spanish stop words and generic words ("foundation",
"fondation", "fundación") dropped and British/American spellings merged. Two organisations
are compared on:

- the same tokens ("Walk Free Foundation" = "Walk Free");
- a shared key in the alias table of major organisations ("ILO" = "Organización
  Internacional del Trabajo"; ``data/reference/organisation_aliases.csv``);
- acronyms, given or derived from the name's initials ("OIT" = "Organisation internationale
  du Travail");
- token similarity (difflib on the sorted tokens) for misspellings.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Articles, prepositions and conjunctions in English, French and Spanish.
STOP_WORDS = frozenset(
    {
        # English
        "a", "an", "and", "at", "for", "in", "of", "on", "the", "to",
        # French
        "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur",
        # Spanish
        "al", "con", "del", "e", "el", "las", "los", "para", "por", "y",
    }
)  # fmt: skip
# Words that say what legal form an organisation has, not which one it is.
GENERIC_WORDS = frozenset(
    {
        "foundation", "fondation", "fundacion", "fundacao",
        "inc", "incorporated", "ltd", "limited", "llc", "gmbh", "asbl", "aisbl",
    }
)  # fmt: skip
# British and American (and other) spellings of one word.
SPELLINGS = {
    "organisation": "organization",
    "organisations": "organizations",
    "labour": "labor",
    "programme": "program",
    "centre": "center",
    "defence": "defense",
}

LIKELY_DUPLICATE = 0.85
# Two words at least this close (difflib ratio) count as one word misspelt.
WORD_MATCH = 0.8
MIN_ACRONYM_LENGTH = 3
# A single word up to this long, in capitals or not, may be an acronym ("ILO", "unicef").
MAX_ACRONYM_LENGTH = 10

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, without accents, punctuation as spaces: "Organización" → "organizacion"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = bare.casefold().replace("&", " and ").replace("'", " ").replace("’", " ")
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def name_tokens(name: str) -> list[str]:
    """The words that tell organisations apart, in order."""
    words = [SPELLINGS.get(word, word) for word in fold(name).split()]
    return [word for word in words if word not in STOP_WORDS and word not in GENERIC_WORDS]


def name_key(name: str) -> str:
    """Equal for names that differ only in case, accents, punctuation, word order, stop words
    and generic words."""
    return " ".join(sorted(set(name_tokens(name))))


def clean_acronym(acronym: str) -> str:
    """ "I.L.O." → "ILO"."""
    return fold(acronym).replace(" ", "").upper()


def derived_acronym(name: str) -> str:
    """Initials of the name's words, skipping stop words: "Organisation internationale du
    Travail" → "OIT". Empty for names of fewer than three such words."""
    words = [word for word in fold(name).split() if word not in STOP_WORDS]
    if len(words) < MIN_ACRONYM_LENGTH:
        return ""
    return "".join(word[0] for word in words).upper()


def name_as_acronym(name: str) -> str:
    """A one-word name such as "UNICEF", "ilo" or "I.L.O." read as an acronym (else empty)."""
    words = fold(name).split()
    if len(words) > 1 and all(len(word) == 1 for word in words):
        words = ["".join(words)]  # "I.L.O." → "ilo"
    if len(words) != 1 or not words[0].isalpha():
        return ""
    folded = words[0]
    if MIN_ACRONYM_LENGTH <= len(folded) <= MAX_ACRONYM_LENGTH:
        return folded.upper()
    return ""


def similarity(first: str, second: str) -> float:
    """0–1 similarity of two names: their words are paired in any order (a word pairs with a
    misspelling of itself, "internacional" ~ "international"), and the pairs' closeness is
    shared over the words of both names, so a name that adds words is less similar."""
    left = sorted(set(name_tokens(first)))
    right = sorted(set(name_tokens(second)))
    if not left or not right:
        return 0.0
    pairs = sorted(
        (
            (difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), i, j)
            for i, a in enumerate(left)
            for j, b in enumerate(right)
        ),
        reverse=True,
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    total = 0.0
    for ratio, i, j in pairs:
        if ratio < WORD_MATCH or i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        total += ratio
    return 2 * total / (len(left) + len(right))


# --- the alias table ------------------------------------------------------------------


def alias_lookup_keys(name: str, form: str) -> list[str]:
    """How an alias is looked up: ``name:<key>`` for a name, ``acronym:<ACR>`` for one."""
    if form == "acronym":
        acronym = clean_acronym(name)
        return [f"acronym:{acronym}"] if acronym else []
    keys = [f"name:{name_key(name)}"] if name_key(name) else []
    single = name_as_acronym(name)
    if single:
        keys.append(f"acronym:{single}")
    return keys


def alias_index(aliases: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """``(organisation key, name, form)`` rows → lookup key → organisation key."""
    index: dict[str, str] = {}
    for organisation_key, name, form in aliases:
        for lookup in alias_lookup_keys(name, form):
            index.setdefault(lookup, organisation_key)
    return index


def known_as(name: str, acronym: str, index: Mapping[str, str]) -> frozenset[str]:
    """The alias-table organisations that ``name`` or ``acronym`` name."""
    lookups = alias_lookup_keys(name, "name")
    if acronym.strip():
        lookups += alias_lookup_keys(acronym, "acronym")
    return frozenset(index[lookup] for lookup in lookups if lookup in index)


# --- comparing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationName:
    """An organisation's names, as compared (``id`` is None for the one being registered)."""

    id: int | None
    name: str
    acronym: str = ""
    aliases: frozenset[str] = frozenset()

    @property
    def stated_acronyms(self) -> frozenset[str]:
        values = {clean_acronym(self.acronym), name_as_acronym(self.name)}
        return frozenset(value for value in values if len(value) >= MIN_ACRONYM_LENGTH)

    @property
    def derived_acronyms(self) -> frozenset[str]:
        derived = derived_acronym(self.name)
        return frozenset({derived}) if derived else frozenset()


@dataclass(frozen=True)
class NameMatch:
    id: int
    name: str
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def likely_duplicate(self) -> bool:
        return self.score >= LIKELY_DUPLICATE


def compare(candidate: OrganisationName, existing: OrganisationName) -> NameMatch:
    """How likely ``candidate`` is ``existing`` under another name, with the reasons."""
    assert existing.id is not None
    scores: list[float] = []
    reasons: list[str] = []
    if name_key(candidate.name) and name_key(candidate.name) == name_key(existing.name):
        scores.append(1.0)
        reasons.append(_("same name once case, accents, punctuation and common words are ignored"))
    shared_aliases = candidate.aliases & existing.aliases
    if shared_aliases:
        scores.append(0.95)
        reasons.append(
            _("both are names of the same organisation in the alias table (%(key)s)")
            % {"key": ", ".join(sorted(shared_aliases))}
        )
    similar = similarity(candidate.name, existing.name)
    stated = (
        candidate.stated_acronyms & (existing.stated_acronyms | existing.derived_acronyms)
    ) | (candidate.derived_acronyms & existing.stated_acronyms)
    if stated:
        scores.append(0.9)
        reasons.append(_("same acronym %(acronym)s") % {"acronym": ", ".join(sorted(stated))})
    elif candidate.derived_acronyms & existing.derived_acronyms and similar >= 0.5:
        # Same initials and related words: one name translated ("Organisation internationale
        # du Travail" / "Organización Internacional del Trabajo").
        scores.append(0.88)
        reasons.append(
            _("same initials %(acronym)s and related words")
            % {"acronym": ", ".join(sorted(candidate.derived_acronyms))}
        )
    if similar >= 0.6:
        scores.append(similar)
        reasons.append(_("names %(score).2f similar") % {"score": similar})
    return NameMatch(
        id=existing.id, name=existing.name, score=max(scores, default=0.0), reasons=reasons
    )


def likely_duplicates(
    candidate: OrganisationName, existing: Iterable[OrganisationName]
) -> list[NameMatch]:
    """The existing organisations ``candidate`` is likely to be, best first."""
    matches = [compare(candidate, other) for other in existing]
    return sorted(
        (match for match in matches if match.likely_duplicate),
        key=lambda match: (-match.score, match.name),
    )
