"""The authentication backends: Django's and allauth's, except that the signed-in person of each
request is read with their roles and "has a membership" in one statement, built and compiled once
per process and database (issue #15: the user's query, its groups' and its memberships' cost a
signed-in request about 1 ms of CPU, mostly in building them; only the id changes).

Everything else is theirs: whether the person may still sign in (`user_can_authenticate`: a
deactivated person is nobody), and Django's check of the session's password hash around
`get_user`. The roles are read fresh on every request, so a removed role is gone on the next one.
"""

from dataclasses import dataclass
from typing import Any

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import backends as django_backends
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import connections

from accounts.models import User
from accounts.rules import remember_roles, role_flags

# The id the statement is compiled with, replaced by the real one at each request.
_PLACEHOLDER_USER = -918_273_650


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: list[Any]
    user_position: int
    fields: list[str]  # the user's columns, in the order of the row, then the flags
    flags: list[str]
    converters: Any  # the columns as the ORM converts them (SQLite's dates, booleans)
    compiler: Any


_compiled: dict[str, _Statement] = {}


def _statement(using: str) -> _Statement:
    if using not in _compiled:
        flags = role_flags()
        query = (
            User._default_manager.using(using).filter(pk=_PLACEHOLDER_USER).annotate(**flags).query
        )
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        params = list(params)
        _compiled[using] = _Statement(
            sql=sql,
            params=params,
            user_position=params.index(_PLACEHOLDER_USER),
            fields=[field.attname for field in User._meta.concrete_fields],
            flags=list(flags),
            converters=compiler.get_converters(
                [column for column, _sql, _alias in compiler.select]
            ),
            compiler=compiler,
        )
    return _compiled[using]


def user_with_roles(user_id: Any) -> User | None:
    """The user of this id with their roles remembered (`accounts.rules.remember_roles`), or
    None if there is none."""
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    using = User._default_manager.db
    statement = _statement(using)
    params = list(statement.params)
    params[statement.user_position] = user_id
    with connections[using].cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if statement.converters:
        (row,) = statement.compiler.apply_converters([list(row)], statement.converters)
    count = len(statement.fields)
    user = User.from_db(using, statement.fields, row[:count])
    remember_roles(user, dict(zip(statement.flags, row[count:], strict=True)))
    return user


class _UserWithRoles:
    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithRoles, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithRoles, allauth_backends.AuthenticationBackend):
    pass


# Sessions signed in before these backends replaced Django's and allauth's (December 2026) name
# those; they are renamed on their next request (one save) rather than signed out.
_FORMER_PATHS = {
    "django.contrib.auth.backends.ModelBackend": f"{ModelBackend.__module__}.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        f"{AuthenticationBackend.__module__}.AuthenticationBackend"
    ),
}


def rename_former_backend(session: SessionBase) -> None:
    path = session.get(BACKEND_SESSION_KEY)
    if path in _FORMER_PATHS:
        session[BACKEND_SESSION_KEY] = _FORMER_PATHS[path]
