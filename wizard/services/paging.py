"""One page of a list, in two queries whatever the list's length: a capped count and the page's rows.

Shared by the directory, the validators' queue, the cluster-organisation picker and the member
decision pages. Counting every match costs as much as reading them all, so lists that can grow
with the platform count at most `cap` + 1 rows and say "more than `cap`"; the page itself asks for
one row more than it shows, so "Next" is right whether the count was capped or not.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal, select

from wizard.extensions import db

MAX_PAGE = 100_000


@dataclass(frozen=True)
class Paged:
    items: Sequence[Any]
    #: The number of matches, or `cap` when there are more (then `capped` is set).
    total: int
    page: int
    per_page: int
    has_next: bool = False
    capped: bool = False

    @property
    def pages(self) -> int:
        """The number of pages, or when the count was capped those known so far."""
        return max(1, -(-self.total // self.per_page), self.page + self.has_next)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)

    def with_items(self, items: Sequence[Any]) -> "Paged":
        """The same page with its rows turned into what the template shows."""
        return Paged(items, self.total, self.page, self.per_page, self.has_next, self.capped)


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything odd is page 1 (a bad link is not an error page)."""
    try:
        return max(1, min(int(raw or 1), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def count_up_to(query: Select, cap: int | None) -> tuple[int, bool]:
    """(count, capped): the number of `query`'s rows, reading at most cap + 1 of them."""
    # Only a constant per row: the rows' columns (a profile's answers JSON among them) are never read.
    query = query.order_by(None).with_only_columns(literal(1), maintain_column_froms=True)
    if cap is not None:
        query = query.limit(cap + 1)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if cap is not None and total > cap:
        return cap, True
    return total, False


def paginate(query: Select, page: int, per_page: int, *, cap: int | None = None, scalars: bool = True,
             unique: bool = False) -> Paged:
    """Two queries: the (capped) count of `query`'s rows and the requested page.

    A page past the end is the last page when the count is exact; with a capped count it comes back
    empty (only an edited link asks for it).
    """
    total, capped = count_up_to(query, cap)
    return page_of(query, page, per_page, total, capped, scalars=scalars, unique=unique)


def page_of(query: Select, page: int, per_page: int, total: int, capped: bool, *, scalars: bool = True,
            unique: bool = False, params: dict[str, Any] | None = None) -> Paged:
    """The requested page of `query` (with its bound `params`), given its count (one query)."""
    if not capped:
        page = max(1, min(page, max(1, -(-total // per_page))))
    rows = query.limit(per_page + 1).offset((page - 1) * per_page)
    result = db.session.scalars(rows, params) if scalars else db.session.execute(rows, params)
    items = list(result.unique() if unique else result)
    return Paged(items[:per_page], total, page, per_page, has_next=len(items) > per_page, capped=capped)
