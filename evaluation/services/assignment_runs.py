"""Staff ask for the automatic assignment: a run, done by a Celery task after the commit (at
2,000 applications it takes seconds, longer than a request should); the page polls the run."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from calls.models import Call
from evaluation import tasks
from evaluation.models import AssignmentRun, AssignmentRunStatus
from evaluation.preconditions import auto_assignment_refusal
from evaluation.services.common import require_staff
from minegap.ledger.services import record


def request_auto_assignment(*, call: Call, actor: User) -> AssignmentRun:
    """Queue a run of `run_auto_assignment` for `call`. Refused (ValidationError) when the call
    has no application waiting for evaluators, or while a run of it is in progress."""
    require_staff(actor)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        refusal = auto_assignment_refusal(call)
        if refusal:
            raise ValidationError(refusal)
        _give_up_abandoned(call, actor)
        if AssignmentRun.objects.filter(
            call=call, status__in=AssignmentRunStatus.in_progress()
        ).exists():
            raise ValidationError(_("An automatic assignment of this call is already running."))
        run = AssignmentRun.objects.create(call=call, requested_by=actor)
        record(
            action="evaluation.assignment.requested",
            target=call,
            actor=actor,
            data={"run": run.pk},
        )
        run_id = run.pk
        transaction.on_commit(lambda: tasks.run_auto_assignment.delay(run_id), robust=True)
    return run


# A run still in progress this long after it was asked for was lost (the broker was down when it
# was queued, or its worker died): it would otherwise block the call's next run for ever.
ABANDONED_AFTER = timedelta(minutes=30)


def _give_up_abandoned(call: Call, actor: User) -> None:
    abandoned = list(
        AssignmentRun.objects.select_for_update().filter(
            call=call,
            status__in=AssignmentRunStatus.in_progress(),
            created_at__lt=timezone.now() - ABANDONED_AFTER,
        )
    )
    for run in abandoned:
        run.status = AssignmentRunStatus.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        record(
            action="evaluation.assignment.failed",
            target=call,
            actor=actor,
            data={"run": run.pk, "abandoned": True},
        )
