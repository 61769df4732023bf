"""``GET /api/v1/resources``: search the library (the list of resources is a search).

Any ``q`` is accepted — quotes, operators, Unicode, very long text — and answers results or an
empty list. An empty ``q`` lists every published resource, newest first.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from sdg87.accounts.auth import request_actor
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.pagination import MAX_PAGE_SIZE
from sdg87.library.models import ResourceStatus, ResourceType
from sdg87.library.search import SearchFilters, SearchResult, resource_search

router = Router()

DEFAULT_PAGE_SIZE = 20


class ResourceSearchQuery(Schema):
    q: str = Field("", description='Search text: words, "a phrase", OR, -word, prefix*')
    lang: Literal["en", "fr", "es"] | None = Field(
        None,
        description=(
            "Language the query is written in (guessed when absent); documents in every "
            "language are searched. Also the language of facet labels."
        ),
    )
    type: list[ResourceType] = Field(default_factory=list, description="Resource type")
    country: list[str] = Field(
        default_factory=list, description="ISO3 code of a country the resource covers"
    )
    region: list[str] = Field(default_factory=list, description="UN M49 region code")
    theme: list[str] = Field(default_factory=list, description="Theme slug")
    target: list[str] = Field(default_factory=list, description="SDG target code, e.g. 8.7")
    organisation: list[str] = Field(default_factory=list, description="Publishing organisation")
    language: list[str] = Field(
        default_factory=list, description="Language of the resource (ISO 639-1)"
    )
    year_from: int | None = Field(None, ge=0, le=9999)
    year_to: int | None = Field(None, ge=0, le=9999)
    status: list[ResourceStatus] = Field(
        default_factory=list, description="Curators only: statuses other than published"
    )
    sort: Literal["relevance", "date"] = "relevance"
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


# The answer's schemas are plain pydantic models: the answer is built from dicts, which need
# none of ninja's attribute resolution (``Schema``), and validating it stays in pydantic-core.
class ResourceHitOut(BaseModel):
    id: int
    title: str
    language: str = Field(description="ISO 639-1")
    year: int | None
    type: str
    countries: list[str] = Field(description="ISO3 codes")
    snippet: str = Field(description="HTML: escaped text, matched words in <mark>")
    score: float = Field(description="Relevance (higher is better; 0 when sorted by date)")
    organisation: str
    url: str


class FacetValueOut(BaseModel):
    value: str
    label: str
    count: int


class QueryInfoOut(BaseModel):
    text: str = Field(description="The query as searched (cleaned, at most 500 characters)")
    languages: list[str] = Field(description="The query's language(s), given or guessed")
    corrections: dict[str, str] = Field(description="Misspelt words and the term searched")
    relaxed: bool = Field(description="No resource had every word: any word was enough")


class ResourceSearchOut(BaseModel):
    count: int
    page: int
    page_size: int
    results: list[ResourceHitOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        description=(
            "Counts per value over all matches: type, language, year, country (ISO3), "
            "region (M49), theme (slug), target (code), organisation"
        )
    )
    query: QueryInfoOut


def search_document(result: SearchResult) -> dict[str, Any]:
    return {
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "results": [hit.__dict__ | {"countries": list(hit.countries)} for hit in result.hits],
        "facets": {
            kind: [value.__dict__ for value in values] for kind, values in result.facets.items()
        },
        "query": {
            "text": result.query,
            "languages": list(result.query_languages),
            "corrections": result.corrections,
            "relaxed": result.relaxed,
        },
    }


@router.get(
    "",
    response=ResourceSearchOut,
    summary="Search resources (cross-lingual), with facets",
    description=(
        "Full-text search over published resources in English, French and Spanish: a query "
        "in one language also finds documents in the others. Every filter may be repeated "
        "(values are alternatives). Results are ranked by relevance (`sort=date`: newest "
        "first); an empty `q` lists every resource."
    ),
)
def search_resources(request: HttpRequest, params: Query[ResourceSearchQuery]) -> Any:
    if (
        params.year_from is not None
        and params.year_to is not None
        and params.year_from > params.year_to
    ):
        raise InvalidInput(
            "year_from is after year_to",
            details={
                "field": "year_from",
                "year_from": params.year_from,
                "year_to": params.year_to,
            },
        )
    bad = [code for code in params.country if len(code.strip()) != 3 or not code.isalpha()]
    if bad:
        raise InvalidInput(
            "country must be an ISO 3166-1 alpha-3 code",
            details={"field": "country", "values": bad},
        )
    result = resource_search(
        query=params.q,
        language=params.lang,
        filters=SearchFilters(
            types=[value.value for value in params.type],
            languages=params.language,
            countries=params.country,
            regions=params.region,
            themes=params.theme,
            targets=params.target,
            organisations=params.organisation,
            year_from=params.year_from,
            year_to=params.year_to,
            statuses=[value.value for value in params.status],
        ),
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
        viewer=request_actor(request),
        ui_language=params.lang or "en",
    )
    if params.page > 1 and not result.hits and result.count <= (params.page - 1) * params.page_size:
        raise NotFound(
            f"page {params.page} is beyond the last page",
            details={"count": result.count, "page_size": params.page_size},
        )
    return search_document(result)
