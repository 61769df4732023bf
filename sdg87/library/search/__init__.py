"""Full-text search over resources: one interface, one backend per database.

* ``resource_search(...)`` answers every search (pages, API, CLI);
* ``index_resources(ids)`` / ``unindex_resources(ids)`` are called by the ingestion services
  inside their transaction whenever a resource, its status or its tags change, or it is
  deleted; ``resources_reindex()`` rebuilds the whole index.

The backend is chosen from the connection's vendor: SQLite FTS5 (``backends/sqlite.py``) or
PostgreSQL full text (``backends/postgresql.py``). Both index the same analysed terms
(``analysis``), run the same query plan (``query``, with cross-lingual expansion from
``expansion``) and return the same result shape with the same snippets (``snippets``).
Only published resources are searchable, except by viewers who may change resources and
ask for other statuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import translation

from sdg87.core.aggregates import comma_separated
from sdg87.library.models import Resource, ResourceStatus
from sdg87.library.search.analysis import LANGUAGES, normalise_language
from sdg87.library.search.backends.base import (
    Backend,
    Filters,
    Ranked,
    TermVocabulary,
    facet_totals,
)
from sdg87.library.search.documents import documents_for
from sdg87.library.search.expansion import ExpansionTable, default_table
from sdg87.library.search.facets import FacetValue, facet_counts
from sdg87.library.search.query import QueryPlan, parse_query, plan_query
from sdg87.library.search.snippets import HEAD_CHARS, MAX_SCANNED_CHARS, snippet

__all__ = [
    "FacetValue",
    "SearchFilters",
    "SearchHit",
    "SearchResult",
    "index_resources",
    "resource_search",
    "resources_reindex",
    "search_index_optimize",
    "unindex_resources",
]

Sort = Literal["relevance", "date"]
SORTS = ("relevance", "date")
MAX_PAGE_SIZE = 1000
INDEX_BATCH = 500


@dataclass(frozen=True)
class SearchFilters:
    """Filters of a search; several values of one filter are alternatives (OR)."""

    types: Sequence[str] = ()
    languages: Sequence[str] = ()
    countries: Sequence[str] = ()
    regions: Sequence[str] = ()
    themes: Sequence[str] = ()
    targets: Sequence[str] = ()
    organisations: Sequence[str] = ()
    year_from: int | None = None
    year_to: int | None = None
    statuses: Sequence[str] = ()


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    language: str
    year: int | None
    type: str
    countries: tuple[str, ...]
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    organisation: str = ""
    url: str = ""


@dataclass(frozen=True)
class SearchResult:
    count: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, list[FacetValue]]
    page: int
    page_size: int
    sort: str
    query: str = ""
    query_languages: tuple[str, ...] = LANGUAGES
    corrections: dict[str, str] = field(default_factory=dict)
    relaxed: bool = False  # no resource had every word: any word was enough

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


# --- backends ------------------------------------------------------------------------------


def _backend() -> Backend:
    if connection.vendor == "sqlite":
        from sdg87.library.search.backends.sqlite import SqliteBackend

        return SqliteBackend(connection)
    if connection.vendor == "postgresql":
        from sdg87.library.search.backends.postgresql import PostgresBackend

        return PostgresBackend(connection)
    raise ImproperlyConfigured(f"no search backend for the {connection.vendor} database")


def expansion_table() -> ExpansionTable:
    return default_table(str(settings.DATA_DIR))


# --- indexing ------------------------------------------------------------------------------


def index_resources(resource_ids: Iterable[int]) -> None:
    """(Re)index these resources; ids of resources that no longer exist are unindexed."""
    ids = sorted({int(pk) for pk in resource_ids})
    if not ids:
        return
    backend = _backend()
    for start in range(0, len(ids), INDEX_BATCH):
        chunk = ids[start : start + INDEX_BATCH]
        backend.index(list(documents_for(chunk)), chunk)


def unindex_resources(resource_ids: Iterable[int]) -> None:
    """Remove these resources from the index."""
    ids = sorted({int(pk) for pk in resource_ids})
    if ids:
        _backend().unindex(ids)


def resources_reindex() -> int:
    """Rebuild the whole index from the resources table; returns the number indexed."""
    backend = _backend()
    backend.clear()
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    index_resources(ids)
    return len(ids)


def search_index_optimize() -> None:
    """Compact the index after a large load (FTS5 ``optimize``; PostgreSQL ``VACUUM ANALYZE``).

    Must run outside a transaction.
    """
    _backend().optimize()


# --- searching -----------------------------------------------------------------------------


def _clean(values: Iterable[Any] | None, *, upper: bool = False) -> tuple[str, ...]:
    cleaned = []
    for value in values or ():
        text = str(value).strip()[:200]
        if text:
            cleaned.append(text.upper() if upper else text)
    return tuple(dict.fromkeys(cleaned))


def _may_see_unpublished(viewer: Any) -> bool:
    from sdg87.accounts import permissions

    return viewer is not None and (permissions.is_curator(viewer) or permissions.is_admin(viewer))


def _filters(filters: SearchFilters | None, viewer: Any) -> Filters:
    given = filters or SearchFilters()
    statuses = (ResourceStatus.PUBLISHED.value,)
    if given.statuses and _may_see_unpublished(viewer):
        statuses = tuple(s for s in _clean(given.statuses) if s in ResourceStatus.values)
    return Filters(
        types=_clean(given.types),
        languages=tuple(code.lower() for code in _clean(given.languages)),
        countries=_clean(given.countries, upper=True),
        regions=_clean(given.regions),
        themes=_clean(given.themes),
        targets=_clean(given.targets),
        organisations=_clean(given.organisations),
        year_from=given.year_from,
        year_to=given.year_to,
        statuses=statuses or (ResourceStatus.PUBLISHED.value,),
    )


def _browse_queryset(filters: Filters) -> QuerySet[Resource]:
    """Every resource that passes the filters (the empty query)."""
    queryset = Resource.objects.filter(status__in=filters.statuses)
    if filters.types:
        queryset = queryset.filter(type__in=filters.types)
    if filters.languages:
        queryset = queryset.filter(language__in=filters.languages)
    if filters.year_from is not None:
        queryset = queryset.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        queryset = queryset.filter(year__lte=filters.year_to)
    if filters.organisations:
        wanted = Q()
        for name in filters.organisations:
            wanted |= Q(organisation__iexact=name)
        queryset = queryset.filter(wanted)
    for lookup, values in (
        ("countries__iso3__in", filters.countries),
        ("themes__slug__in", filters.themes),
        ("targets__code__in", filters.targets),
    ):
        if values:
            queryset = queryset.filter(pk__in=Resource.objects.filter(**{lookup: values}))
    if filters.regions:
        in_region = (
            Q(countries__region__m49__in=filters.regions)
            | Q(countries__subregion__m49__in=filters.regions)
            | Q(countries__intermediate_region__m49__in=filters.regions)
        )
        queryset = queryset.filter(pk__in=Resource.objects.filter(in_region))
    return queryset


def _browse(filters: Filters, offset: int, limit: int) -> tuple[Ranked, str, list[Any]]:
    queryset = _browse_queryset(filters)
    ordered = queryset.order_by(F("year").desc(nulls_last=True), "-created_at", "-pk")
    ids = tuple(ordered.values_list("pk", flat=True)[offset : offset + limit])
    ids_sql, params = queryset.values("pk").query.sql_with_params()
    return Ranked(count=queryset.count(), ids=ids), ids_sql, list(params)


HIT_FIELDS = ("id", "title", "language", "year", "type", "organisation", "url", "abstract")


def _hit_rows(ids: list[int]) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]]]:
    """The hits' fields (the start of the text, ``HEAD_CHARS``) and countries, in one query.
    ``cut`` tells whether there is more text."""
    from sdg87.countries.models import Country

    marks = ", ".join(["%s"] * len(ids))
    columns = ", ".join(f"r.{field}" for field in HIT_FIELDS)
    through = Resource.countries.through._meta.db_table
    joined = comma_separated(connection.vendor, "c.iso3")  # ISO3 codes hold no comma
    countries: dict[int, list[str]] = {pk: [] for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, substr(r.full_text, 1, %s), "  # noqa: S608
            f"(SELECT {joined} FROM {through} rc "
            f"JOIN {Country._meta.db_table} c ON c.id = rc.country_id "
            "WHERE rc.resource_id = r.id) "
            f"FROM {Resource._meta.db_table} r WHERE r.id IN ({marks})",
            [HEAD_CHARS + 1, *ids],
        )
        by_id = {}
        for row in cursor:
            fields = dict(zip((*HIT_FIELDS, "text"), row[:-1], strict=True))
            text = fields["text"] or ""
            fields["text"], fields["cut"] = text[:HEAD_CHARS], len(text) > HEAD_CHARS
            by_id[row[0]] = fields
            countries[row[0]] = row[-1].split(",") if row[-1] else []
    return by_id, countries


def _longer_texts(ids: list[int]) -> dict[int, str]:
    """As much of the hits' texts as snippets ever scan: one query, for the few hits whose
    snippet needs more than their first ``HEAD_CHARS``."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, substr(full_text, 1, %s) FROM {Resource._meta.db_table} "  # noqa: S608
            f"WHERE id IN ({marks})",
            [MAX_SCANNED_CHARS + 1000, *ids],
        )
        return {pk: text or "" for pk, text in cursor}


def _hits(ranked: Ranked, plan: QueryPlan) -> tuple[SearchHit, ...]:
    if not ranked.ids:
        return ()
    by_id, countries = _hit_rows(list(ranked.ids))
    terms, prefixes = plan.highlight_terms()

    def hit_snippet(row: dict[str, Any], *, cut: bool) -> str | None:
        return snippet(
            [row["abstract"], row["text"]],
            normalise_language(row["language"]),
            terms,
            prefixes,
            concepts=len(plan.groups),
            cut=cut,
        )

    snippets = {pk: hit_snippet(row, cut=row["cut"]) for pk, row in by_id.items()}
    longer = _longer_texts([pk for pk, found in snippets.items() if found is None])
    for pk, text in longer.items():
        snippets[pk] = hit_snippet(by_id[pk] | {"text": text}, cut=False)
    hits = []
    for pk in ranked.ids:
        row = by_id.get(pk)
        if row is None:
            continue
        hits.append(
            SearchHit(
                id=pk,
                title=row["title"],
                language=row["language"],
                year=row["year"],
                type=row["type"],
                countries=tuple(sorted(countries[pk])),
                score=round(ranked.scores.get(pk, 0.0), 6),
                snippet=snippets.get(pk) or "",
                organisation=row["organisation"],
                url=row["url"],
            )
        )
    return tuple(hits)


def resource_search(
    *,
    query: str | None = "",
    language: str | None = None,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    viewer: Any = None,
    with_facets: bool = True,
    ui_language: str | None = None,
) -> SearchResult:
    """Search resources. Never raises on any query text; bad paging values are clamped.

    ``language`` is the language the query is written in (``en``, ``fr``, ``es``; guessed
    when None); documents in every language are searched. An empty query lists every
    resource that passes the filters, newest first.
    """
    sort = sort if sort in SORTS else "relevance"
    page = min(max(1, int(page or 1)), 1_000_000)
    page_size = min(max(1, int(page_size or 20)), MAX_PAGE_SIZE)
    offset = (page - 1) * page_size
    language = language if language in LANGUAGES else None
    normalised = _filters(filters, viewer)
    backend = _backend()

    parsed = parse_query(query)
    plan = plan_query(
        parsed, language=language, table=expansion_table(), vocabulary=TermVocabulary(connection)
    )
    relaxed = False
    # The backend's session (PostgreSQL: no sequential scans) for the full-text queries only.
    with nullcontext() if plan.is_empty else backend.session():
        if plan.is_empty:
            ranked, ids_sql, params = _browse(normalised, offset, page_size)
            sort = "date"
        else:

            def ranked_page(query_plan: QueryPlan) -> Ranked:
                # With facets, a page that fills up leaves the count of every match to the
                # facets' scan of the matches (``count=False``), instead of a scan of its own.
                return backend.search(
                    query_plan,
                    normalised,
                    sort=sort,
                    offset=offset,
                    limit=page_size,
                    count=not with_facets,
                )

            ranked = ranked_page(plan)
            if ranked.count == 0 and len(plan.groups) > 1:
                plan, relaxed = plan.relaxed(), True
                ranked = ranked_page(plan)

        facets: dict[str, list[FacetValue]] = {}
        count = ranked.count
        if with_facets:
            if not plan.is_empty:
                by_key, matches = backend.facet_counts(plan, normalised)
                count = matches if count is None else count
            elif normalised.status_only():  # the library's first page: the index's totals
                by_key = facet_totals(connection, normalised.statuses)
            else:
                by_key = backend.facet_counts_for_ids(ids_sql, params)
            with translation.override(ui_language or translation.get_language() or "en"):
                facets = facet_counts(connection, by_key, ui_language=ui_language or _ui_language())
    assert count is not None  # counted by the search or with the facets
    return SearchResult(
        count=count,
        hits=_hits(ranked, plan),
        facets=facets,
        page=page,
        page_size=page_size,
        sort=sort,
        query=parsed.text,
        query_languages=plan.languages,
        corrections=dict(plan.corrections),
        relaxed=relaxed,
    )


def _ui_language() -> str:
    from sdg87.core.i18n import current_language

    return current_language()
