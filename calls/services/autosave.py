"""The autosave of one answer, at the pace of typing (issue #15's deadline rush: 200 people
saving at once).

Its two statements, the locked read and the upsert, are built and compiled once per process
and database, as the staff tab bar's query is (`calls.tab_counts`): building and compiling the
ORM's read (a join, a subquery, the lock) and its upsert cost about 2.5 ms of CPU per save, ten
times what running them costs; only the ids and the text change from one save to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import organisation_admin_memberships
from calls.models import Answer, Application, Call, Question
from calls.services.applications import (
    LEAD_ADMIN_ONLY,
    _ensure_lead_admin,
    ensure_editable,
    mark_changed,
)

MAX_ANSWER_LENGTH = 100_000  # autosave keeps what was typed; the limit is checked at submission

# The ids the read is compiled with, replaced by the real ones at each save.
_PLACEHOLDER_APPLICATION = -918_273_646
_PLACEHOLDER_QUESTION = -918_273_647
_PLACEHOLDER_USER = -918_273_648
# What the autosave reads: the checks (state, call's clock, whether the actor administers the
# lead, the question's call) and the flag `mark_changed` writes; the application's row is locked
# against a concurrent submission.
_APPLICATION_COLUMNS = ("id", "state", "has_unsubmitted_changes", "updated_at")
_CALL_COLUMNS = ("state", "opens_at", "closes_at", "time_zone")
_READ = (
    *_APPLICATION_COLUMNS,
    "lead_organisation_id",
    "call_id",
    *(f"call__{name}" for name in _CALL_COLUMNS),
    "actor_is_lead_admin",
    "question_in_call",
)


@dataclass(frozen=True)
class _Statements:
    read: str
    read_params: list[Any]
    application_position: int
    question_position: int
    user_position: int
    converters: Any  # the read's columns as the ORM converts them (SQLite's dates, booleans)
    compiler: Any
    upsert: str


_compiled: dict[str, _Statements] = {}


def _statements(using: str) -> _Statements:
    if using not in _compiled:
        query = (
            Application.objects.using(using)
            .select_for_update(of=("self",))
            .filter(pk=_PLACEHOLDER_APPLICATION)
            .annotate(
                # `is_lead_admin`'s own definition (`is_organisation_admin`), asked here.
                actor_is_lead_admin=Exists(
                    organisation_admin_memberships(
                        user=_PLACEHOLDER_USER, organisation=OuterRef("lead_organisation_id")
                    )
                ),
                question_in_call=Exists(
                    Question.objects.filter(pk=_PLACEHOLDER_QUESTION, call_id=OuterRef("call_id"))
                ),
            )
            .values_list(*_READ)
            .query
        )
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        params = list(params)
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        quote = connections[using].ops.quote_name
        columns = {
            name: quote(Answer._meta.get_field(name).column)
            for name in ("application", "question", "text", "updated_at")
        }
        # One statement, insert or update (PostgreSQL and SQLite alike), no savepoint.
        upsert = (
            f"INSERT INTO {quote(Answer._meta.db_table)} ({columns['application']}, "  # noqa: S608 - the model's own names, every value a parameter
            f"{columns['question']}, {columns['text']}, {columns['updated_at']}) "
            f"VALUES (%s, %s, %s, %s) ON CONFLICT ({columns['application']}, "
            f"{columns['question']}) DO UPDATE SET {columns['text']} = EXCLUDED.{columns['text']}, "
            f"{columns['updated_at']} = EXCLUDED.{columns['updated_at']}"
        )
        _compiled[using] = _Statements(
            read=sql,
            read_params=params,
            application_position=params.index(_PLACEHOLDER_APPLICATION),
            question_position=params.index(_PLACEHOLDER_QUESTION),
            user_position=params.index(_PLACEHOLDER_USER),
            converters=converters,
            compiler=compiler,
            upsert=upsert,
        )
    return _compiled[using]


def _from_db(model, using: str, values: dict[str, Any]):
    """An instance of `model` as the ORM loads one with only these columns (the others
    deferred): `from_db` wants them in the model's order."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(using, names, [values[name] for name in names])


def _locked_application(
    statements: _Statements, using: str, application_id: int, question_id: int, actor: User
) -> tuple[Application, bool, bool]:
    """The application (its checked columns, its call's clock, its lead's id), locked; whether
    `actor` administers its lead; whether the question is one of its call's. Raises
    `Application.DoesNotExist`."""
    params = list(statements.read_params)
    params[statements.application_position] = application_id
    params[statements.question_position] = question_id
    # Anonymous: no id, no membership.
    params[statements.user_position] = actor.pk if actor.is_authenticated else None
    with connections[using].cursor() as cursor:
        cursor.execute(statements.read, params)
        row = cursor.fetchone()
    if row is None:
        raise Application.DoesNotExist(f"Application {application_id} does not exist.")
    if statements.converters:
        (row,) = statements.compiler.apply_converters([list(row)], statements.converters)
    values = dict(zip(_READ, row, strict=True))
    application = _from_db(
        Application,
        using,
        {
            **{name: values[name] for name in _APPLICATION_COLUMNS},
            "lead_organisation_id": values["lead_organisation_id"],
            "call_id": values["call_id"],
        },
    )
    application.call = _from_db(
        Call,
        using,
        {"id": values["call_id"], **{name: values[f"call__{name}"] for name in _CALL_COLUMNS}},
    )
    application.lead_organisation = _from_db(
        Organisation, using, {"id": values["lead_organisation_id"]}
    )
    return application, bool(values["actor_is_lead_admin"]), bool(values["question_in_call"])


def save_answer(*, application: Application, question: Question, text: str, actor: User) -> Answer:
    """Save one answer (see `autosave_answer`)."""
    if question.call_id != application.call_id:
        _ensure_lead_admin(application, actor)  # a refusal first, as for any other edit
        raise ValidationError(_("This question belongs to another call."))
    return autosave_answer(
        application_id=application.pk, question_id=question.pk, text=text, actor=actor
    )


def autosave_answer(*, application_id: int, question_id: int, text: str, actor: User) -> Answer:
    """Autosave of one answer, at the pace of typing: one transaction that reads the application
    once (locked against a concurrent submission; with only the columns the checks read of it,
    its call and its lead, whether the actor administers the lead (`is_lead_admin`'s definition,
    as for every edit) and whether the question is one of its call's), writes one row (an insert or an update, one
    statement, no savepoint), and writes the application only when this edit starts its next
    version. No ledger entry; nothing typed is refused for being long (the length is checked at
    submission).

    Raises `Application.DoesNotExist`, `Question.DoesNotExist` (also for another call's
    question), `PermissionDenied` (not an administrator of the lead), `ValidationError`."""
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValidationError(_("The answer is far too long to be saved."))
    using = Answer.objects.db
    with transaction.atomic(using=using):
        statements = _statements(using)
        application, lead_admin, question_in_call = _locked_application(
            statements, using, application_id, question_id, actor
        )
        if not lead_admin:
            raise PermissionDenied(LEAD_ADMIN_ONLY)
        if not question_in_call:
            raise Question.DoesNotExist(f"Question {question_id} is not one of this call's.")
        ensure_editable(application)
        now = timezone.now()
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(
                statements.upsert,
                [application_id, question_id, text, connection.ops.adapt_datetimefield_value(now)],
            )
        mark_changed(application)
    return Answer(application=application, question_id=question_id, text=text, updated_at=now)
