"""The consensus step of a divergent application (staff open it; a rapporteur proposes; the
other evaluators agree or comment), where the call settles divergences by consensus. Adding an
extra evaluator is `assignment.add_assignment`; `results` says when that settles a divergence."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from calls.models import Application
from calls.results_cache import results_changed
from evaluation.models import (
    Assignment,
    AssignmentState,
    Consensus,
    ConsensusAgreement,
    ConsensusScore,
    ConsensusState,
)
from evaluation.results import SETTLED_BY_EXTRA_EVALUATOR, call_results
from evaluation.scoring_rules import validate_justification, validate_score
from evaluation.services.common import ensure_not_decided, require_staff
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

MIN_COMMENT = 20


def _scored_evaluators(application: Application) -> list[User]:
    return [
        a.evaluator
        for a in Assignment.objects.filter(
            application=application, state=AssignmentState.SCORED
        ).select_related("evaluator")
    ]


def open_consensus(*, application: Application, rapporteur: User, actor: User) -> Consensus:
    """Staff choose the consensus step for a divergent application and name its rapporteur."""
    require_staff(actor)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        ensure_not_decided(application.call_id)
        result = next(iter(call_results(application.call, application=application)), None)
        if result is None or not result.all_scored:
            raise ValidationError(_("Every evaluator must submit their scores first."))
        if not result.divergent:
            raise ValidationError(_("The evaluators do not diverge: no consensus step needed."))
        if not application.call.divergence_by_consensus:
            raise ValidationError(
                _("This call settles divergences with an additional evaluator, not by consensus.")
            )
        if result.settled_by == SETTLED_BY_EXTRA_EVALUATOR:
            raise ValidationError(_("An additional evaluator already settled this divergence."))
        if Consensus.objects.filter(application=application).exists():
            raise ValidationError(_("A consensus step is already open for this application."))
        evaluators = _scored_evaluators(application)
        if rapporteur not in evaluators:
            raise ValidationError(_("The rapporteur must be one of the application's evaluators."))
        consensus = Consensus.objects.create(
            application=application, rapporteur=rapporteur, opened_by=actor
        )
        results_changed(application.call_id)  # an opened step settles the divergence
        enqueue(
            template="evaluation/consensus_opened",
            subject=_("A consensus step needs you on MineGap"),
            recipients=evaluators,
            context={"reference": application.reference},
        )
        record(
            action="evaluation.consensus.opened",
            target=application,
            actor=actor,
            data={"rapporteur": rapporteur.pk},
        )
    return consensus


def propose_consensus(
    *,
    consensus: Consensus,
    actor: User,
    scores: dict[int, tuple[Decimal | str, str]],
    comment: str = "",
) -> Consensus:
    """The rapporteur proposes a score and a comment per criterion; earlier answers are reset."""
    with transaction.atomic():
        consensus = (
            Consensus.objects.select_for_update(of=("self",))
            .select_related("application__call")
            .get(pk=consensus.pk)
        )
        if consensus.rapporteur_id != actor.pk:
            raise PermissionDenied(_("Only the rapporteur proposes the consensus."))
        ensure_not_decided(consensus.application.call_id)
        if consensus.state == ConsensusState.CONCLUDED:
            raise ValidationError(_("This consensus is concluded."))
        criteria = list(consensus.application.call.criteria.all())
        errors: dict[str, list[str]] = {}
        clean = {}
        for criterion in criteria:
            value, text = scores.get(criterion.pk, (None, ""))
            try:
                if value in (None, ""):
                    raise ValidationError(_("Give a score."))
                clean[criterion.pk] = (
                    validate_score(value, max_score=criterion.max_score),
                    validate_justification(text, min_length=MIN_COMMENT),
                )
            except ValidationError as error:
                errors[str(criterion.pk)] = list(error.messages)
        if errors:
            raise ValidationError(errors)
        consensus.scores.all().delete()
        ConsensusScore.objects.bulk_create(
            ConsensusScore(consensus=consensus, criterion_id=pk, value=v, comment=c)
            for pk, (v, c) in clean.items()
        )
        consensus.agreements.all().delete()
        consensus.comment = (comment or "").strip()
        consensus.state = ConsensusState.PROPOSED
        consensus.proposed_at = timezone.now()
        consensus.save(update_fields=["comment", "state", "proposed_at"])
        results_changed(consensus.application.call_id)
        record(
            action="evaluation.consensus.proposed",
            target=consensus.application,
            actor=actor,
            data={"scores": {str(pk): str(v) for pk, (v, _c) in clean.items()}},
        )
    return consensus


def answer_consensus(
    *, consensus: Consensus, actor: User, agreed: bool, comment: str = ""
) -> Consensus:
    """Another evaluator agrees, or comments why not; all agree -> concluded (final scores)."""
    with transaction.atomic():
        consensus = (
            Consensus.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=consensus.pk)
        )
        ensure_not_decided(consensus.application.call_id)
        others = [
            e for e in _scored_evaluators(consensus.application) if e.pk != consensus.rapporteur_id
        ]
        if actor not in others:
            raise PermissionDenied(_("Only the application's other evaluators answer."))
        if consensus.state != ConsensusState.PROPOSED:
            raise ValidationError(_("There is no proposal to answer."))
        comment = (comment or "").strip()
        if not agreed and not comment:
            raise ValidationError(_("Say why you do not agree."))
        ConsensusAgreement.objects.update_or_create(
            consensus=consensus, evaluator=actor, defaults={"agreed": agreed, "comment": comment}
        )
        agreed_ids = set(
            consensus.agreements.filter(agreed=True).values_list("evaluator_id", flat=True)
        )
        if {e.pk for e in others} <= agreed_ids:
            consensus.state = ConsensusState.CONCLUDED
            consensus.concluded_at = timezone.now()
            consensus.save(update_fields=["state", "concluded_at"])
            results_changed(consensus.application.call_id)
        record(
            action="evaluation.consensus.answered",
            target=consensus.application,
            actor=actor,
            data={"agreed": agreed, "concluded": consensus.state == ConsensusState.CONCLUDED},
        )
    return consensus
