"""The figures of a call's staff tab bar, read in one query for every tab.

Each app registers, in its `AppConfig.ready()`, the figures its tabs show as expressions on
the call's row (a subquery whose `OuterRef("pk")` is the call): the first tab drawn reads every
registered figure at once, and the other tabs of the same bar reuse the answer, kept on the
call object for the request. The calls app knows no later app: they register here.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Expression, F, Func, QuerySet, Subquery

from calls.models import Call

_figures: dict[str, Callable[[], Expression]] = {}


def register(name: str, expression: Callable[[], Expression]) -> None:
    """Add a figure (`expression()` builds its expression on the call's row)."""
    if name in _figures:
        raise ImproperlyConfigured(f"The tab bar already has a figure named {name!r}.")
    _figures[name] = expression


def count_of(rows: QuerySet) -> Subquery:
    """The number of `rows` (a queryset filtered on `OuterRef("pk")`), as a subquery."""
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def tab_figures(call: Call) -> dict[str, Any]:
    """Every registered figure of `call`, read once per call object."""
    figures = call.__dict__.get("_tab_figures")
    if figures is None:
        # Prefixed: a figure's name may be a field of the call ("vouchers", a relation).
        row = Call.objects.filter(pk=call.pk).values(
            **{f"tab_{name}": expression() for name, expression in _figures.items()}
        )[0]
        figures = {name: row[f"tab_{name}"] for name in _figures}
        call.__dict__["_tab_figures"] = figures
    return figures
