#!/usr/bin/env python
"""Search benchmark: `make bench-search` (writes benchmarks/search.md).

One run measures, on the same documents and queries:

* SQLite FTS5 and PostgreSQL (a throwaway cluster from scripts/with-postgres.sh) through
  ``resource_search`` — the function the pages, the API and the CLI call — and tantivy
  (PyPI ``tantivy``, English stemming, title boost) as a reference engine;
* indexing throughput;
* latency (p50/p95/p99, server side, in process) of a top-10 search at ``--docs`` documents;
* relevance (nDCG@10, recall@10) on the judged queries of benchmarks/search_judgements.jsonl,
  over the 1,474 real documents of data/corpus (see ``build_judgements`` for the method).

The corpus is scaled from the bundled real texts to ``--docs`` documents (see ``synthetic``).

Usage: python scripts/bench_search.py [--docs 100000] [--repeat 3] [--out benchmarks/search.md]
Internal: --worker sqlite|postgresql|tantivy --result FILE (one engine, JSON result)
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
JUDGEMENTS = ROOT / "benchmarks" / "search_judgements.jsonl"
OUT = ROOT / "benchmarks" / "search.md"
SEED = 87
BATCH = 2000
SYNTHETIC_MAX_CHARS = 4000
FIRST_PAGE_RUNS = 20  # runs of the library's first page (the empty query with its facets)

# --- the corpus ----------------------------------------------------------------------------


def real_documents() -> list[dict[str, Any]]:
    """The bundled real documents (ILAB findings and summaries, Factbook, legal instruments)."""
    documents = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                documents.append(
                    {
                        "id": record["id"],
                        "title": record["title"],
                        "text": record.get("text", ""),
                        "year": record.get("year"),
                        "iso3": record.get("iso3") or "",
                        "doc_type": record.get("doc_type", ""),
                        "publisher": (record.get("publisher") or "")[:255],
                        "language": record.get("language") or "en",
                    }
                )
    return documents


def paragraphs(text: str) -> list[str]:
    """Blocks of about 300–900 characters, cut at line or sentence ends."""
    blocks, current = [], ""
    for piece in re.split(r"(?<=[.!?])\s+|\n+", text):
        current = f"{current} {piece}".strip()
        if len(current) >= 300:
            blocks.append(current[:900])
            current = ""
    if current:
        blocks.append(current)
    return blocks or [text[:900]]


def synthetic(real: list[dict[str, Any]], count: int) -> Iterator[dict[str, Any]]:
    """``count`` documents made from the real ones (deterministic, seed 87).

    Document ``i`` takes real document ``i mod 1474`` as its base: the base's title with
    "(extract N)" appended, its country, type and year; its text is 2–6 consecutive paragraphs
    of the base followed by 1–3 paragraphs of another real document of the same type, at
    most 4,000 characters. Term statistics therefore stay those of the real texts, while no
    two documents are identical.
    """
    rng = random.Random(SEED)
    by_type: dict[str, list[dict[str, Any]]] = {}
    split = {}
    for document in real:
        by_type.setdefault(document["doc_type"], []).append(document)
        split[document["id"]] = paragraphs(document["text"])
    for number in range(count):
        base = real[number % len(real)]
        other = rng.choice(by_type[base["doc_type"]])
        own, theirs = split[base["id"]], split[other["id"]]
        start = rng.randrange(max(1, len(own) - 1))
        body = own[start : start + rng.randint(2, 6)]
        other_start = rng.randrange(max(1, len(theirs) - 1))
        body += theirs[other_start : other_start + rng.randint(1, 3)]
        yield {
            **base,
            "id": f"synthetic-{number}",
            "title": f"{base['title']} (extract {number // len(real) + 1})",
            "text": " ".join(body)[:SYNTHETIC_MAX_CHARS],
        }


# --- judgements ----------------------------------------------------------------------------

TOPICS = {
    "child_labour": {
        "en": "child labour {en}",
        "fr": "travail des enfants {fr}",
        "es": "trabajo infantil {es}",
        "doc_types": {"country_report", "country_summary"},
    },
    "trafficking": {
        "en": "human trafficking {en}",
        "fr": "traite des êtres humains {fr}",
        "es": "trata de personas {es}",
        "doc_types": {"trafficking_profile"},
    },
}
COMMODITIES = {
    "cocoa": ("child labour cocoa", "travail des enfants cacao", "trabajo infantil cacao"),
    "cotton": ("forced labour cotton", "travail forcé coton", "trabajo forzoso algodón"),
    "bricks": ("bonded labour bricks", "travail en servitude briques", "ladrillos servidumbre"),
    "gold": ("child labour gold mining", "enfants orpaillage", "niños minería de oro"),
    "coffee": ("child labour coffee", "travail des enfants café", "trabajo infantil café"),
    "fishing": ("forced labour fishing", "travail forcé pêche", "trabajo forzoso pesca"),
}
INSTRUMENTS = {
    "legal-BWBV0006218": (
        "forced labour convention",
        "convention sur le travail forcé",
        "convenio sobre el trabajo forzoso",
    ),
    "legal-BWBV0001522": (
        "worst forms of child labour convention",
        "convention sur les pires formes de travail des enfants",
        "convenio sobre las peores formas de trabajo infantil",
    ),
    "legal-BWBV0003701": (
        "minimum age convention",
        "convention sur l'âge minimum",
        "convenio sobre la edad mínima",
    ),
    "legal-BWBV0001749": (
        "protocol trafficking in persons women children",
        "protocole traite des personnes femmes enfants",
        "protocolo trata de personas mujeres niños",
    ),
}
COUNTRIES = ["GHA", "CIV", "NPL", "BRA", "IND", "PAK", "PER", "UZB", "KHM", "NGA", "MEX", "PHL"]


def build_judgements(real: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Queries in EN, FR and ES with graded relevance from the documents' metadata.

    * country + topic ("child labour Ghana", "traite des êtres humains Népal" …): grade 2 for
      the country's documents on the topic (ILAB reports and summaries for child labour,
      Factbook profiles for trafficking), grade 1 for the country's other documents;
    * commodity + topic ("travail des enfants cacao" …): grade 2 for ILAB documents whose text
      names the commodity at least 3 times (English word), grade 1 for 1–2 times;
    * named legal instruments: grade 2 for the instrument itself.
    Every query's relevant documents are English: a FR or ES query finds them only through
    cross-lingual retrieval.
    """
    names = {}
    with (ROOT / "data" / "reference" / "countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["iso3"]] = {"en": row["name_en"], "fr": row["name_fr"], "es": row["name_es"]}
    queries = []
    for iso3 in COUNTRIES:
        for spec in TOPICS.values():
            grades = {}
            for document in real:
                if document["iso3"] == iso3:
                    grades[document["id"]] = 2 if document["doc_type"] in spec["doc_types"] else 1
            if not any(grade == 2 for grade in grades.values()):
                continue
            for language in ("en", "fr", "es"):
                text = spec[language].format(**names[iso3])
                queries.append(
                    {
                        "query": text,
                        "lang": language,
                        "kind": "country+topic",
                        "relevant": grades,
                    }
                )
    words = {"cocoa": "cocoa", "cotton": "cotton", "bricks": "brick", "gold": "gold"}
    words |= {"coffee": "coffee", "fishing": "fish"}
    for commodity, texts in COMMODITIES.items():
        pattern = re.compile(rf"\b{words[commodity]}", re.IGNORECASE)
        grades = {}
        for document in real:
            if document["doc_type"] not in ("country_report", "country_summary"):
                continue
            mentions = len(pattern.findall(document["text"]))
            if mentions:
                grades[document["id"]] = 2 if mentions >= 3 else 1
        for language, text in zip(("en", "fr", "es"), texts, strict=True):
            queries.append(
                {"query": text, "lang": language, "kind": "commodity", "relevant": grades}
            )
    for document_id, texts in INSTRUMENTS.items():
        for language, text in zip(("en", "fr", "es"), texts, strict=True):
            queries.append(
                {
                    "query": text,
                    "lang": language,
                    "kind": "instrument",
                    "relevant": {document_id: 2},
                }
            )
    return queries


def load_judgements() -> list[dict[str, Any]]:
    with JUDGEMENTS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    gains = [2 ** relevant.get(doc, 0) - 1 for doc in ranked[:10]]
    dcg = sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))
    ideal = sorted((2**grade - 1 for grade in relevant.values()), reverse=True)[:10]
    idcg = sum(gain / math.log2(position + 2) for position, gain in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    wanted = {doc for doc, grade in relevant.items() if grade == 2}
    return len(wanted & set(ranked[:10])) / len(wanted) if wanted else 0.0


def relevance(ranker: Any, judgements: list[dict[str, Any]]) -> dict[str, Any]:
    per_language: dict[str, list[tuple[float, float]]] = {"en": [], "fr": [], "es": []}
    for item in judgements:
        ranked = ranker(item["query"], item["lang"])
        per_language[item["lang"]].append(
            (ndcg_at_10(ranked, item["relevant"]), recall_at_10(ranked, item["relevant"]))
        )
    summary: dict[str, Any] = {}
    for language, values in per_language.items():
        summary[language] = {
            "ndcg": statistics.mean(v[0] for v in values),
            "recall": statistics.mean(v[1] for v in values),
            "queries": len(values),
        }
    everything = [value for values in per_language.values() for value in values]
    summary["all"] = {
        "ndcg": statistics.mean(v[0] for v in everything),
        "recall": statistics.mean(v[1] for v in everything),
        "queries": len(everything),
    }
    return summary


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    return {
        "p50": at(0.50) * 1000,
        "p95": at(0.95) * 1000,
        "p99": at(0.99) * 1000,
        "mean": statistics.mean(ordered) * 1000,
        "n": len(ordered),
    }


# --- workers -------------------------------------------------------------------------------


def django_worker(
    vendor: str, documents: int, repeat: int, *, maintenance: bool = True
) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from sdg87.countries.models import Country
    from sdg87.countries.services import countries_load_bundled
    from sdg87.library import search
    from sdg87.library.models import Resource
    from sdg87.library.search.backends.base import Filters, TermVocabulary
    from sdg87.library.search.query import parse_query, plan_query

    assert connection.vendor == vendor, connection.vendor
    call_command("migrate", verbosity=0, interactive=False)
    countries_load_bundled(Path(settings.DATA_DIR))
    country_ids = dict(Country.objects.values_list("iso3", "id"))
    through = Resource.countries.through
    types = {"legal_instrument": "law_policy"}

    def insert(batch: list[dict[str, Any]]) -> list[int]:
        rows = [
            Resource(
                title=d["title"],
                full_text=d["text"],
                language=d["language"],
                year=d["year"],
                type=types.get(d["doc_type"], "research"),
                status="published",
                organisation=d["publisher"],
                source="bench",
                source_record_id=d["id"],
            )
            for d in batch
        ]
        Resource.objects.bulk_create(rows, batch_size=500)
        through.objects.bulk_create(
            [
                through(resource_id=row.pk, country_id=country_ids[d["iso3"]])
                for row, d in zip(rows, batch, strict=True)
                if d["iso3"] in country_ids
            ],
            batch_size=1000,
        )
        return [row.pk for row in rows]

    result: dict[str, Any] = {"engine": vendor}
    real = real_documents()
    judgements = load_judgements()
    started = time.perf_counter()
    ids = insert(real)
    index_started = time.perf_counter()
    search.index_resources(ids)
    index_seconds = time.perf_counter() - index_started
    result["real_index"] = {"documents": len(ids), "seconds": index_seconds}
    record_ids = dict(Resource.objects.values_list("pk", "source_record_id"))
    search.expansion_table()

    def rank(query: str, language: str) -> list[str]:
        found = search.resource_search(
            query=query, language=language, page_size=10, with_facets=False
        )
        return [record_ids[hit.id] for hit in found.hits]

    result["relevance"] = relevance(rank, judgements)

    # Scale up, indexing batch by batch as an import would.
    remaining = max(0, documents - len(real))
    index_seconds, characters, batch = 0.0, 0, []
    for document in synthetic(real, remaining):
        batch.append(document)
        characters += len(document["text"]) + len(document["title"])
        if len(batch) == BATCH:
            new_ids = insert(batch)
            tick = time.perf_counter()
            search.index_resources(new_ids)
            index_seconds += time.perf_counter() - tick
            batch = []
            print(f"{vendor}: {Resource.objects.count()} documents", file=sys.stderr, flush=True)
    if batch:
        new_ids = insert(batch)
        tick = time.perf_counter()
        search.index_resources(new_ids)
        index_seconds += time.perf_counter() - tick
    tick = time.perf_counter()
    search.search_index_optimize()
    optimize_seconds = time.perf_counter() - tick
    tick = time.perf_counter()
    if maintenance:
        settle(vendor)
    result["maintenance"] = {"done": maintenance, "seconds": time.perf_counter() - tick}
    result["scale_index"] = {
        "documents": remaining,
        "seconds": index_seconds,
        "megabytes": characters / 1e6,
        "optimize_seconds": optimize_seconds,
        "total_seconds": time.perf_counter() - started,
    }
    result["documents"] = Resource.objects.count()
    result["index_tables"] = index_sizes(vendor)

    # Latency: every judged query, after one warm-up pass.
    queries = [(item["query"], item["lang"]) for item in judgements]
    backend = search._backend()
    table = search.expansion_table()
    full, ranking, facets = [], [], []
    for query, language in queries:
        search.resource_search(query=query, language=language, page_size=10, with_facets=False)
    result["autovacuum_seen"] = 0
    for _ in range(repeat):
        result["autovacuum_seen"] += autovacuum_workers(vendor)
        for query, language in queries:
            tick = time.perf_counter()
            search.resource_search(query=query, language=language, page_size=10, with_facets=False)
            full.append(time.perf_counter() - tick)
            tick = time.perf_counter()
            plan = plan_query(
                parse_query(query),
                language=language,
                table=table,
                vocabulary=TermVocabulary(connection),
            )
            with backend.session():
                backend.search(plan, Filters(), sort="relevance", offset=0, limit=10)
            ranking.append(time.perf_counter() - tick)
    for query, language in queries:
        tick = time.perf_counter()
        search.resource_search(query=query, language=language, page_size=10, with_facets=True)
        facets.append(time.perf_counter() - tick)
    # The library's first page: the empty query (every published resource, newest first) with
    # its facets, as the search page and the API show it before any query is typed.
    first_page = []
    for _ in range(FIRST_PAGE_RUNS):
        tick = time.perf_counter()
        search.resource_search(query="", page_size=10)
        first_page.append(time.perf_counter() - tick)
    result["latency"] = {
        "search": percentiles(full),
        "ranking": percentiles(ranking),
        "search_with_facets": percentiles(facets),
        "first_page": percentiles(first_page),
    }
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            result["server"] = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        result["server"] = f"SQLite {sqlite3.sqlite_version}"
    return result


def settle(vendor: str) -> None:
    """The maintenance after a bulk load, before measuring (``--no-maintenance`` skips it).

    PostgreSQL: ``VACUUM ANALYZE`` of the whole database, then ``CHECKPOINT``. Without it,
    autovacuum starts on the freshly loaded resource tables (hundreds of megabytes of text)
    during the measured rounds and shares the machine's cores with the searches; the search
    tables themselves were already vacuumed by ``search_index_optimize``. SQLite: a WAL
    checkpoint (it has no background work).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def autovacuum_workers(vendor: str) -> int:
    """How many autovacuum workers are running now (PostgreSQL; 0 on SQLite)."""
    from django.db import connection

    if vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
        )
        return int(cursor.fetchone()[0])


FTS5_TABLES = ("library_search_title", "library_search_head", "library_search")
FTS5_SHADOWS = ("config", "content", "data", "docsize", "idx")


def index_sizes(vendor: str) -> dict[str, int]:
    """Bytes of each search table, its indexes included (PostgreSQL: TOAST too; SQLite: an FTS5
    table's shadow tables counted as the table)."""
    from django.db import connection

    sizes: dict[str, int] = {}
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = current_schema() "
                "AND starts_with(c.relname, 'library_search') ORDER BY c.relname"
            )
            return {name: int(size) for name, size in cursor.fetchall()}
        cursor.execute(
            "SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d "
            "LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1"
        )
        for name, size in cursor.fetchall():
            if not name.startswith("library_search"):
                continue
            owner = next(
                (
                    table
                    for table in FTS5_TABLES
                    if any(name == f"{table}_{shadow}" for shadow in FTS5_SHADOWS)
                ),
                name,
            )
            sizes[owner] = sizes.get(owner, 0) + int(size)
    return dict(sorted(sizes.items()))


def tantivy_worker(documents: int, repeat: int) -> dict[str, Any]:
    import tantivy

    def build(docs: list[dict[str, Any]] | Iterator[dict[str, Any]], path: str) -> Any:
        schema_builder = tantivy.SchemaBuilder()
        schema_builder.add_text_field("title", stored=False, tokenizer_name="en_stem")
        schema_builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
        schema_builder.add_text_field("record", stored=True, tokenizer_name="raw")
        index = tantivy.Index(schema_builder.build(), path=path)
        writer = index.writer(heap_size=256_000_000, num_threads=1)
        count = 0
        for document in docs:
            writer.add_document(
                tantivy.Document(
                    title=document["title"], body=document["text"], record=document["id"]
                )
            )
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        return index, count

    def searcher_for(index: Any) -> Any:
        searcher = index.searcher()

        def run(query: str, language: str, limit: int = 10) -> list[str]:
            text = re.sub(r"[^\w\s]", " ", query)
            parsed = index.parse_query(text, ["title", "body"], field_boosts={"title": 10.0})
            hits = searcher.search(parsed, limit, count=True).hits
            return [searcher.doc(address)["record"][0] for _score, address in hits]

        return run

    result: dict[str, Any] = {"engine": "tantivy", "server": f"tantivy {tantivy.__version__}"}
    real = real_documents()
    judgements = load_judgements()
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as big_dir:
        tick = time.perf_counter()
        small, count = build(real, small_dir)
        result["real_index"] = {"documents": count, "seconds": time.perf_counter() - tick}
        result["relevance"] = relevance(searcher_for(small), judgements)
        remaining = max(0, documents - len(real))
        characters = sum(len(d["text"]) + len(d["title"]) for d in synthetic(real, remaining))
        tick = time.perf_counter()
        big, count = build(
            (d for source in (real, synthetic(real, remaining)) for d in source), big_dir
        )
        result["scale_index"] = {
            "documents": count,
            "seconds": time.perf_counter() - tick,
            "megabytes": characters / 1e6,
            "optimize_seconds": 0.0,
        }
        result["documents"] = count
        run = searcher_for(big)
        queries = [(item["query"], item["lang"]) for item in judgements]
        for query, language in queries:
            run(query, language)
        samples = []
        for _ in range(repeat):
            for query, language in queries:
                tick = time.perf_counter()
                run(query, language)
                samples.append(time.perf_counter() - tick)
        result["latency"] = {"search": percentiles(samples), "ranking": percentiles(samples)}
    return result


# --- orchestration -------------------------------------------------------------------------


def run_worker(
    engine: str, documents: int, repeat: int, *, maintenance: bool = True
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        result_file = Path(scratch) / "result.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            engine,
            "--docs",
            str(documents),
            "--repeat",
            str(repeat),
            "--result",
            str(result_file),
            *([] if maintenance else ["--no-maintenance"]),
        ]
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base")
        if engine == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        if engine == "postgresql":
            command = ["bash", str(ROOT / "scripts" / "with-postgres.sh"), *command]
        print(f"bench-search: {engine} …", file=sys.stderr, flush=True)
        subprocess.run(command, check=True, cwd=ROOT, env=env)
        return json.loads(result_file.read_text())


NOTES = """## What shapes these figures

* Both databases rank in three tiers: documents whose title matches the whole query, then
  those whose *head* (title, abstract and the first 50 terms of the body) matches it, then
  the others. Each tier is ranked on its own (FTS5: bm25 on the title table, the head table,
  the whole documents; PostgreSQL: ts_rank_cd on `rank_vector`, ts_rank on `head_vector` for the
  head tier, the tiers being found with the GIN indexes of `title_vector`, `head_vector`
  and `vector`), and a page that fills up
  within a tier never ranks the later tiers: they are only counted (an exact count, without
  ranking). The tiers partition the matches, so counts and pages stay exact and consistent.
* On SQLite, a title or head tier with at most 400 matches is ranked in Python with FTS5's
  bm25 formula (`sdg87/library/search/scoring.py`), the document frequencies coming from the
  index vocabulary: FTS5's own `bm25()` first reads the whole posting list of every phrase of
  the query to count its documents, which costs milliseconds for words found in most
  documents ("worst forms of child labour convention") however few rows match.
* PostgreSQL plans a search's queries without sequential scans (`SET LOCAL
  enable_seqscan = off`): for broad queries the planner would otherwise scan the table and
  decompress every row's `vector` to test it, where the GIN bitmap needs no such recheck.
* Words found in more than half of the documents are left out of the query when a rarer word
  remains (as Lucene's CommonTermsQuery does): they narrow nothing, and BM25 gives them no
  weight. The judged queries "child labour <country>" therefore search for the country.
* The remaining slow queries (the p95 and p99) are broad ones whose first tier is itself
  large, such as "forced labour fishing" (about 13,000 matches at 100,000 documents, many of
  them in the head tier): FTS5's bm25 and PostgreSQL's ts_rank_cd score every match of the
  tier, and neither database can stop early the way tantivy's block-max WAND does.
* PostgreSQL counts the user's own words twice (a second rank) when cross-lingual
  expansions are in play.
* PostgreSQL's exact count visits each match's row. It reads `library_search_match`, a
  narrow copy of the index (id, status, year, and the vector stored out of line, so its rows
  fill far fewer pages than those of `library_search_document`, which keep the head and title
  vectors, tags and facets inline), unless the search filters on tags. A tier's query
  returns its page only (top-N sort, no window count over the tier's rows).
* PostgreSQL's title tier reads `library_search_titles`, whose rows hold the rank vector
  inline (it used to be stored out of line in `library_search_document`, one TOAST fetch per
  ranked match); the head tier ranks with `ts_rank`, which does less work per match than
  `ts_rank_cd`.
* SQLite matches and counts with each phrase of the query once (the ranking expression writes
  an original phrase twice, for bm25's weights).
* *with facets* counts the 8 facets over facet keys stored with the index, not with joins on
  the resource tables. SQLite: each match's row of packed key numbers
  (`library_search_facets`), read with the FTS5 matches in one query and counted in Python
  (a `GROUP BY` over one row per match and key made SQLite sort them all); PostgreSQL: the
  key numbers in `library_search_match` (`facet_ids`), grouped in the same scan of narrow
  rows as the match (docs/decisions/0004-facet-key-numbers.md). The same scan counts the
  matches: a page that fills up no longer runs a count query of its own when facets are asked
  for.
* *first page* reads its facets from totals per status and facet key that the indexer keeps
  (`library_search_facet_total`), and its page from an index in the listing's order
  (`resource_newest_idx`, migration library/0010) instead of sorting every resource; what
  remains is the ORM's count of the published resources.
"""


def maintenance_seconds(result: dict[str, Any]) -> str:
    step = result.get("maintenance")
    return f"{step['seconds']:.1f}" if step and step["done"] else "–"


def maintenance_line(results: list[dict[str, Any]]) -> str:
    django = [result for result in results if "maintenance" in result]
    if not django:
        return ""
    if not all(result["maintenance"]["done"] for result in django):
        text = (
            "Measured right after the load (`--no-maintenance`): PostgreSQL's autovacuum may "
            "run on the freshly loaded tables during the rounds."
        )
    else:
        text = (
            "Between the load and the rounds, the maintenance that follows a bulk load "
            "(`settle` in the script): PostgreSQL `VACUUM ANALYZE` of the whole database and "
            "`CHECKPOINT`, SQLite a WAL checkpoint; without it PostgreSQL's autovacuum starts "
            "on the freshly loaded resource tables during the rounds (`--no-maintenance` "
            "measures that case)."
        )
    seen = ", ".join(
        f"{result['server']}: {result.get('autovacuum_seen', 0)}"
        for result in django
        if result["engine"] == "postgresql"
    )
    if seen:
        text += (
            f" Autovacuum workers running at the start of a round, summed over the rounds: {seen}."
        )
    return text


def markdown(results: list[dict[str, Any]], documents: int, repeat: int, seconds: float) -> str:
    judgements = load_judgements()
    kinds: dict[str, int] = {}
    for item in judgements:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    lines = [
        "# Search benchmark",
        "",
        f"Generated by `make bench-search` (`scripts/bench_search.py --docs {documents} "
        f"--repeat {repeat}`) in {seconds / 60:.1f} minutes on {platform.machine()} "
        f"({os.cpu_count()} cores), Python {platform.python_version()}. "
        "Latencies are measured in process (server side, no HTTP), one query at a time.",
        "",
        "## Latency of a top-10 search",
        "",
        f"{documents:,} documents; {len(judgements)} queries (the judged set below, EN/FR/ES) "
        f"× {repeat} runs after a warm-up run. *search* is `resource_search(page_size=10)` as "
        "the CLI calls it: query planning with cross-lingual expansion and typo correction, "
        "ranking, the exact count, the 10 hits read from the resource table and their "
        "highlighted snippets. *ranking* is the query plan and the database query alone "
        "(ranked ids and count). *with facets* adds the 8 facet counts over all matches, "
        "as the API and the page do (the count then comes from the facets' scan). "
        "*first page* is the empty query with its facets "
        f"({FIRST_PAGE_RUNS} runs): every published resource, newest first, as the search page "
        "and the API show it before a query is typed. tantivy: parse, top-10 with count, "
        "stored ids.",
        "",
        maintenance_line(results),
        "",
        "| engine | measure | p50 ms | p95 ms | p99 ms | mean ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        for measure in ("search", "ranking", "search_with_facets", "first_page"):
            values = result["latency"].get(measure)
            if values is None or (result["engine"] == "tantivy" and measure == "ranking"):
                continue
            label = measure.replace("_", " ")
            lines.append(
                f"| {result['server']} | {label} | {values['p50']:.1f} | {values['p95']:.1f} "
                f"| {values['p99']:.1f} | {values['mean']:.1f} |"
            )
    targets = {"sqlite": 10.0, "postgresql": 20.0}
    verdicts = []
    for result in results:
        if result["engine"] in targets:
            p95 = result["latency"]["search"]["p95"]
            met = "met" if p95 <= targets[result["engine"]] else "**not met**"
            verdicts.append(
                f"{result['server'].split(' (')[0]} p95 {p95:.1f} ms "
                f"(ranking alone {result['latency']['ranking']['p95']:.1f} ms): {met}"
            )
    lines += [
        "",
        "Targets (issue 3): SQLite p95 ≤ 10 ms, PostgreSQL p95 ≤ 20 ms at 100,000 documents. "
        "This run: " + "; ".join(verdicts) + ".",
        "",
        "## Indexing",
        "",
        "| engine | real documents (s) | scaled documents | seconds | docs/s | MB of text/s "
        "| optimise (s) | maintenance (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        scale = result["scale_index"]
        rate = scale["documents"] / scale["seconds"] if scale["seconds"] else 0
        megabytes = scale["megabytes"] / scale["seconds"] if scale["seconds"] else 0
        lines.append(
            f"| {result['server']} | {result['real_index']['seconds']:.1f} "
            f"| {scale['documents']:,} | {scale['seconds']:.1f} | {rate:,.0f} | {megabytes:.2f} "
            f"| {scale['optimize_seconds']:.1f} | {maintenance_seconds(result)} |"
        )
    lines += [
        "",
        "SQLite and PostgreSQL index through `index_resources` (text analysis in Python: "
        "folding, stop words, Snowball stemming; then the database's own indexing), in "
        f"batches of {BATCH} as an import does; optimise is FTS5's `optimize` / PostgreSQL's "
        "`VACUUM ANALYZE` of the search tables after the load; maintenance is the step "
        "described under the latency table. tantivy indexes title and body with its English "
        "stemmer on one thread.",
        "",
        "Size of the search tables after the load (indexes included; PostgreSQL: with their "
        "TOAST tables; SQLite: an FTS5 table with its shadow tables):",
        "",
        "| engine | table | MB |",
        "|---|---|---:|",
        *(
            f"| {result['server']} | `{table}` | {size / 1e6:,.1f} |"
            for result in results
            for table, size in result.get("index_tables", {}).items()
        ),
        "",
        "## Relevance",
        "",
        f"{len(judgements)} judged queries ({', '.join(f'{n} {k}' for k, n in kinds.items())}) "
        "over the 1,474 real documents; every relevant document is English, so French and "
        "Spanish queries measure cross-lingual retrieval. nDCG@10 with gains 2^grade − 1; "
        "recall@10 over the grade-2 documents.",
        "",
        "| engine | nDCG@10 all | EN | FR | ES | recall@10 all | EN | FR | ES |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        rel = result["relevance"]
        lines.append(
            f"| {result['server']} | {rel['all']['ndcg']:.3f} | {rel['en']['ndcg']:.3f} "
            f"| {rel['fr']['ndcg']:.3f} | {rel['es']['ndcg']:.3f} | {rel['all']['recall']:.3f} "
            f"| {rel['en']['recall']:.3f} | {rel['fr']['recall']:.3f} "
            f"| {rel['es']['recall']:.3f} |"
        )
    lines += [
        "",
        "## Method",
        "",
        "**Corpus.** " + " ".join(line.strip() for line in synthetic.__doc__.splitlines()[1:]),
        "",
        "**Judgements** (`benchmarks/search_judgements.jsonl`, rebuilt with "
        "`--build-judgements`). "
        + " ".join(line.strip() for line in build_judgements.__doc__.splitlines()),
        "",
        "**tantivy** sees the same documents and query texts (punctuation removed), with no "
        "cross-lingual expansion: it is the monolingual reference.",
        "",
        NOTES,
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--engines", default="sqlite,postgresql,tantivy")
    parser.add_argument("--build-judgements", action="store_true")
    parser.add_argument("--worker", choices=["sqlite", "postgresql", "tantivy"])
    parser.add_argument("--result", type=Path)
    parser.add_argument(
        "--no-maintenance",
        action="store_true",
        help="measure right after the load, without VACUUM ANALYZE and CHECKPOINT (PostgreSQL)",
    )
    args = parser.parse_args()

    if args.worker:
        if args.worker == "tantivy":
            result = tantivy_worker(args.docs, args.repeat)
        else:
            result = django_worker(
                args.worker, args.docs, args.repeat, maintenance=not args.no_maintenance
            )
        args.result.write_text(json.dumps(result))
        return 0

    if args.build_judgements or not JUDGEMENTS.exists():
        JUDGEMENTS.parent.mkdir(parents=True, exist_ok=True)
        with JUDGEMENTS.open("w", encoding="utf-8") as handle:
            for item in build_judgements(real_documents()):
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    results = [
        run_worker(engine, args.docs, args.repeat, maintenance=not args.no_maintenance)
        for engine in args.engines.split(",")
    ]
    text = markdown(results, args.docs, args.repeat, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
