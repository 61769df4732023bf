"""``sdg87 load-data`` for the library: the bundled corpus through the same ingestion service,
one source per collection; the Dutch half of the legal texts is cut; a second run changes
nothing."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.conf import settings

from sdg87.library import corpus
from sdg87.library.models import Resource
from sdg87.library.services import library_load_bundled
from sdg87.library.tests.resources_support import library_reference

__all__ = ["library_reference"]

ENGLISH = (
    "The General Conference of the International Labour Organisation, having been convened "
    "at Geneva, adopts this Convention concerning forced or compulsory labour."
)
DUTCH = (
    "De Algemene Conferentie van de Internationale Arbeidsorganisatie, bijeengeroepen te "
    "Genève, neemt dit verdrag aan betreffende de gedwongen of verplichte arbeid."
)


def test_the_english_part_drops_the_dutch_title_and_translation():
    text = "\n\n".join(
        [
            "##Verdrag betreffende de gedwongen of verplichte arbeid",
            f"####{ENGLISH}",
            "###Article 1",
            "Each Member which ratifies this Convention undertakes to suppress forced labour.",
            DUTCH,
            "###Artikel 1",
            "Ieder lid dat dit verdrag bekrachtigt, verbindt zich de gedwongen arbeid af te "
            "schaffen.",
        ]
    )
    english = corpus.english_part(text)
    assert english.startswith("####The General Conference")
    assert "undertakes to suppress forced labour" in english
    assert "Verdrag" not in english
    assert "gedwongen" not in english


def test_markdown_links_are_unwrapped():
    text = f"{ENGLISH} See the [Charter of the United Nations](../../verdrag/charter/README.md)."
    assert "Charter of the United Nations." in corpus.english_part(text)
    assert "README" not in corpus.english_part(text)


def test_a_corpus_line_maps_type_countries_publisher_and_extra():
    collection = next(c for c in corpus.COLLECTIONS if c.source == "ilab-findings")
    row = {
        "id": "ilab-findings-2021-KEN",
        "title": "2021 Findings on the Worst Forms of Child Labor:Kenya",
        "text": "Kenya made moderate advancement.",
        "references": "ILO. Report. 2020.",
        "year": 2021,
        "iso3": "KEN",
        "language": "en",
        "publisher": "U.S. Department of Labor",
        "source_commit": "abc",
    }
    record = corpus.corpus_record(row, collection=collection, known_countries=frozenset({"KEN"}))
    assert (record.type, record.countries, record.organisation) == (
        "research",
        ("KEN",),
        "U.S. Department of Labor",
    )
    assert record.extra["references"] == "ILO. Report. 2020."
    assert record.themes == ("child-labour", "worst-forms-of-child-labour")


def test_an_unknown_country_code_is_kept_in_extra():
    collection = next(c for c in corpus.COLLECTIONS if c.source == "factbook-tip")
    row = {"id": "x", "title": "Kosovo", "text": "t", "iso3": "XKX", "year": 2022}
    record = corpus.corpus_record(row, collection=collection, known_countries=frozenset())
    assert record.countries == ()
    assert record.extra["iso3"] == "XKX"


@pytest.mark.parametrize(
    ("country", "gec_code", "name"),
    [("world/xx.json", "xx", "World"), ("oceans/zh.json", "zh", "Zh"), ("Kenya", "ke", None)],
)
def test_a_place_named_by_its_source_file_gets_a_readable_title(country, gec_code, name):
    collection = next(c for c in corpus.COLLECTIONS if c.source == "factbook-tip")
    row = {
        "id": f"factbook-tip-2024-12-26-{gec_code}",
        "title": f"Trafficking in persons: {country} (CIA World Factbook, snapshot 2024-12-26)",
        "text": "Current situation: estimates.",
        "country": country,
        "iso3": country if name else "KEN",
        "gec_code": gec_code,
        "year": 2024,
    }
    record = corpus.corpus_record(row, collection=collection, known_countries=frozenset({"KEN"}))
    if name is None:
        assert record.title == row["title"]
        assert record.countries == ("KEN",)
        return
    assert record.title == (
        f"Trafficking in persons: {name} (CIA World Factbook, snapshot 2024-12-26)"
    )
    assert record.countries == ()
    assert "iso3" not in record.extra  # a file path is no country code


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """The first lines of each bundled corpus file."""
    source = Path(settings.DATA_DIR) / "corpus"
    target = tmp_path / "corpus"
    target.mkdir()
    for path in sorted(source.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines = list(itertools.islice(handle, 3))
        (target / path.name).write_text("".join(lines), encoding="utf-8")
    return tmp_path


@pytest.mark.usefixtures("library_reference")
def test_the_corpus_loads_once_per_collection_and_reloads_unchanged(small_corpus, settings):
    settings.LIBRARY_LOAD_CORPUS = True
    first = {report.name: report.created for report in library_load_bundled(small_corpus)}
    assert first == {
        "library: ilab-summaries": 3,
        "library: ilab-findings": 9,
        "library: factbook-tip": 3,
        "library: legal-instruments": 3,
    }
    second = library_load_bundled(small_corpus)
    assert all(report.created == report.updated == 0 for report in second)
    assert Resource.objects.count() == 18
    legal = Resource.objects.get(source="legal-instruments", source_record_id="legal-BWBV0006218")
    assert (legal.type, legal.status) == ("law_policy", "published")
    assert "gedwongen" not in legal.full_text
    assert legal.themes.filter(slug="forced-labour").exists()


@pytest.mark.usefixtures("library_reference")
def test_the_corpus_is_skipped_when_the_setting_is_off(small_corpus, settings):
    settings.LIBRARY_LOAD_CORPUS = False
    assert library_load_bundled(small_corpus) == []
