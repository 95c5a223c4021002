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
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Expression, F, Func, QuerySet, Subquery

from calls.models import Call
from minegap.core.compiled_queries import CompiledQuery

_figures: dict[str, Callable[[], Expression]] = {}


def _all_figures(call: int) -> QuerySet[Call]:
    # Prefixed: a figure's name may be a field of the call ("vouchers", a relation).
    return (
        Call.objects.filter(pk=call)
        .order_by()
        .values(**{f"tab_{name}": expression() for name, expression in _figures.items()})
    )


_statement = CompiledQuery(_all_figures, "call")


def register(name: str, expression: Callable[[], Expression]) -> None:
    """Add a figure (`expression()` builds its expression on the call's row)."""
    if name in _figures:
        raise ImproperlyConfigured(f"The tab bar already has a figure named {name!r}.")
    _figures[name] = expression
    _statement.forget()


def count_of(rows: QuerySet) -> Subquery:
    """The number of `rows` (a queryset filtered on `OuterRef("pk")`), as a subquery."""
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def tab_figures(call: Call) -> dict[str, Any]:
    """Every registered figure of `call`, read once per call object."""
    figures = call.__dict__.get("_tab_figures")
    if figures is None:
        row = _statement.first(using=call._state.db or "default", call=call.pk)
        figures = dict(zip(_figures, row, strict=True))
        call.__dict__["_tab_figures"] = figures
    return figures
