"""A result list paged on ids (see `directory.search_profiles`).

The order is known as ids: a Python list (a search's ranked candidates, or the few matches of
some filters), or a query of ids alone that the database sorts on an index (the whole
directory by name). A page (a slice) takes its ids from there, then reads the rows of those ids
only, in one query: no wide row is read, joined or skipped to reach page 200, and a list of
known ids costs nothing to count. Django's Paginator and DRF's pagination take it as they take
a queryset.
"""

from collections.abc import Callable, Iterator

from django.db.models import QuerySet


class IdList:
    ordered = True  # Django's Paginator warns about unordered lists

    def __init__(
        self,
        ids: list[int] | QuerySet,
        rows: QuerySet,
        *,
        count: Callable[[], int] | None = None,
    ) -> None:
        """`ids`: the sorted ids, or a sorted `values_list("pk", flat=True)` query; `rows`: how
        a page's rows are read; `count`: the number of ids, when known more cheaply than by
        counting them."""
        self.ids = ids
        self.rows = rows
        self._count = count

    def count(self) -> int:
        if self._count is not None:
            return self._count()
        return len(self.ids) if isinstance(self.ids, list) else self.ids.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: int | slice):
        if isinstance(index, slice):
            wanted = list(self.ids[index])
            found = self.rows.in_bulk(wanted) if wanted else {}
            # A row deleted since its id was read is left out rather than shown empty.
            return [found[pk] for pk in wanted if pk in found]
        if index < 0:
            raise IndexError("negative index")
        found = self[index : index + 1]
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator:
        return iter(self[:])
