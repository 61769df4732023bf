"""The one pagination every API list uses: ``?page=`` and ``?page_size=`` (≤ 1000)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from sdg87.core.errors import NotFound

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        if pagination.page > 1 and offset >= count:
            raise NotFound(
                f"page {pagination.page} is beyond the last page",
                details={"count": count, "page_size": pagination.page_size},
            )
        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "results": list(queryset[offset : offset + pagination.page_size]),
        }
