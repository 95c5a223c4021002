"""What the evaluation app erases when a person asks (registered in ``EvaluationConfig.ready``).

Scores, justifications, conflict declarations, consensus comments and committee votes stay:
they are the record of decisions (the ranking and the committee's frozen decision are computed
from them and must not move). They point at the account, which the erasure pseudonymises, so
they read "Evaluator 7f3a" from then on. The evaluator's own profile goes.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from evaluation.models import Assignment, DecisionVote, EvaluatorInvitation, EvaluatorProfile
from evaluation.services.assignment import release_open_assignments
from minegap.core.personal_data import ErasureOutcome, ErasureSection


def erase(user: User, now: datetime) -> ErasureOutcome:
    erased: list[str] = []
    profiles, _per_model = EvaluatorProfile.objects.filter(user=user).delete()
    if profiles:
        erased.append(_("Your evaluator profile: country, employer, keywords and expertise"))

    invitations = EvaluatorInvitation.objects.filter(email__iexact=user.email)
    opened, _per_model = invitations.filter(accepted_at__isnull=True).delete()
    answered = invitations.exclude(email="").update(email="")
    if opened or answered:
        erased.append(
            ngettext(
                "%(count)d invitation to evaluate sent to your address",
                "%(count)d invitations to evaluate sent to your address",
                opened + answered,
            )
            % {"count": opened + answered}
        )

    released = release_open_assignments(evaluator=user)
    if released:
        erased.append(
            ngettext(
                "%(count)d assignment you had not submitted: handed back for reassignment",
                "%(count)d assignments you had not submitted: handed back for reassignment",
                released,
            )
            % {"count": released}
        )
    assignments = Assignment.objects.filter(evaluator=user).count()
    if assignments:
        erased.append(
            ngettext(
                "%(count)d evaluation (scores, comments, conflict declarations): kept as the "
                "record of the decision, under your pseudonym",
                "%(count)d evaluations (scores, comments, conflict declarations): kept as the "
                "record of the decisions, under your pseudonym",
                assignments,
            )
            % {"count": assignments}
        )
    votes = DecisionVote.objects.filter(member=user).count()
    if votes:
        erased.append(
            ngettext(
                "%(count)d committee vote: kept as the record of the decision, under your "
                "pseudonym",
                "%(count)d committee votes: kept as the record of the decisions, under your "
                "pseudonym",
                votes,
            )
            % {"count": votes}
        )
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="evaluation", erase=erase)
