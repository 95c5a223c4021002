"""The figures of a call's staff tab bar, read in one query for every tab.

Each app registers, in its `AppConfig.ready()`, the figures its tabs show as expressions on
the call's row (a subquery whose `OuterRef("pk")` is the call): the first tab drawn reads every
registered figure at once, and the other tabs of the same bar reuse the answer, kept on the
call object for the request. The calls app knows no later app: they register here.

The query is built and compiled once per process and database (issue #15: building and
compiling its subqueries cost every staff page of a call about 5 ms of CPU, executing it a
tenth of that; `minegap.core.compiled_queries`): only the call's id changes from one request to
the next. A figure must therefore be the same SQL for every call and at any time (a count, an
id, a state: no `timezone.now()` in it).

The figures are kept in the cache under the ledger's head (`minegap.ledger.selectors.head_hash`):
every change of an application, assignment, consensus step, decision, complaint, voucher or
indicator records its ledger entry in its own transaction, which moves the head, so figures kept
under the head that stands now are the database's as it is now. Reading the head costs one
indexed row; the figures' query, 3-4 ms of PostgreSQL at 3,000 applications (issue #15), runs
only once per call after each recorded change.
"""

import hashlib
from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Expression, F, Func, QuerySet, Subquery

from calls.models import Call
from minegap.core.cache import VersionedCache
from minegap.core.compiled_queries import CompiledQuery
from minegap.ledger.selectors import head_hash

_figures: dict[str, Callable[[], Expression]] = {}


def _all_figures(call: int) -> QuerySet[Call]:
    # Prefixed: a figure's name may be a field of the call ("vouchers", a relation).
    return (
        Call.objects.filter(pk=call)
        .order_by()
        .values(**{f"tab_{name}": expression() for name, expression in _figures.items()})
    )


_statement = CompiledQuery(_all_figures, "call")

#: The mark does the invalidating; this bounds the memory a quiet call's figures keep.
_kept = VersionedCache("calls:tab-figures", timeout=10 * 60)


def register(name: str, expression: Callable[[], Expression]) -> None:
    """Add a figure (`expression()` builds its expression on the call's row)."""
    if name in _figures:
        raise ImproperlyConfigured(f"The tab bar already has a figure named {name!r}.")
    _figures[name] = expression
    _statement.forget()
    _names_mark.cache_clear()


@cache
def _names_mark() -> str:
    return hashlib.sha256(",".join(_figures).encode()).hexdigest()[:16]


def count_of(rows: QuerySet) -> Subquery:
    """The number of `rows` (a queryset filtered on `OuterRef("pk")`), as a subquery."""
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def tab_figures(call: Call) -> dict[str, Any]:
    """Every registered figure of `call`, read once per call object."""
    figures = call.__dict__.get("_tab_figures")
    if figures is None:
        figures = call.__dict__["_tab_figures"] = _current_figures(call)
    return figures


def _current_figures(call: Call) -> dict[str, Any]:
    using = call._state.db or "default"
    # Read before the figures: they are then at least as new as the mark they are kept under.
    # The figures' names are in it too: a deploy that registers another reads them all again.
    mark = f"{head_hash(using)}:{using}:{_names_mark()}"
    name = str(call.pk)
    found = _kept.found_parts([name], version=mark)
    if name in found:
        return found[name]
    row = _statement.first(using=using, call=call.pk)
    figures = dict(zip(_figures, row, strict=True))
    _kept.keep_parts({name: figures}, version=mark)
    return figures
