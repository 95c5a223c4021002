"""A result list whose order is already known as a list of ids (see `directory.search_profiles`).

Its count is the number of ids, and a slice (a page) reads the rows of its own ids only, in one
query: a page costs the same on page 1 and page 25, and counting costs nothing. Django's
Paginator and DRF's pagination take it as they take a queryset.
"""

from collections.abc import Iterator

from django.db.models import QuerySet


class IdList:
    ordered = True  # Django's Paginator warns about unordered lists

    def __init__(self, ids: list[int], rows: QuerySet) -> None:
        self.ids = list(ids)
        self.rows = rows

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int | slice):
        if isinstance(index, slice):
            wanted = self.ids[index]
            found = self.rows.in_bulk(wanted) if wanted else {}
            # A row deleted since its id was read is left out rather than shown empty.
            return [found[pk] for pk in wanted if pk in found]
        found = self[index : index + 1] if index >= 0 else self[index:][:1]
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator:
        return iter(self[:])
