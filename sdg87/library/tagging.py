"""Auto-tagging at ingest: the countries, themes and SDG targets a text talks about, each with
the words that matched (in context) and a score. Pure: the vocabulary comes in as data.

- Countries: names in English, French and Spanish from the Country table plus common variants
  (inverted ISO forms turned round, "DRC", "Ivory Coast", "Burma"…), matched on whole words,
  capitalised as names are, longest name first, so "Niger" is not found in "Nigeria" nor
  "Guinea" in "Papua New Guinea" or "Guinea-Bissau"; phrases such as "Gulf of Guinea", "Niger
  Delta" or "Lake Chad" block a match; names that are also ordinary words or first names
  ("Chad", "Jordan", "Georgia", "Turkey"…) count half.
- Themes: UNBIS Thesaurus labels (EN/FR/ES) of the Target 8.7 concepts plus curated terms.
- Targets: Target 8.7 and its synergy targets, from explicit mentions ("SDG 8.7", "cible 8.7",
  "meta 16.2"), the Aurora target queries (Scopus syntax, translated) on the title and abstract,
  the seesus 8.7 patterns, and curated French and Spanish phrases.

Scores are ``1 - exp(-weight / 3)``: one clear mention ≈ 0.28, two ≈ 0.49, a title mention
alone ≈ 0.63.
"""

from __future__ import annotations

import bisect
import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sdg87.library.ingest import fold

COUNTRY = "country"
THEME = "theme"
TARGET = "target"

MAX_TEXT_CHARS = 120_000
ABSTRACT_WINDOW_CHARS = 2_500
SEESUS_WINDOW_CHARS = 3_000
MAX_EVIDENCE = 3
CONTEXT_CHARS = 60
MAX_COUNTRIES = 12

MIN_SCORE = {COUNTRY: 0.2, THEME: 0.35, TARGET: 0.35}
# In a short text (fewer words than this) one mention says more: it weighs SHORT_TEXT_WEIGHT.
SHORT_TEXT_WORDS = 500
SHORT_TEXT_WEIGHT = 1.5
TITLE_WEIGHT = 3.0

# Target 8.7 and the targets the Alliance 8.7 brochure names as its synergies.
TARGET_CODES = (
    "8.7",
    "1.1",
    "1.2",
    "4.1",
    "4.3",
    "4.4",
    "4.6",
    "5.2",
    "5.3",
    "8.5",
    "8.8",
    "10.7",
    "16.2",
    "16.3",
    "16.a",
)

# Aurora query lines left out: in texts about Target 8.7 they fire on every document and say
# nothing about the synergy target ("human trafficking" alone for 5.2, violence against women;
# naming the ILO for 8.8, labour rights). Compared without spaces.
AURORA_EXCLUDED_LINES = frozenset(
    {("5.2", '"humantrafficking"'), ("8.8", '("internationallabororganization")')}
)

# UNBIS concepts whose EN/FR/ES labels name a theme (identifiers of the thesaurus).
UNBIS_THEME_CONCEPTS = {
    "forced-labour": ("1002452", "1001523", "1003559"),
    "child-labour": ("1000935",),
    "human-trafficking": ("1006622",),
    "modern-slavery": ("1005924",),
    "forced-marriage": ("1002453", "1001806"),
    "child-soldiers": ("1000946",),
    "commercial-sexual-exploitation": ("1000941", "1000940", "1002455"),
}

# Curated terms, folded (lower case, no accents); "*" ends a word prefix.
THEME_TERMS: dict[str, tuple[str, ...]] = {
    "forced-labour": (
        "forced labo*",
        "compulsory labo*",
        "bonded labo*",
        "debt bondage",
        "labo* exploitation",
        "forced to work",
        "travail force",
        "travail obligatoire",
        "travaux forces",
        "servitude pour dettes",
        "travail servile",
        "exploitation par le travail",
        "trabajo forzoso",
        "trabajos forzosos",
        "trabajo forzado",
        "trabajo obligatorio",
        "servidumbre por deudas",
        "explotacion laboral",
    ),
    "child-labour": (
        "child labo*",
        "working children",
        "child workers",
        "children working",
        "travail des enfants",
        "travail d enfants",
        "travail infantile",
        "enfants travailleurs",
        "trabajo infantil",
        "trabajo de ninos",
        "trabajo de los ninos",
        "trabajo de menores",
        "ninos trabajadores",
    ),
    "human-trafficking": (
        "human traffick*",
        "trafficking in persons",
        "trafficking of persons",
        "trafficking in human beings",
        "trafficking of children",
        "trafficking in children",
        "trafficking of women",
        "trafficking in women",
        "child trafficking",
        "sex trafficking",
        "labo* trafficking",
        "victims of trafficking",
        "trafficking victims",
        "trafficked",
        "anti trafficking",
        "traite des personnes",
        "traite des etres humains",
        "traite d etres humains",
        "traite des enfants",
        "traite des femmes",
        "victimes de la traite",
        "victimes de traite",
        "lutte contre la traite",
        "trafic d etres humains",
        "trafic de personnes",
        "trata de personas",
        "trata de seres humanos",
        "trata de ninos",
        "trata de mujeres",
        "victimas de trata",
        "victimas de la trata",
        "trafico de personas",
    ),
    "modern-slavery": (
        "modern slavery",
        "slavery",
        "slave trade",
        "slaves",
        "enslave*",
        "servitude",
        "esclavage*",
        "esclaves",
        "esclavitud",
        "esclavos",
        "servidumbre",
    ),
    "forced-marriage": (
        "forced marriage*",
        "child marriage*",
        "early marriage*",
        "servile marriage*",
        "child brides",
        "mariage force",
        "mariages forces",
        "mariage precoce",
        "mariages precoces",
        "mariage d enfants",
        "mariages d enfants",
        "mariage des enfants",
        "matrimonio forzado",
        "matrimonios forzados",
        "matrimonio forzoso",
        "matrimonio infantil",
        "matrimonios infantiles",
        "matrimonio precoz",
        "matrimonios precoces",
    ),
    "child-soldiers": (
        "child soldier*",
        "children in armed conflict",
        "use of children in armed conflict",
        "recruitment of children",
        "children associated with armed forces",
        "enfants soldats",
        "enfant soldat",
        "enfants dans les conflits armes",
        "recrutement d enfants",
        "enfants associes aux forces armees",
        "ninos soldados",
        "nino soldado",
        "ninos en los conflictos armados",
        "reclutamiento de ninos",
        "reclutamiento de menores",
    ),
    "worst-forms-of-child-labour": (
        "worst forms of child labo*",
        "hazardous child labo*",
        "hazardous work",
        "pires formes de travail des enfants",
        "travaux dangereux",
        "peores formas de trabajo infantil",
        "trabajo peligroso",
        "trabajos peligrosos",
    ),
    "commercial-sexual-exploitation": (
        "commercial sexual exploitation",
        "sexual exploitation",
        "child prostitution",
        "forced prostitution",
        "child pornography",
        "exploitation sexuelle*",
        "prostitution des enfants",
        "prostitution enfantine",
        "prostitution forcee",
        "pornographie enfantine",
        "explotacion sexual",
        "prostitucion infantil",
        "prostitucion forzada",
        "pornografia infantil",
    ),
}

# French and Spanish phrases for the targets (the Aurora and seesus lists are English only).
TARGET_TERMS: dict[str, tuple[str, ...]] = {
    "8.7": (
        "travail force",
        "travail des enfants",
        "esclavage moderne",
        "traite des etres humains",
        "traite des personnes",
        "enfants soldats",
        "pires formes de travail des enfants",
        "trabajo forzoso",
        "trabajo infantil",
        "esclavitud moderna",
        "trata de personas",
        "ninos soldados",
        "peores formas de trabajo infantil",
    ),
    "5.3": (
        "mariage force",
        "mariage precoce",
        "mariages d enfants",
        "mariage d enfants",
        "mutilations genitales",
        "matrimonio infantil",
        "matrimonio forzado",
        "matrimonio precoz",
        "mutilacion genital",
    ),
    "16.2": (
        "traite des enfants",
        "exploitation sexuelle des enfants",
        "violence contre les enfants",
        "trata de ninos",
        "explotacion sexual infantil",
        "violencia contra los ninos",
    ),
    "4.1": (
        "enseignement primaire",
        "ecole primaire",
        "educacion primaria",
        "escuela primaria",
    ),
    "8.8": ("droits des travailleurs", "derechos laborales", "travailleurs migrants"),
    "10.7": ("politique migratoire", "politica migratoria", "migration sure"),
}

# Country names that are also ordinary words, rivers or first names: half weight.
AMBIGUOUS_NAMES = frozenset(
    {
        "chad",
        "jordan",
        "georgia",
        "turkey",
        "guinea",
        "niger",
        "dominica",
        "jersey",
        "guernsey",
        "congo",
        "maurice",
        "mauricio",
        "man",
        "china",
        "panama",
    }
)
# Phrases that contain a country name but do not name the country: they block a match.
BLOCKING_PHRASES = (
    "new guinea",
    "gulf of guinea",
    "guinea pig",
    "guinea pigs",
    "guinea worm",
    "guinea fowl",
    "nouvelle guinee",
    "golfe de guinee",
    "nueva guinea",
    "golfo de guinea",
    "niger delta",
    "niger river",
    "river niger",
    "niger state",
    "delta du niger",
    "fleuve niger",
    "delta del niger",
    "rio niger",
    "lake chad",
    "lac tchad",
    "lago chad",
    "congo basin",
    "congo river",
    "bassin du congo",
    "fleuve congo",
    "cuenca del congo",
    "rio congo",
    "jordan river",
    "river jordan",
    "new mexico",
    "new jersey",
    "new south wales",
    "state of georgia",
)
# Common variants by ISO3 (the Country table gives the EN/FR/ES ISO names).
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "USA": ("United States of America", "USA", "Etats-Unis d'Amerique", "EEUU", "EE. UU."),
    "GBR": ("UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "COD": (
        "Congo, Democratic Republic of the",
        "DRC",
        "DR Congo",
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "Congo-Kinshasa",
        "RDC",
        "RD Congo",
        "Republique democratique du Congo",
        "Republica Democratica del Congo",
    ),
    "COG": ("Republic of Congo", "Congo-Brazzaville", "Congo Brazzaville", "Republica del Congo"),
    "CIV": ("Ivory Coast", "Cote d'Ivoire", "Costa de Marfil"),
    "CZE": ("Czech Republic", "Republique tcheque", "Republica Checa"),
    "MKD": ("Macedonia", "Macedoine", "Macedonia del Norte"),
    "SWZ": ("Swaziland", "Swazilandia", "Eswatini"),
    "TUR": ("Turkey", "Turquia", "Turquie", "Turkiye"),
    "MMR": ("Burma", "Myanmar"),
    "KOR": ("Republic of Korea", "Korea, Republic of", "Coree du Sud", "Republica de Corea"),
    "PRK": ("DPRK", "Democratic People's Republic of Korea", "Coree du Nord"),
    "LAO": ("Lao PDR", "Lao People's Democratic Republic", "Lao"),
    "RUS": ("Russia", "Russie", "Rusia"),
    "SYR": ("Syrian Arab Republic", "Syrie", "Siria"),
    "IRN": ("Islamic Republic of Iran",),
    "TZA": ("United Republic of Tanzania", "Tanzanie"),
    "VNM": ("Viet Nam", "Vietnam"),
    "BOL": ("Plurinational State of Bolivia",),
    "VEN": ("Bolivarian Republic of Venezuela",),
    "CPV": ("Cape Verde", "Cap-Vert", "Cabo Verde"),
    "TLS": ("East Timor", "Timor-Leste", "Timor Oriental"),
    "PSE": ("Palestine", "State of Palestine", "West Bank", "Gaza Strip", "Palestina"),
    "MDA": ("Republic of Moldova", "Moldavia", "Moldavie"),
    "GMB": ("The Gambia", "Gambia"),
    "VAT": ("Vatican", "Holy See"),
    "FSM": ("Micronesia", "Federated States of Micronesia"),
    "BRN": ("Brunei Darussalam", "Brunei"),
    "ARE": ("UAE", "United Arab Emirates", "Emirats arabes unis", "Emiratos Arabes Unidos"),
    "MUS": ("Mauritius", "Ile Maurice", "Maurice", "Mauricio"),
    "NLD": ("The Netherlands", "Holland"),
    "KGZ": ("Kyrgyz Republic", "Kirghizistan", "Kirguistan"),
    "SVK": ("Slovak Republic",),
    "BHS": ("The Bahamas",),
    "STP": ("Sao Tome and Principe", "Sao Tome"),
    "KNA": ("Saint Kitts and Nevis", "St. Kitts and Nevis"),
    "LCA": ("St. Lucia", "Saint Lucia"),
    "VCT": ("St. Vincent and the Grenadines",),
    "FLK": ("Falkland Islands",),
    "SHN": ("Saint Helena",),
}
# Short codes that name a country only when written in capitals ("USA", not "usa").
_ACRONYM = re.compile(r"[A-Z]{2,5}")

_TOKEN = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"\s+")


class _Spans:
    """``spans[i]``: the character span of token ``i``."""

    def __init__(self, matches: list[re.Match[str]]) -> None:
        self._matches = matches

    def __getitem__(self, index: int) -> tuple[int, int]:
        return self._matches[index].span()


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A phrase as folded word patterns ("labo*" keeps its star)."""
    return tuple(re.findall(r"[\w*]+", fold(phrase).replace("'", " ")))


# --- documents as tokens ---------------------------------------------------------------------


@dataclass
class TokenisedText:
    """A text's words (folded), indexed for phrase lookups; character spans are read from the
    regex matches only when evidence is quoted."""

    text: str
    tokens: list[str]
    matches: list[re.Match[str]]
    positions: dict[str, list[int]]
    vocabulary: list[str]

    @classmethod
    def of(cls, text: str) -> TokenisedText:
        matches = list(_TOKEN.finditer(text))
        words = [match.group() for match in matches]
        folded = {word: word.lower() if word.isascii() else fold(word) for word in set(words)}
        tokens = [folded[word] for word in words]
        positions: dict[str, list[int]] = defaultdict(list)
        for index, token in enumerate(tokens):
            positions[token].append(index)
        return cls(text, tokens, matches, dict(positions), sorted(positions))

    @property
    def spans(self) -> _Spans:
        return _Spans(self.matches)

    def starts(self, pattern: str) -> list[int]:
        """Positions of tokens matching one word pattern (exact, or prefix with "*")."""
        if not pattern.endswith("*"):
            return self.positions.get(pattern, [])
        prefix = pattern[:-1]
        index = bisect.bisect_left(self.vocabulary, prefix)
        found: list[int] = []
        while index < len(self.vocabulary) and self.vocabulary[index].startswith(prefix):
            found.extend(self.positions[self.vocabulary[index]])
            index += 1
        return sorted(found)

    def token_matches(self, position: int, pattern: str) -> bool:
        if position >= len(self.tokens):
            return False
        token = self.tokens[position]
        return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern

    def find(self, phrase: Sequence[str]) -> list[tuple[int, int]]:
        """Token spans ``(start, end)`` where the phrase occurs."""
        if not phrase:
            return []
        found = []
        for start in self.starts(phrase[0]):
            if all(
                self.token_matches(start + offset, word)
                for offset, word in enumerate(phrase[1:], start=1)
            ):
                found.append((start, start + len(phrase)))
        return found

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        return self.spans[start][0], self.spans[end - 1][1]

    def context(self, start: int, end: int) -> str:
        """The matched words with some text either side, the match in «»."""
        first, last = self.char_span(start, end)
        before = self.text[max(0, first - CONTEXT_CHARS) : first]
        after = self.text[last : last + CONTEXT_CHARS]
        snippet = f"{before}«{self.text[first:last]}»{after}"
        snippet = _SENTENCE_BREAK.sub(" ", snippet).strip()
        return ("…" if first > CONTEXT_CHARS else "") + snippet + "…"


# --- the vocabulary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryNames:
    iso3: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class NamePattern:
    words: tuple[str, ...]
    iso3: str | None  # None: a blocking phrase
    ambiguous: bool
    acronym: bool


@dataclass(frozen=True)
class QueryNode:
    """A node of a translated Aurora (Scopus) query."""

    operator: str  # "phrase", "or", "and", "and_not", "within", "pre"
    phrase: tuple[str, ...] = ()
    children: tuple[QueryNode, ...] = ()
    distance: int = 0


@dataclass(frozen=True)
class TaggingVocabulary:
    country_patterns: tuple[NamePattern, ...]
    theme_terms: Mapping[str, tuple[tuple[str, ...], ...]]
    target_terms: Mapping[str, tuple[tuple[str, ...], ...]]
    target_queries: Mapping[str, tuple[QueryNode, ...]]
    target_patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    direct_target_pattern: re.Pattern[str] | None = None
    by_first_word: Mapping[str, tuple[NamePattern, ...]] = field(default_factory=dict)


def country_name_variants(name: str) -> set[str]:
    """A name and the forms it is written in: "Congo, The Democratic Republic of the" →
    also "The Democratic Republic of the Congo"; parentheses dropped."""
    variants = {name}
    without_brackets = re.sub(r"\s*\([^)]*\)", "", name).strip()
    variants.add(without_brackets)
    if "," in without_brackets:
        head, _comma, tail = without_brackets.partition(",")
        variants.add(f"{tail.strip()} {head.strip()}")
    return {variant for variant in variants if variant}


def country_patterns(countries: Iterable[CountryNames]) -> tuple[NamePattern, ...]:
    patterns: dict[tuple[str, ...], NamePattern] = {}
    for country in countries:
        names: set[str] = set()
        for name in (*country.names, *COUNTRY_VARIANTS.get(country.iso3, ())):
            names |= country_name_variants(name)
        for name in names:
            words = phrase_tokens(name)
            if words and words[0] in ("the", "la", "le", "les", "el", "los", "las", "l"):
                words = words[1:]
            if not words:
                continue
            acronym = bool(_ACRONYM.fullmatch(name.replace(".", "").replace(" ", "")))
            pattern = NamePattern(
                words=words,
                iso3=country.iso3,
                ambiguous=len(words) == 1 and words[0] in AMBIGUOUS_NAMES,
                acronym=acronym,
            )
            patterns.setdefault(words, pattern)
    for phrase in BLOCKING_PHRASES:
        words = phrase_tokens(phrase)
        patterns[words] = NamePattern(words=words, iso3=None, ambiguous=False, acronym=False)
    return tuple(patterns.values())


def build_vocabulary(
    *,
    countries: Iterable[CountryNames],
    unbis_labels: Mapping[str, Mapping[str, str]] | None = None,
    aurora_queries: Mapping[str, Sequence[str]] | None = None,
    seesus_patterns: Mapping[str, Sequence[str]] | None = None,
) -> TaggingVocabulary:
    """The vocabulary from its parts (each may be empty in tests)."""
    patterns = country_patterns(countries)
    by_first: dict[str, list[NamePattern]] = defaultdict(list)
    for pattern in patterns:
        by_first[pattern.words[0]].append(pattern)
    theme_terms: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for slug, terms in THEME_TERMS.items():
        theme_terms[slug] |= {phrase_tokens(term) for term in terms}
    for slug, concept_ids in UNBIS_THEME_CONCEPTS.items():
        for concept_id in concept_ids:
            for label in (unbis_labels or {}).get(concept_id, {}).values():
                theme_terms[slug].add(phrase_tokens(label))
    queries: dict[str, tuple[QueryNode, ...]] = {}
    for code, lines in (aurora_queries or {}).items():
        parsed = []
        for line in lines:
            if (code, re.sub(r"\s+", "", line)) in AURORA_EXCLUDED_LINES:
                continue
            node = parse_scopus_query(line)
            if node is not None:
                parsed.append(node)
        queries[code] = tuple(parsed)
    compiled = {
        code: tuple(re.compile(pattern, re.IGNORECASE) for pattern in regexes)
        for code, regexes in (seesus_patterns or {}).items()
    }
    return TaggingVocabulary(
        country_patterns=patterns,
        theme_terms={slug: tuple(sorted(terms)) for slug, terms in theme_terms.items()},
        target_terms={
            code: tuple(phrase_tokens(term) for term in terms)
            for code, terms in TARGET_TERMS.items()
        },
        target_queries=queries,
        target_patterns=compiled,
        direct_target_pattern=direct_target_regex(TARGET_CODES),
        by_first_word={word: tuple(items) for word, items in by_first.items()},
    )


def direct_target_regex(codes: Sequence[str]) -> re.Pattern[str]:
    """ "SDG 8.7", "target 16.2", "cible 8.7", "meta 5.3", "indicator 8.7.1", "ODD 8.7"…"""
    alternatives = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    return re.compile(
        r"\b(?:sdgs?|goals?|targets?|indicators?|odd|cibles?|objectifs?|indicateurs?|ods|"
        r"metas?|objetivos?|indicadores?)\W{0,3}(" + alternatives + r")(?![0-9a-z])",
        re.IGNORECASE,
    )


# --- reading the bundled vocabulary files --------------------------------------------------------


def read_unbis_labels(path: Path, concept_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    wanted = set(concept_ids)
    topics = json.loads(path.read_text(encoding="utf-8"))["topics"]
    return {
        topic["identifier"]: {
            language: topic["labels"][language]
            for language in ("en", "fr", "es")
            if topic["labels"].get(language)
        }
        for topic in topics
        if topic["identifier"] in wanted
    }


def read_aurora_queries(directory: Path, codes: Iterable[str]) -> dict[str, list[str]]:
    """The query lines of each target, from ``query_SDG<goal>.xml``."""
    wanted = set(codes)
    queries: dict[str, list[str]] = defaultdict(list)
    for goal in sorted({code.split(".")[0] for code in wanted}):
        path = directory / f"query_SDG{goal}.xml"
        if not path.exists():
            continue
        xml = path.read_text(encoding="utf-8-sig")
        for block in xml.split("<aqd:query-definition")[1:]:
            identifier = re.search(r"metadata\.un\.org/sdg/([0-9]+\.[0-9a-z]+)<", block)
            if not identifier or identifier.group(1) not in wanted:
                continue
            for line in re.findall(
                r"<aqd:query-line(?:\s[^>]*)?>(.*?)</aqd:query-line>", block, re.S
            ):
                queries[identifier.group(1)].append(re.sub(r"\s+", " ", line).strip())
    return dict(queries)


def read_seesus_patterns(path: Path, codes: Iterable[str]) -> dict[str, list[str]]:
    """seesus target patterns (``SDG8_7`` → "8.7") of the wanted targets; only the 8.7
    indirect patterns are used on text (the broad synergy patterns are too noisy and slow on
    long reports), the direct ones are covered by ``direct_target_regex``."""
    wanted = set(codes)
    patterns: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["SDG_id"].removeprefix("SDG").replace("_", ".")
            if code in wanted and row["match_type"] == "indirect":
                patterns[code].append(row["SDG_keywords_regex"])
    return dict(patterns)


# --- Scopus query translation -----------------------------------------------------------------

_QUERY_TOKEN = re.compile(r'"[^"]*"|\(|\)|\bW/\d+|\bPRE/\d+|\bAND NOT\b|\bAND\b|\bOR\b|[^\s()"]+')


def parse_scopus_query(query: str) -> QueryNode | None:
    """A Scopus TITLE-ABS-KEY query (quoted phrases, ``*``, OR, AND, AND NOT, W/n, PRE/n,
    parentheses) as a tree; ``None`` when it uses anything else."""
    tokens = _QUERY_TOKEN.findall(query)
    position = 0

    def parse_level(level: int) -> QueryNode | None:
        nonlocal position
        # precedence, lowest first: AND NOT, AND, W/n | PRE/n, OR
        if level == 4:
            return parse_atom()
        left = parse_level(level + 1)
        while left is not None and position < len(tokens):
            operator = tokens[position]
            if level == 0 and operator == "AND NOT":
                kind, distance = "and_not", 0
            elif level == 1 and operator == "AND":
                kind, distance = "and", 0
            elif level == 2 and re.fullmatch(r"(W|PRE)/\d+", operator):
                kind = "within" if operator.startswith("W") else "pre"
                distance = int(operator.split("/")[1])
            elif level == 3 and operator == "OR":
                kind, distance = "or", 0
            else:
                break
            position += 1
            right = parse_level(level + 1)
            if right is None:
                return None
            left = QueryNode(kind, children=(left, right), distance=distance)
        return left

    def parse_atom() -> QueryNode | None:
        nonlocal position
        if position >= len(tokens):
            return None
        item = tokens[position]
        position += 1
        if item == "(":
            inner = parse_level(0)
            if position >= len(tokens) or tokens[position] != ")":
                return None
            position += 1
            return inner
        if item.startswith('"'):
            words = phrase_tokens(item.strip('"'))
            return QueryNode("phrase", phrase=words) if words else None
        if item in (")", "AND", "OR", "AND NOT") or "/" in item:
            return None
        return QueryNode("phrase", phrase=phrase_tokens(item))

    try:
        node = parse_level(0)
    except RecursionError:
        return None
    if node is None or position != len(tokens):
        return None
    return node


def evaluate_query(node: QueryNode, document: TokenisedText) -> list[tuple[int, int]]:
    """Token spans that satisfy the query (empty: no match)."""
    if node.operator == "phrase":
        return document.find(node.phrase)
    left = evaluate_query(node.children[0], document)
    if node.operator == "and_not":
        return left if left and not evaluate_query(node.children[1], document) else []
    if node.operator == "or":
        return sorted(set(left) | set(evaluate_query(node.children[1], document)))
    if not left:
        return []
    right = evaluate_query(node.children[1], document)
    if node.operator == "and":
        return sorted(set(left) | set(right)) if right else []
    spans = []
    for first in left:
        for second in right:
            if node.operator == "within":
                gap = max(second[0] - first[1], first[0] - second[1])
            else:  # "pre": first before second
                gap = second[0] - first[1] if second[0] >= first[1] else node.distance + 1
            if gap <= node.distance:
                spans.append((min(first[0], second[0]), max(first[1], second[1])))
                if len(spans) > 50:
                    return spans
    return spans


# --- tagging ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kind: str
    value: str
    score: float
    evidence: str
    mentions: int


def score_of(weight: float) -> float:
    return round(1 - math.exp(-weight / 3), 3)


@dataclass
class _Tally:
    weight: float = 0.0
    mentions: int = 0
    contexts: list[str] = field(default_factory=list)

    def add(self, weight: float, context: str) -> None:
        self.weight += weight
        self.mentions += 1
        if len(self.contexts) < MAX_EVIDENCE and context not in self.contexts:
            self.contexts.append(context)


def suggest_tags(
    *,
    title: str,
    abstract: str = "",
    text: str = "",
    vocabulary: TaggingVocabulary,
    kinds: Iterable[str] = (COUNTRY, THEME, TARGET),
) -> list[Suggestion]:
    """The tags a resource's title, abstract and text suggest, best first within each kind."""
    wanted = set(kinds)
    title_doc = TokenisedText.of(title)
    body_doc = TokenisedText.of(f"{abstract}\n\n{text[:MAX_TEXT_CHARS]}")
    body = SHORT_TEXT_WEIGHT if len(body_doc.tokens) < SHORT_TEXT_WORDS else 1.0
    suggestions: list[Suggestion] = []
    if COUNTRY in wanted:
        suggestions += _countries(title_doc, body_doc, vocabulary, body)
    if THEME in wanted:
        suggestions += _phrases(THEME, vocabulary.theme_terms, title_doc, body_doc, body)
    if TARGET in wanted:
        suggestions += _targets(title, abstract, text, title_doc, body_doc, vocabulary, body)
    return suggestions


def _finish(kind: str, tallies: Mapping[str, _Tally], limit: int | None = None) -> list[Suggestion]:
    ranked = sorted(tallies.items(), key=lambda item: (-item[1].weight, item[0]))
    found = [
        Suggestion(kind, value, score_of(tally.weight), " … ".join(tally.contexts), tally.mentions)
        for value, tally in ranked
        if score_of(tally.weight) >= MIN_SCORE[kind]
    ]
    return found[:limit] if limit else found


def country_mentions(
    document: TokenisedText, vocabulary: TaggingVocabulary
) -> list[tuple[NamePattern, int, int]]:
    """Non-overlapping country-name matches, leftmost first, longest first at a position."""
    matches: list[tuple[NamePattern, int, int]] = []
    position = 0
    tokens = document.tokens
    while position < len(tokens):
        best: tuple[NamePattern, int] | None = None
        for pattern in vocabulary.by_first_word.get(tokens[position], ()):
            end = position + len(pattern.words)
            if tokens[position:end] != list(pattern.words):
                continue
            if best is None or len(pattern.words) > len(best[0].words):
                best = (pattern, end)
        if best is None:
            position += 1
            continue
        pattern, end = best
        if pattern.iso3 is not None and _written_as_name(document, position, pattern):
            matches.append((pattern, position, end))
        position = end
    return matches


def _written_as_name(document: TokenisedText, position: int, pattern: NamePattern) -> bool:
    first, last = document.spans[position]
    original = document.text[first:last]
    if pattern.acronym:
        return original.isupper()
    return original[:1].isupper()


def _countries(
    title_doc: TokenisedText,
    body_doc: TokenisedText,
    vocabulary: TaggingVocabulary,
    body_weight: float = 1.0,
) -> list[Suggestion]:
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for document, factor in ((title_doc, TITLE_WEIGHT), (body_doc, body_weight)):
        for pattern, start, end in country_mentions(document, vocabulary):
            weight = factor * (0.5 if pattern.ambiguous else 1.0)
            assert pattern.iso3 is not None
            tallies[pattern.iso3].add(weight, document.context(start, end))
    return _finish(COUNTRY, tallies, MAX_COUNTRIES)


def _phrases(
    kind: str,
    terms: Mapping[str, tuple[tuple[str, ...], ...]],
    title_doc: TokenisedText,
    body_doc: TokenisedText,
    body_weight: float = 1.0,
) -> list[Suggestion]:
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for value, phrases in terms.items():
        for document, factor in ((title_doc, TITLE_WEIGHT), (body_doc, body_weight)):
            seen: set[tuple[int, int]] = set()
            for phrase in phrases:
                for span in document.find(phrase):
                    if span in seen:
                        continue
                    seen.add(span)
                    tallies[value].add(factor, document.context(*span))
    return _finish(kind, tallies)


def _targets(
    title: str,
    abstract: str,
    text: str,
    title_doc: TokenisedText,
    body_doc: TokenisedText,
    vocabulary: TaggingVocabulary,
    body_weight: float = 1.0,
) -> list[Suggestion]:
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    # explicit mentions: "SDG 8.7", "meta 16.2" (strong evidence)
    if vocabulary.direct_target_pattern is not None:
        for source, factor in (
            (title, TITLE_WEIGHT),
            (f"{abstract}\n{text[:MAX_TEXT_CHARS]}", 2.0),
        ):
            for match in vocabulary.direct_target_pattern.finditer(source):
                code = match.group(1).lower()
                tallies[code].add(factor, _regex_context(source, match.start(), match.end()))
    # Aurora queries are written for titles and abstracts: apply them there
    window = abstract or text[:ABSTRACT_WINDOW_CHARS]
    window_doc = TokenisedText.of(f"{title}\n\n{window}")
    for code, queries in vocabulary.target_queries.items():
        for query in queries:
            for span in evaluate_query(query, window_doc)[:5]:
                tallies[code].add(1.0, window_doc.context(*span))
    # seesus patterns (8.7) on the first part of the text
    seesus_window = f"{title}\n{abstract}\n{text[:SEESUS_WINDOW_CHARS]}"
    for code, patterns in vocabulary.target_patterns.items():
        for pattern in patterns:
            for count, match in enumerate(pattern.finditer(seesus_window)):
                if count >= 5:
                    break
                tallies[code].add(1.0, _regex_context(seesus_window, match.start(), match.end()))
    # French and Spanish phrases
    for code, phrases in vocabulary.target_terms.items():
        for document, factor in ((title_doc, TITLE_WEIGHT), (body_doc, body_weight)):
            for phrase in phrases:
                for span in document.find(phrase)[:5]:
                    tallies[code].add(factor, document.context(*span))
    return _finish(TARGET, {code: tally for code, tally in tallies.items() if code in TARGET_CODES})


def _regex_context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    snippet = _SENTENCE_BREAK.sub(" ", f"{before}«{text[start:end]}»{after}").strip()
    return ("…" if start > CONTEXT_CHARS else "") + snippet + "…"
