"""ORM queries built and compiled once per process and database, then run with new ids.

Building a queryset of joins and subqueries and compiling it to SQL often costs ten times
what running it costs (issue #15: about 5 ms of CPU for a staff page's tab bar, 2.5 ms for an
autosave), yet from one request to the next only an id changes. A `CompiledQuery` builds its
queryset once per database with a placeholder for each such id, finds where each placeholder
sits among the SQL's parameters, and from then on runs the same SQL with the real ids there.

So a compiled query must be the same SQL for every id and at any time: no `timezone.now()`,
no setting. Its parameters are ids (or None: it replaces the parameter as is, so `col = NULL`
matches nothing where the ORM would have written `IS NULL`), or texts compared as they are
(`texts=("slug",)`, for `slug=slug`: a lookup that rewrites its text, such as `icontains`, is
refused when compiled). A list of ids has a fixed length
in SQL: a list parameter is compiled with its longest length (`lists={"ids": 50}`, for
`pk__in=ids`) and a shorter list is padded with NULLs (`IN (7, 9, NULL, ...)`: a NULL matches
nothing). Its rows are converted as the ORM converts them (SQLite's dates, decimals, booleans).

On PostgreSQL, with prepared statements on (`prepare_threshold` in the database's OPTIONS,
`minegap.settings.base`), a compiled query is sent with its parameters bound by the server and
prepared on its first run on each connection: from then on PostgreSQL neither parses nor
plans it again (planning the signed-in person's query with their roles cost 0.3 ms of every
request). The ORM's other queries keep client-side binding. psycopg forgets a connection's
prepared statements at a rollback and prepares them again at their next run.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

try:  # the server-binding cursor Django uses with `server_side_binding`, psycopg 3 only
    from django.db.backends.postgresql.base import ServerBindingCursor
except ImportError:  # no psycopg installed: SQLite only
    ServerBindingCursor = None

# One per parameter, in the 32-bit range (an integer lookup outside its field's range would be
# compiled into "matches nothing") and negative, so that no real id or figure is mistaken for it.
_FIRST_PLACEHOLDER = -918_273_600
# A text parameter's placeholder starts with this, then its name.
_TEXT_PLACEHOLDER = "compiled-query-placeholder-7f3a:"


#: The largest id a BigAutoField holds: a compiled read asked for an id beyond it answers
#: nothing without asking the database, as the ORM does.
LARGEST_ID = 2**63 - 1


def model_columns(model: type[Model], *names: str, path: str = "") -> tuple[str, ...]:
    """The model's columns (its fields' attnames; only `names` when given) in the order
    `Model.from_db` takes a row's values, each prefixed with `path` (a relation's, `"call__"`):
    what a compiled read selects to make model instances of its rows."""
    return tuple(
        f"{path}{field.attname}"
        for field in model._meta.concrete_fields
        if not names or field.attname in names
    )


def _prepares(using: str) -> bool:
    connection = connections[using]
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    )


def prepared_cursor(using: str = DEFAULT_DB_ALIAS) -> CursorWrapper:
    """A cursor for a statement run again and again with new values (a compiled query's, the
    autosave's): on PostgreSQL with prepared statements on, one that binds on the server (the
    only kind psycopg prepares), wrapped as Django wraps its own (the queries logged and counted,
    `execute_wrapper` honoured); elsewhere Django's own."""
    connection = connections[using]
    if not _prepares(using):
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return _ServerBoundDebugCursor(raw, connection)
    return connection.make_cursor(raw)


class _ServerBoundDebugCursor(CursorDebugWrapper):
    """Logs a statement as Django logs its own on PostgreSQL, the values in place: psycopg
    keeps no text of a statement bound on the server to read back."""

    def execute(self, sql: str, params: Any = None) -> Any:
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    positions: dict[str, tuple[int, ...]]  # slot -> where it sits in `params`
    compiler: SQLCompiler
    converters: dict


class CompiledQuery:
    """`build(**placeholders)` returns the queryset (a `values_list`, or one whose rows are read
    as tuples), with each named parameter's placeholder where its id goes (a list of
    placeholders for a list parameter)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *parameters: str,
        texts: Sequence[str] = (),
        lists: Mapping[str, int] | None = None,
    ) -> None:
        self._build = build
        self._lists = dict(lists or {})
        slots = [
            *parameters,
            *(f"{name}[{i}]" for name, n in self._lists.items() for i in range(n)),
        ]
        # Each id's slot: a parameter's name, or a list's name and the item's index.
        self._placeholders: dict[str, Any] = {
            slot: _FIRST_PLACEHOLDER - index for index, slot in enumerate(slots)
        }
        self._placeholders.update((name, f"{_TEXT_PLACEHOLDER}{name}") for name in texts)
        self._parameters = (*parameters, *texts)
        self._compiled: dict[str, _Compiled] = {}

    def forget(self) -> None:
        """Compile again at the next run (what `build` returns has changed)."""
        self._compiled.clear()

    def sql(self, using: str = DEFAULT_DB_ALIAS) -> str:
        """The statement, as it is run (`%s` for each parameter)."""
        return self._statement(using).sql

    def rows(
        self, *, using: str = DEFAULT_DB_ALIAS, **ids: int | str | Sequence[int] | None
    ) -> list[tuple]:
        """Every row, for these ids and texts (each parameter named once; a list parameter's at
        most its compiled length)."""
        expected = [*self._parameters, *self._lists]
        if sorted(ids) != sorted(expected):
            raise TypeError(f"Give exactly these ids: {', '.join(expected)}.")
        values = {name: ids[name] for name in self._parameters}
        for name, length in self._lists.items():
            items = list(ids[name])
            if len(items) > length:
                raise ValueError(f"{name} has {len(items)} ids, more than its {length}.")
            items += [None] * (length - len(items))
            values.update((f"{name}[{i}]", item) for i, item in enumerate(items))
        statement = self._statement(using)
        params = list(statement.params)
        for slot, positions in statement.positions.items():
            for position in positions:
                params[position] = values[slot]
        with prepared_cursor(using) as cursor:
            cursor.execute(statement.sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        if statement.converters:
            rows = statement.compiler.apply_converters(rows, statement.converters)
        return [tuple(row) for row in rows]

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **ids: int | str | None) -> tuple | None:
        """The first row (None without any): for a query of one row."""
        rows = self.rows(using=using, **ids)
        return rows[0] if rows else None

    def _statement(self, using: str) -> _Compiled:
        statement = self._compiled.get(using)
        if statement is None:
            statement = self._compiled[using] = self._compile(using)
        return statement

    def _compile(self, using: str) -> _Compiled:
        arguments: dict[str, Any] = {name: self._placeholders[name] for name in self._parameters}
        for name, length in self._lists.items():
            arguments[name] = [self._placeholders[f"{name}[{i}]"] for i in range(length)]
        compiler = self._build(**arguments).query.get_compiler(using)
        sql, params = compiler.as_sql()
        positions = {
            name: tuple(
                i
                for i, param in enumerate(params)
                if type(param) is type(placeholder) and param == placeholder
            )
            for name, placeholder in self._placeholders.items()
        }
        missing = [slot for slot, found in positions.items() if not found]
        if missing:
            raise ImproperlyConfigured(
                f"The query does not take {', '.join(missing)} as a parameter: {sql}"
            )
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return _Compiled(sql, tuple(params), positions, compiler, converters)
