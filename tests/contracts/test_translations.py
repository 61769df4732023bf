"""Every UI string is translated into French and Spanish, and the translations are usable.

The catalogs (``sdg87/locale/<lang>/LC_MESSAGES/django.po``) are parsed here with the
standard library only: each entry must have a non-empty translation (every plural form),
must not be fuzzy, and must keep exactly the placeholders (``%(name)s``, ``%s``, ``%%``,
``{name}``), HTML tags and surrounding newlines of its msgid. The pages then have to show
the translations: the French and Spanish pages carry no English navigation labels.

After editing a catalog, run ``make messages`` (the pages read the compiled ``.mo`` files).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "sdg87" / "locale"
LANGUAGES = ("fr", "es")
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
}

# %(name)s, %s, %d, %5.1f, %% … (printf style, as Python's % operator reads it)
PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
# {name}, {0}, {}, {name!r:>10} (str.format style)
BRACE = re.compile(r"(?<!\{)\{(?:[A-Za-z_]\w*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f"}


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise AssertionError(f"{path}:{number}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header is the entry whose msgid is empty)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    current: tuple[str, int] | None = None  # the keyword (and plural index) strings extend
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, current = None, None
            continue
        if line.startswith("#~"):  # an obsolete entry: not used, not checked
            entry, current = None, None
            continue
        if line.startswith("#"):
            if entry is None or current is not None:
                entry, current = Entry(line=number), None
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if entry is None or current is None:
                raise AssertionError(f"{path}:{number}: a string outside an entry")
            value = _unquote(line, path, number)
            keyword, index = current
            if keyword == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, keyword, (getattr(entry, keyword) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
            entry = Entry(line=number)
            entries.append(entry)
        if entry is None:
            raise AssertionError(f"{path}:{number}: {keyword} outside an entry")
        value = _unquote(rest, path, number)
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural:
            current = ("msgstr", int(plural.group(1)))
            entry.msgstr[current[1]] = value
        elif keyword == "msgstr":
            current = ("msgstr", 0)
            entry.msgstr[0] = value
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            current = (keyword, 0)
            setattr(entry, keyword, value)
        else:
            raise AssertionError(f"{path}:{number}: unknown keyword {keyword!r}")
    return entries


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def catalog(language: str) -> tuple[dict[str, str], list[Entry]]:
    """The header fields and the messages of one language's catalog."""
    path = catalog_path(language)
    assert path.is_file(), f"{path} is missing: run `make makemessages`"
    entries = parse_po(path)
    headers = [entry for entry in entries if entry.msgid == "" and entry.msgctxt is None]
    assert len(headers) == 1, f"{path}: expected one header entry"
    header = headers[0]
    assert "fuzzy" not in header.flags, f"{path}: the header is marked fuzzy"
    fields = dict(
        line.split(":", 1) for line in header.msgstr.get(0, "").splitlines() if ":" in line
    )
    return (
        {name.strip(): value.strip() for name, value in fields.items()},
        [entry for entry in entries if entry is not header],
    )


def placeholders(text: str, *, printf: bool) -> Counter[str]:
    found = Counter(f"brace {match}" for match in BRACE.findall(text))
    found.update(f"tag {tag.lower()}" for tag in HTML_TAG.findall(text))
    if printf:
        found.update(f"printf {match}" for match in PRINTF.findall(text))
    return found


def _edges(text: str) -> tuple[bool, bool]:
    return text.startswith("\n"), text.endswith("\n")


def entry_problems(entry: Entry, nplurals: int) -> list[str]:
    problems = []
    if "fuzzy" in entry.flags:
        problems.append("is fuzzy")
    expected_forms = range(nplurals) if entry.msgid_plural is not None else range(1)
    if sorted(entry.msgstr) != list(expected_forms):
        problems.append(f"has msgstr forms {sorted(entry.msgstr)}, not {list(expected_forms)}")
    printf = "python-format" in entry.flags or "%(" in entry.msgid
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    wanted = [placeholders(source, printf=printf) for source in sources]
    for index, translation in sorted(entry.msgstr.items()):
        name = "msgstr" if entry.msgid_plural is None else f"msgstr[{index}]"
        if not translation.strip():
            problems.append(f"{name} is untranslated")
            continue
        got = placeholders(translation, printf=printf)
        # A plural form may render either source's wording: it has to keep the placeholders
        # of the msgid or of the msgid_plural (they are the same in practice).
        if got not in wanted:
            problems.append(
                f"{name} has placeholders {sorted(got.elements())}, "
                f"the msgid has {sorted(wanted[-1].elements())}"
            )
        if _edges(translation) != _edges(entry.msgid):
            problems.append(f"{name} does not start/end with a newline like the msgid")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header_names_the_language_and_its_plural_forms(language):
    headers, _ = catalog(language)

    assert headers.get("Language") == language
    assert headers.get("Content-Type") == "text/plain; charset=UTF-8"
    assert headers.get("Plural-Forms") == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language):
    headers, entries = catalog(language)
    nplurals = int(re.search(r"nplurals\s*=\s*(\d+)", headers["Plural-Forms"]).group(1))

    assert entries, f"{catalog_path(language)} has no messages"
    problems = [
        f"{entry.label} {problem}"
        for entry in entries
        for problem in entry_problems(entry, nplurals)
    ]
    assert not problems, f"{catalog_path(language)}:\n" + "\n".join(problems)


def test_all_catalogs_translate_the_same_messages():
    def keys(language: str) -> set[tuple[str | None, str, str | None]]:
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog(language)[1]}

    first, *others = LANGUAGES
    for language in others:
        assert keys(language) == keys(first), (
            f"the {first} and {language} catalogs differ: run `make makemessages`"
        )


def test_the_checker_catches_broken_entries(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        'msgid "Countries"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Home"\nmsgstr "Accueil"\n\n'
        '#, python-format\nmsgid "Page %(number)s of %(total)s"\n'
        'msgstr "Page %(numero)s sur %(total)s"\n\n'
        '#, python-format\nmsgid "%(counter)s instrument"\nmsgid_plural "%(counter)s instruments"\n'
        'msgstr[0] "%(counter)s instrument"\nmsgstr[1] ""\n\n'
        'msgid "Target {code}"\nmsgstr "Cible"\n\n'
        'msgid "Hello,\\n"\nmsgstr "Bonjour,"\n\n'
        'msgid "Sign in"\nmsgstr ""\n"Se "\n"connecter"\n',
        encoding="utf-8",
    )
    entries = {entry.msgid: entry for entry in parse_po(path)}

    assert entry_problems(entries["Countries"], 2) == ["msgstr is untranslated"]
    assert entry_problems(entries["Home"], 2) == ["is fuzzy"]
    assert "placeholders" in entry_problems(entries["Page %(number)s of %(total)s"], 2)[0]
    assert entry_problems(entries["%(counter)s instrument"], 2) == ["msgstr[1] is untranslated"]
    assert "placeholders" in entry_problems(entries["Target {code}"], 2)[0]
    assert "newline" in entry_problems(entries["Hello,\n"], 2)[0]
    assert entries["Sign in"].msgstr == {0: "Se connecter"}
    assert entry_problems(entries["Sign in"], 2) == []


# The site-wide navigation (skip link, main menu, language switcher, sign-in link) in each
# language, and the English labels that must not show on the French and Spanish pages.
NAVIGATION = {
    "fr": ["Aller au contenu", "Pays", "Cible 8.7", "Instruments", "Se connecter", "Langue"],
    "es": ["Ir al contenido", "Países", "Meta 8.7", "Instrumentos", "Iniciar sesión", "Idioma"],
}
ENGLISH_NAVIGATION = [
    "Skip to content",
    "Main",
    "Countries",
    "Target",
    "Sign in",
    "Language",
    "English",
    "French",
    "Spanish",
    "Explore",
    "Countries and territories",
    "Sustainable Development Goals",
    "International instruments",
]


def _navigation_text(html: str) -> str:
    """The visible text and the aria-label/title values of a page's header and menus."""
    parts = re.findall(r"(?s)<header\b.*?</header>|<a class=\"skip-link\".*?</a>", html)
    parts += re.findall(r'(?s)<section aria-labelledby="explore-heading">.*?</section>', html)
    chunk = "\n".join(parts)
    labels = re.findall(r'(?:aria-label|title)="([^"]*)"', chunk)
    return "\n".join([re.sub(r"<[^>]+>", " ", chunk), *labels])


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_show_the_navigation_in_their_language(client, language):
    html = client.get(f"/{language}/").content.decode()
    navigation = _navigation_text(html)
    english = _navigation_text(client.get("/en/").content.decode())

    assert "Countries" in english  # the English page does show the English labels
    hint = " (is the catalog compiled? run `make messages`)"
    for label in NAVIGATION[language]:
        assert label in navigation, f"/{language}/ does not show {label!r}{hint}"
    for label in ENGLISH_NAVIGATION:
        assert not re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", navigation), (
            f"/{language}/ shows the English label {label!r}{hint}"
        )
