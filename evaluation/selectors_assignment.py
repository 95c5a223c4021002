"""Reads of the staff's assignment pages: the evaluator pool, the automatic assignment runs."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from accounts import roles
from accounts.models import User
from evaluation.models import AssignmentRun, AssignmentRunStage
from evaluation.models.runs import run_stage_key


def active_evaluators() -> QuerySet[User]:
    """Evaluators who accepted the declaration: the query form of
    `evaluation.rules.has_accepted_declaration` (the pool, the staff's evaluator choices)."""
    return User.objects.filter(
        groups__name=roles.EVALUATOR, evaluator_profile__declaration_accepted_at__isnull=False
    )


# The stages of a run in order, for its progress bar (waiting for a worker is step 0).
RUN_STEPS = [
    AssignmentRunStage.WAITING,
    AssignmentRunStage.READING,
    AssignmentRunStage.SOLVING,
    AssignmentRunStage.WRITING,
]


def latest_assignment_run(call_id: int) -> AssignmentRun | None:
    """The call's last automatic assignment run (in progress or finished), if any."""
    return AssignmentRun.objects.filter(call_id=call_id).order_by("-created_at", "-pk").first()


def run_stage(run: AssignmentRun) -> AssignmentRunStage:
    """What a run in progress is doing now, as its task last told (the cache): waiting for a
    worker until it says otherwise."""
    stored = cache.get(run_stage_key(run.pk)) if run.in_progress else None
    return AssignmentRunStage(stored) if stored in AssignmentRunStage.values else RUN_STEPS[0]
