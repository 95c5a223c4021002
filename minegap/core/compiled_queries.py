"""ORM queries built and compiled once per process and database, then run with new ids.

Building a queryset of joins and subqueries and compiling it to SQL often costs ten times
what running it costs (issue #15: about 5 ms of CPU for a staff page's tab bar, 2.5 ms for an
autosave), yet from one request to the next only an id changes. A `CompiledQuery` builds its
queryset once per database with a placeholder for each such id, finds where each placeholder
sits among the SQL's parameters, and from then on runs the same SQL with the real ids there.

So a compiled query must be the same SQL for every id and at any time: no `timezone.now()`,
no setting, no list whose length varies. Its parameters are ids (or None: it replaces the
parameter as is, so `col = NULL` matches nothing where the ORM would have written `IS NULL`).
Its rows are converted as the ORM converts them (SQLite's dates, decimals, booleans).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# One per parameter, in the 32-bit range (an integer lookup outside its field's range would be
# compiled into "matches nothing") and negative, so that no real id or figure is mistaken for it.
_FIRST_PLACEHOLDER = -918_273_600


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    positions: dict[str, tuple[int, ...]]  # parameter name -> where it sits in `params`
    compiler: SQLCompiler
    converters: dict


class CompiledQuery:
    """`build(**placeholders)` returns the queryset (a `values_list`, or one whose rows are read
    as tuples), with each named parameter's placeholder where its id goes."""

    def __init__(self, build: Callable[..., QuerySet], *parameters: str) -> None:
        self._build = build
        self._placeholders = {
            name: _FIRST_PLACEHOLDER - index for index, name in enumerate(parameters)
        }
        self._compiled: dict[str, _Compiled] = {}

    def forget(self) -> None:
        """Compile again at the next run (what `build` returns has changed)."""
        self._compiled.clear()

    def sql(self, using: str = DEFAULT_DB_ALIAS) -> str:
        """The statement, as it is run (`%s` for each parameter)."""
        return self._statement(using).sql

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **ids: int | None) -> list[tuple]:
        """Every row, for these ids (each parameter named once)."""
        statement = self._statement(using)
        if ids.keys() != statement.positions.keys():
            raise TypeError(f"Give exactly these ids: {', '.join(statement.positions)}.")
        params = list(statement.params)
        for name, positions in statement.positions.items():
            for position in positions:
                params[position] = ids[name]
        with connections[using].cursor() as cursor:
            cursor.execute(statement.sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        if statement.converters:
            rows = statement.compiler.apply_converters(rows, statement.converters)
        return [tuple(row) for row in rows]

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **ids: int | None) -> tuple | None:
        """The first row (None without any): for a query of one row."""
        rows = self.rows(using=using, **ids)
        return rows[0] if rows else None

    def _statement(self, using: str) -> _Compiled:
        statement = self._compiled.get(using)
        if statement is None:
            statement = self._compiled[using] = self._compile(using)
        return statement

    def _compile(self, using: str) -> _Compiled:
        compiler = self._build(**self._placeholders).query.get_compiler(using)
        sql, params = compiler.as_sql()
        positions = {
            name: tuple(i for i, param in enumerate(params) if param == placeholder)
            for name, placeholder in self._placeholders.items()
        }
        missing = [name for name, found in positions.items() if not found]
        if missing:
            raise ImproperlyConfigured(
                f"The query does not take {', '.join(missing)} as a parameter: {sql}"
            )
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return _Compiled(sql, tuple(params), positions, compiler, converters)
