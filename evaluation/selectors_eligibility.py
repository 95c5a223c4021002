"""Reads of the staff's eligibility pages."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from accounts.models import User
from calls.models import Application, ApplicationState, Call
from evaluation.models import EligibilityCheck
from minegap.core.compiled_queries import LARGEST_ID, CompiledQuery, model_columns

# Every submitted application, also once it went past eligibility (under evaluation, decided,
# funded): the checklist stays the record of what was decided.
ELIGIBILITY_STATES = tuple(sorted(ApplicationState.submitted_states()))


_JOINED = (
    (Application, model_columns(Application)),
    (Call, model_columns(Call, path="call__")),
    (EligibilityCheck, model_columns(EligibilityCheck, path="eligibility_check__")),
    (User, model_columns(User, path="eligibility_check__decided_by__")),
)
# Built and compiled once per process, only the id changes (issue #15: the ORM spent 1.7 ms of
# CPU building and compiling this join of about 80 columns, which runs in a tenth of that).
_DETAIL = CompiledQuery(
    lambda application: (
        Application.objects.filter(pk=application, state__in=ELIGIBILITY_STATES)
        .order_by()
        .values_list(*(column for _model, columns in _JOINED for column in columns))
    ),
    "application",
)


def eligibility_application(slug: str, pk: int) -> Application | None:
    """The submitted application `pk` of the call `slug`, with its call, its eligibility check
    and who decided it, as `select_related("call", "eligibility_check__decided_by")` gives
    them; None when there is no such application."""
    if not 0 < pk <= LARGEST_ID:  # what the ORM answers without asking the database
        return None
    row = _DETAIL.first(application=pk)
    if row is None:
        return None
    instances, start = [], 0
    for model, columns in _JOINED:
        values = row[start : start + len(columns)]
        start += len(columns)
        # A missing check (or decider) is a row of NULLs from the outer join.
        instances.append(
            None if values[0] is None else model.from_db(DEFAULT_DB_ALIAS, columns, values)
        )
    application, call, check, decider = instances
    if call.slug != slug:
        return None
    application.call = call
    if check is not None:
        check.decided_by = decider
        check.application = application
    Application.eligibility_check.related.set_cached_value(application, check)
    return application
