"""The figures of a call's staff tab bar, read in one query for every tab.

Each app registers, in its `AppConfig.ready()`, the figures its tabs show as expressions on
the call's row (a subquery whose `OuterRef("pk")` is the call): the first tab drawn reads every
registered figure at once, and the other tabs of the same bar reuse the answer, kept on the
call object for the request. The calls app knows no later app: they register here.

The query is built and compiled once per process and database (issue #15: building and
compiling its subqueries cost every staff page of a call about 5 ms of CPU, executing it a
tenth of that): only the call's id changes from one request to the next. A figure must
therefore be the same SQL for every call and at any time (a count, an id, a state: no
`timezone.now()` in it), and is read as the database answers it (no model field converts it).
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Expression, F, Func, QuerySet, Subquery

from calls.models import Call

_figures: dict[str, Callable[[], Expression]] = {}
#: database alias -> (the figures' names in order, SQL, its parameters, the call id's position).
_compiled: dict[str, tuple[list[str], str, list, int]] = {}
#: The call id the statement is compiled with, replaced by the real one at each execution.
_PLACEHOLDER_ID = -918_273_645


def register(name: str, expression: Callable[[], Expression]) -> None:
    """Add a figure (`expression()` builds its expression on the call's row)."""
    if name in _figures:
        raise ImproperlyConfigured(f"The tab bar already has a figure named {name!r}.")
    _figures[name] = expression
    _compiled.clear()


def count_of(rows: QuerySet) -> Subquery:
    """The number of `rows` (a queryset filtered on `OuterRef("pk")`), as a subquery."""
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def _statement(using: str) -> tuple[list[str], str, list, int]:
    if using not in _compiled:
        names = list(_figures)
        # Prefixed: a figure's name may be a field of the call ("vouchers", a relation).
        query = (
            Call.objects.using(using)
            .filter(pk=_PLACEHOLDER_ID)
            .order_by()
            .values(**{f"tab_{name}": _figures[name]() for name in names})
            .query
        )
        sql, params = query.get_compiler(using).as_sql()
        params = list(params)
        if params.count(_PLACEHOLDER_ID) != 1:
            raise ImproperlyConfigured("The tab bar's query must name the call's id once.")
        _compiled[using] = (names, sql, params, params.index(_PLACEHOLDER_ID))
    return _compiled[using]


def tab_figures(call: Call) -> dict[str, Any]:
    """Every registered figure of `call`, read once per call object."""
    figures = call.__dict__.get("_tab_figures")
    if figures is None:
        using = call._state.db or "default"
        names, sql, params, position = _statement(using)
        params = [*params[:position], call.pk, *params[position + 1 :]]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        figures = dict(zip(names, row, strict=True))
        call.__dict__["_tab_figures"] = figures
    return figures
