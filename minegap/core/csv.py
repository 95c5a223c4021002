"""Streaming CSV for every export (apps and the ledger): one formula-injection-safe writer
(defusedcsv) set up in one place."""

from collections.abc import Iterable, Iterator

from defusedcsv import csv


class _Echo:
    """A file that hands back what is written: each CSV line is yielded, not buffered."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The header then each row as one CSV line (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
