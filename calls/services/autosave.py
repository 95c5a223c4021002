"""The autosave of one answer, at the pace of typing (issue #15's deadline rush: 200 people
saving at once).

A save that every check lets through is one statement in autocommit: an INSERT ... ON CONFLICT
whose row comes from a SELECT of the application that carries every check in its WHERE and locks
the application's row. Only when that statement writes nothing does a second, transactional path
read the application locked, say why (or save, should the clock or a submission have moved in
between) and write the application's flag when the edit starts its next version.

Against a concurrent submission (`submit_application` locks the same row, reads the answers,
writes the version): the statement takes the application's row lock before it writes the answer
and keeps it until it commits. If it locks first, the submission waits for the commit and its
version contains the answer. If the submission locks first, the statement waits, and PostgreSQL
then checks its WHERE again against the row the submission wrote: the application is now
submitted without unsubmitted changes, a case the statement leaves to the transactional path,
which saves the answer and marks the next version. Either way an acknowledged save is in a
submitted version or marked as a change after it, and a refused one wrote nothing.

Every statement is built and compiled once per process and database: building and compiling
the ORM's queries costs ten times what running them costs; only the ids, the clock and the text
change from one save to the next. The locked read is a `CompiledQuery`; the upserts are
INSERTs, which it does not build, so they are put together here (the checked one around a
compiled SELECT, its ids and clock found among its parameters as `CompiledQuery` finds them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import organisation_admin_memberships
from calls.models import Answer, Application, ApplicationState, Call, Question
from calls.services.applications import (
    LEAD_ADMIN_ONLY,
    _ensure_lead_admin,
    ensure_editable,
    mark_changed,
)
from minegap.core.compiled_queries import CompiledQuery, model_columns, prepared_cursor

MAX_ANSWER_LENGTH = 100_000  # autosave keeps what was typed; the limit is checked at submission

# The ids and the clock the checked upsert is compiled with, replaced by the real ones at each save.
_PLACEHOLDER_APPLICATION = -918_273_646
_PLACEHOLDER_QUESTION = -918_273_647
_PLACEHOLDER_USER = -918_273_648
_PLACEHOLDER_NOW = datetime(1901, 2, 3, 4, 5, 6, 918_273, tzinfo=UTC)
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


def _locked_read(application: int, question: int, user: int | None) -> QuerySet[Application]:
    """The refused (or version-starting) save's read: `_READ` of the application, its row
    locked."""
    return (
        Application.objects.select_for_update(of=("self",))
        .filter(pk=application)
        .order_by()
        .annotate(
            # `is_lead_admin`'s own definition (`is_organisation_admin`), asked here.
            actor_is_lead_admin=Exists(
                organisation_admin_memberships(
                    user=user, organisation=OuterRef("lead_organisation_id")
                )
            ),
            question_in_call=Exists(
                Question.objects.filter(pk=question, call_id=OuterRef("call_id"))
            ),
        )
        .values_list(*_READ)
    )


_LOCKED_READ = CompiledQuery(_locked_read, "application", "question", "user")


@dataclass(frozen=True)
class _Statements:
    upsert: str
    checked_upsert: str
    checked_params: list[Any]
    checked_application_positions: list[int]
    checked_question_positions: list[int]
    checked_user_positions: list[int]
    checked_now_positions: list[int]


_compiled: dict[str, _Statements] = {}


def _positions(params: list[Any], placeholder: Any) -> list[int]:
    return [index for index, value in enumerate(params) if value == placeholder]


def _checked_select(using: str):
    """The application's id when every check of a save passes, its row locked: editable, its
    call open (`Call.open_at_filter`), the actor an administrator of its lead, the question its
    call's; and the save does not start the next version (that write is the other path's)."""
    return (
        Application.objects.using(using)
        .select_for_update(of=("self",))
        .filter(
            Call.open_at_filter(_PLACEHOLDER_NOW, through="call__"),
            Exists(
                organisation_admin_memberships(
                    user=_PLACEHOLDER_USER, organisation=OuterRef("lead_organisation_id")
                )
            ),
            Exists(Question.objects.filter(pk=_PLACEHOLDER_QUESTION, call_id=OuterRef("call_id"))),
            pk=_PLACEHOLDER_APPLICATION,
            state__in=ApplicationState.editable(),
        )
        .exclude(state=ApplicationState.SUBMITTED, has_unsubmitted_changes=False)
        .order_by()  # one row: the model's ordering would only add a sort to the plan
        .values_list("id")
        .query
    )


def _compile(using: str) -> _Statements:
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(Answer._meta.db_table)
    columns = {
        name: quote(Answer._meta.get_field(name).column)
        for name in ("application", "question", "text", "updated_at")
    }
    # Insert or update, one statement (PostgreSQL and SQLite alike), no savepoint.
    on_conflict = (
        f"ON CONFLICT ({columns['application']}, {columns['question']}) DO UPDATE SET "
        f"{columns['text']} = EXCLUDED.{columns['text']}, "
        f"{columns['updated_at']} = EXCLUDED.{columns['updated_at']}"
    )
    names = (
        f"{columns['application']}, {columns['question']}, {columns['text']}, "
        f"{columns['updated_at']}"
    )
    upsert = f"INSERT INTO {table} ({names}) VALUES (%s, %s, %s, %s) {on_conflict}"  # noqa: S608 - the model's own names, every value a parameter
    checked_sql, checked_params = _checked_select(using).get_compiler(using).as_sql()
    checked_params = list(checked_params)
    # SQLite reads `ON CONFLICT` after a SELECT without WHERE as a join's: `WHERE true`.
    checked_upsert = (
        f"INSERT INTO {table} ({names}) SELECT {quote('checked')}.{quote('id')}, %s, %s, %s "  # noqa: S608 - as above
        f"FROM ({checked_sql}) {quote('checked')} WHERE true {on_conflict}"
    )
    return _Statements(
        upsert=upsert,
        checked_upsert=checked_upsert,
        checked_params=checked_params,
        checked_application_positions=_positions(checked_params, _PLACEHOLDER_APPLICATION),
        checked_question_positions=_positions(checked_params, _PLACEHOLDER_QUESTION),
        checked_user_positions=_positions(checked_params, _PLACEHOLDER_USER),
        checked_now_positions=_positions(
            checked_params, connection.ops.adapt_datetimefield_value(_PLACEHOLDER_NOW)
        ),
    )


def _statements(using: str) -> _Statements:
    if using not in _compiled:
        # Django refuses to compile a lock outside a transaction, where it would end with its
        # statement: the checked upsert's lock is meant to last exactly its statement.
        with transaction.atomic(using=using):
            _compiled[using] = _compile(using)
    return _compiled[using]


def _from_db(model, using: str, values: dict[str, Any]):
    """An instance of `model` as the ORM loads one with only these columns (the others
    deferred): `from_db` wants them in the model's order."""
    names = model_columns(model, *values)
    return model.from_db(using, names, [values[name] for name in names])


def _locked_application(
    using: str, application_id: int, question_id: int, actor: User
) -> tuple[Application, bool, bool]:
    """The application (its checked columns, its call's clock, its lead's id), locked; whether
    `actor` administers its lead; whether the question is one of its call's. Raises
    `Application.DoesNotExist`."""
    row = _LOCKED_READ.first(
        using=using,
        application=application_id,
        question=question_id,
        user=actor.pk if actor.is_authenticated else None,  # anonymous: no membership
    )
    if row is None:
        raise Application.DoesNotExist(f"Application {application_id} does not exist.")
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


def _save_if_every_check_passes(
    statements: _Statements,
    using: str,
    *,
    application_id: int,
    question_id: int,
    text: str,
    user_id: int,
    now: datetime,
) -> bool:
    """The one statement (see the module's docstring); whether it wrote the answer."""
    connection = connections[using]
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = list(statements.checked_params)
    for positions, value in (
        (statements.checked_application_positions, application_id),
        (statements.checked_question_positions, question_id),
        (statements.checked_user_positions, user_id),
        (statements.checked_now_positions, stamp),
    ):
        for position in positions:
            params[position] = value
    with prepared_cursor(using) as cursor:
        cursor.execute(statements.checked_upsert, [question_id, text, stamp, *params])
        return cursor.rowcount == 1


def autosave_answer(*, application_id: int, question_id: int, text: str, actor: User) -> Answer:
    """Autosave of one answer, at the pace of typing: when every check passes, one statement that
    locks the application's row against a concurrent submission and writes the answer's row (an
    insert or an update). Otherwise one transaction that reads the application once, locked
    (with only the columns the checks read of it, its call and its lead, whether the actor
    administers the lead (`is_lead_admin`'s definition, as for every edit) and whether the
    question is one of its call's), refuses, or writes the answer and, when this edit starts the
    next version, the application. No ledger entry; nothing typed is refused for being long (the
    length is checked at submission).

    Raises `Application.DoesNotExist`, `Question.DoesNotExist` (also for another call's
    question), `PermissionDenied` (not an administrator of the lead), `ValidationError`."""
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValidationError(_("The answer is far too long to be saved."))
    using = Answer.objects.db
    statements = _statements(using)
    now = timezone.now()
    if actor.is_authenticated and _save_if_every_check_passes(
        statements,
        using,
        application_id=application_id,
        question_id=question_id,
        text=text,
        user_id=actor.pk,
        now=now,
    ):
        return Answer(
            application_id=application_id, question_id=question_id, text=text, updated_at=now
        )
    with transaction.atomic(using=using):
        application, lead_admin, question_in_call = _locked_application(
            using, application_id, question_id, actor
        )
        if not lead_admin:
            raise PermissionDenied(LEAD_ADMIN_ONLY)
        if not question_in_call:
            raise Question.DoesNotExist(f"Question {question_id} is not one of this call's.")
        ensure_editable(application, now=now)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(
                statements.upsert,
                [application_id, question_id, text, connection.ops.adapt_datetimefield_value(now)],
            )
        mark_changed(application)
    return Answer(application=application, question_id=question_id, text=text, updated_at=now)
