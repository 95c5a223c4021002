"""The authentication backends: Django's and allauth's, except that the signed-in person of each
request is read with their roles and "has a membership" in one statement, built and compiled once
per process and database (issue #15: the user's query, its groups' and its memberships' cost a
signed-in request about 1 ms of CPU, mostly in building them; only the id changes).

Everything else is theirs: whether the person may still sign in (`user_can_authenticate`: a
deactivated person is nobody), and Django's check of the session's password hash around
`get_user`. The roles are read fresh on every request, so a removed role is gone on the next one.
"""

from typing import Any

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import backends as django_backends
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.rules import remember_roles, role_flags
from minegap.core.compiled_queries import CompiledQuery, model_columns

_FIELDS = model_columns(User)
_FLAGS = tuple(role_flags())

_USER_WITH_ROLES = CompiledQuery(
    lambda user: (
        User._default_manager.filter(pk=user)
        .annotate(**role_flags())
        .values_list(*_FIELDS, *_FLAGS)
    ),
    "user",
)


def user_with_roles(user_id: Any) -> User | None:
    """The user of this id with their roles remembered (`accounts.rules.remember_roles`), or
    None if there is none."""
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    using = User._default_manager.db
    row = _USER_WITH_ROLES.first(using=using, user=user_id)
    if row is None:
        return None
    user = User.from_db(using, _FIELDS, row[: len(_FIELDS)])
    remember_roles(user, dict(zip(_FLAGS, row[len(_FIELDS) :], strict=True)))
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
