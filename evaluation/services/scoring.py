"""Scoring: drafts, submission (locks the scores), staff reopening."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from calls.models import ApplicationState, Call
from calls.results_cache import results_changed
from calls.services import applications_transition
from evaluation.models import Assignment, AssignmentState, Score
from evaluation.results import call_results
from evaluation.scoring_rules import validate_justification, validate_score
from evaluation.services.common import ensure_not_decided, require_staff
from minegap.ledger.services import record

#: {criterion id: (score, justification)}; a draft may leave criteria out or half-written.
ScoreInput = dict[int, tuple[Decimal | str | None, str]]


def _locked_assignment(assignment: Assignment, actor: User) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__call")
        .get(pk=assignment.pk)
    )
    if assignment.evaluator_id != actor.pk:
        raise PermissionDenied(_("This is not your assignment."))
    if assignment.state == AssignmentState.SCORED:
        raise ValidationError(_("Your scores are submitted and locked."))
    if assignment.state != AssignmentState.ACCEPTED:
        raise PermissionDenied(_("Declare that you have no conflict of interest first."))
    return assignment


def save_scores(
    *, assignment: Assignment, actor: User, scores: ScoreInput, submit: bool = False
) -> Assignment:
    """Save the evaluator's scores as a draft, or submit them (every criterion, then locked).

    A draft keeps what is valid and reports the rest; a submission is all or nothing. Drafts
    are not ledger events; a submission is.
    """
    with transaction.atomic():
        assignment = _locked_assignment(assignment, actor)
        criteria = {c.pk: c for c in assignment.application.call.criteria.all()}
        unknown = set(scores) - set(criteria)
        if unknown:
            raise ValidationError(_("Unknown criterion."))
        errors: dict[str, list[str]] = {}
        clean: dict[int, tuple[Decimal, str]] = {}
        for criterion_id, criterion in criteria.items():
            value, text = scores.get(criterion_id, (None, ""))
            if value in (None, "") and not (text or "").strip() and not submit:
                continue
            try:
                if value in (None, ""):
                    raise ValidationError(_("Give a score."), code="required")
                score = validate_score(value, max_score=criterion.max_score)
                justification = validate_justification(text)
            except ValidationError as error:
                errors[str(criterion_id)] = list(error.messages)
                continue
            clean[criterion_id] = (score, justification)
        if errors and submit:
            raise ValidationError(errors)
        for criterion_id, (score, justification) in clean.items():
            Score.objects.update_or_create(
                assignment=assignment,
                criterion_id=criterion_id,
                defaults={"value": score, "justification": justification},
            )
        if submit:
            assignment.state = AssignmentState.SCORED
            assignment.submitted_at = timezone.now()
            assignment.save(update_fields=["state", "submitted_at"])
            results_changed(assignment.application.call_id)
            record(
                action="evaluation.scores.submitted",
                target=assignment,
                actor=actor,
                data={
                    "application": assignment.application_id,
                    "scores": {
                        criteria[cid].name: str(score) for cid, (score, _j) in clean.items()
                    },
                },
            )
    if errors:
        raise ValidationError(errors)
    return assignment


def reopen_scores(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """Staff unlock submitted scores (logged with the reason)."""
    require_staff(actor)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(_("Write why the scores are reopened (at least 10 characters)."))
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=assignment.pk)
        )
        ensure_not_decided(assignment.application.call_id)
        if assignment.state != AssignmentState.SCORED:
            raise ValidationError(_("Only submitted scores can be reopened."))
        assignment.state = AssignmentState.ACCEPTED
        assignment.submitted_at = None
        assignment.save(update_fields=["state", "submitted_at"])
        results_changed(assignment.application.call_id)
        record(
            action="evaluation.scores.reopened",
            target=assignment,
            actor=actor,
            data={"application": assignment.application_id},
            notes={"reason": reason},
        )
    return assignment


def mark_evaluated(*, call: Call, actor: User) -> int:
    """Move every application whose evaluation is complete (all scores submitted, divergence
    settled by consensus) from under evaluation to evaluated. Returns how many moved."""
    require_staff(actor)
    with transaction.atomic():
        complete = [
            result.application.pk
            for result in call_results(call)
            if result.complete and result.application.state == ApplicationState.UNDER_EVALUATION
        ]
        if not complete:
            return 0  # nothing moves: the call's results (and what is cached of them) stand
        # At once: one lock, one update, one change of the results version (issue #15: one
        # version change a moved application made the ranking be computed again as often).
        return applications_transition(
            call=call,
            from_state=ApplicationState.UNDER_EVALUATION,
            to_state=ApplicationState.EVALUATED,
            actor=actor,
            reason=_("Evaluation complete."),
            only=complete,
        )
