"""Pagination of the public lists that reads a row's details for the page's rows only.

A list's query joins, annotates (amounts, award and voucher dates) and sorts every matching row
to keep one page of them. Here a subquery with only the filters and the sort keys chooses the
page's ids, and the outer query reads the details of those ids (`details`, e.g.
`public.selectors.project_page`), sorted the same way: still one query per page, the same rows
in the same order. The outer query repeats none of the filters (they made the planner join every
row before keeping the page's).
"""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from public.cache import cached


class PageFirstPaginator(Paginator):
    """`count_key`: names the list and its filters (never the page); the count is then kept in
    the public cache for the current data version instead of counted on every request."""

    def __init__(
        self,
        object_list,
        per_page,
        *args,
        details: Callable[[QuerySet], QuerySet],
        count_key: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.details = details
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return Paginator.count.func(self)
        return cached(f"list-count:{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number) -> Page:
        page = super().page(number)
        rows = page.object_list  # the whole list sliced, not evaluated yet
        if isinstance(rows, QuerySet) and rows.query.is_sliced:
            whole = self.object_list
            ids = whole.values("pk")[rows.query.low_mark : rows.query.high_mark]
            page.object_list = self.details(ids).order_by(*whole.query.order_by)
        return page
