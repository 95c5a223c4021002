"""The recommendation score as one SQL expression, written as text over the profile's columns.

The same rules as Case/When/Least nodes cost more to build, copy and compile (tens of nodes,
resolved again in every subquery that uses the score) than PostgreSQL takes to evaluate it
on the shortlist: one node whose SQL is formatted once per query instead.
"""

from django.db.models import Expression, F, IntegerField


class ProfileScore(Expression):
    """`template` is SQL with {column} placeholders (the profile's columns, qualified by the
    compiler), {least} (LEAST, or MIN on SQLite) and {contains} (the LIKE of Django's
    `contains`); values go in `params`, as %s."""

    def __init__(self, template: str, params: list, columns: tuple[str, ...]):
        super().__init__(output_field=IntegerField())
        self.template = template
        self.params = list(params)
        self.names = tuple(columns)
        self.columns = [F(name) for name in columns]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        parts = {}
        for name, column in zip(self.names, self.columns, strict=True):
            parts[name], _column_params = compiler.compile(column)
        parts["least"] = "MIN" if connection.vendor == "sqlite" else "LEAST"
        parts["contains"] = connection.operators["contains"] % "%s"
        return f"({self.template.format(**parts)})", list(self.params)
