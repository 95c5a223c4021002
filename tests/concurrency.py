"""Racing service calls against each other: on PostgreSQL each call runs in its own thread and
all are released together, so the row locks decide; SQLite has one writer at a time, so there
the same calls run one after the other and must agree."""

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections

CONCURRENT = connection.vendor == "postgresql"


def race(calls: list[Callable[[], Any]]) -> tuple[list, list[ValidationError]]:
    """Run each callable (all at once where the database allows); returns what they returned and
    the ValidationErrors they raised, in the order they finished."""
    results, errors = [], []
    start = threading.Barrier(len(calls) if CONCURRENT else 1)

    def worker(call):
        try:
            start.wait()
            results.append(call())
        except ValidationError as error:
            errors.append(error)
        finally:
            connections.close_all()

    if CONCURRENT:
        threads = [threading.Thread(target=worker, args=(c,)) for c in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        for call in calls:
            worker(call)
    return results, errors
