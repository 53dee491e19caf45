"""Pages of a list: `?page=N` (from 1), 50 rows a page, the total counted in SQL so only one page is loaded.

The REST endpoints page with `limit`/`offset` (api/v1/pages.py); web pages use page numbers, which a person
follows and bookmarks, and share the API's counting query. A page number that is not a whole number from 1
is refused by validation (a 422 page); one past the last page is a 404 naming how many pages there are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Query
from sqlalchemy import Select
from sqlalchemy.orm import Session
from starlette.requests import Request

from exportctl.http.pagination import page
from exportctl.services.errors import NotFound

PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # far beyond any list, and it keeps the offset inside the databases' 64-bit integers
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1")]
Row = TypeVar("Row")


@dataclass(frozen=True)
class Pager:
    """Where a page sits in its list, and the links to its neighbours (keeping the request's filters)."""

    number: int
    size: int
    total: int
    path: str
    others: tuple[tuple[str, str], ...]  # the request's other query parameters (status, reason, dates …)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """The 1-based position of the page's first row (0 when the list is empty)."""
        return min(self.total, (self.number - 1) * self.size + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)

    @property
    def previous(self) -> str | None:
        return self.href(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.href(self.number + 1) if self.number < self.pages else None

    def href(self, number: int) -> str:
        query = list(self.others) + ([("page", str(number))] if number > 1 else [])
        return f"{self.path}?{urlencode(query)}" if query else self.path


def pager(request: Request, number: int, total: int, size: int = PAGE_SIZE) -> Pager:
    others = tuple((key, value) for key, value in request.query_params.multi_items() if key != "page")
    found = Pager(number, size, total, request.url.path, others)
    if number > found.pages:
        raise NotFound(f"page {number} does not exist: the list has {total} rows, {found.pages} page(s)")
    return found


def paged(
    db: Session, request: Request, statement: Select[Any], number: int, size: int = PAGE_SIZE
) -> tuple[list[Any], Pager]:
    """One page of the statement's rows, and its pager."""
    rows, total = page(db, statement, size, (number - 1) * size)
    return rows, pager(request, number, total, size)


def paged_list(request: Request, rows: Sequence[Row], number: int, size: int = PAGE_SIZE) -> tuple[list[Row], Pager]:
    """One page of a list already in memory (a computed result, not a query)."""
    found = pager(request, number, len(rows), size)
    return list(rows[(number - 1) * size : number * size]), found
