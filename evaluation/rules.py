"""Who may do what in the evaluation (django-rules). When an action is allowed now is in
`evaluation.preconditions`."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import by_role, is_committee_member, is_consortium_staff, is_evaluator
from evaluation.models import Assignment, AssignmentState
from minegap.ledger.labels import register_action_labels


@rules.predicate
def has_accepted_declaration(user) -> bool:
    """The evaluator accepted the confidentiality and no-conflict declaration."""
    if not getattr(user, "is_authenticated", False):
        return False
    profile = getattr(user, "evaluator_profile", None)
    return profile is not None and profile.declaration_accepted_at is not None


@rules.predicate
def can_read_proposal(user, application) -> bool:
    """Assigned to it, declared no conflict (accepted), and not removed since."""
    if not getattr(user, "is_authenticated", False) or application is None:
        return False
    return Assignment.objects.filter(
        application=application,
        evaluator=user,
        state__in=[AssignmentState.ACCEPTED, AssignmentState.SCORED],
    ).exists()


@rules.predicate
def attended_session(user, session) -> bool:
    """Recorded present at this committee session."""
    if not getattr(user, "is_authenticated", False) or session is None:
        return False
    return session.attendance.filter(member=user).exists()


is_active_evaluator = is_evaluator & has_accepted_declaration

rules.add_perm("evaluation.manage", by_role(is_consortium_staff))
rules.add_perm("evaluation.view_ranking", by_role(is_consortium_staff | is_committee_member))
rules.add_perm("evaluation.vote", by_role(is_committee_member))
# The evaluator's area (its declaration page included); its proposals need the declaration.
rules.add_perm("evaluation.evaluate", by_role(is_evaluator))
rules.add_perm("evaluation.evaluate_proposals", by_role(is_active_evaluator))
rules.add_perm("evaluation.read_proposal", by_role(is_active_evaluator & can_read_proposal))
# A session's minutes: staff, and the committee members who sat in that session.
rules.add_perm(
    "evaluation.view_minutes",
    by_role(is_consortium_staff | (is_committee_member & attended_session)),
)

register_action_labels(
    {
        "evaluation.eligibility.checked": _("Eligibility checks computed"),
        "evaluation.eligibility.decided": _("Eligibility decided"),
        "evaluation.evaluator.invited": _("Evaluator invited"),
        "evaluation.evaluator.joined": _("Evaluator joined"),
        "evaluation.evaluator.declaration_accepted": _(
            "Evaluator accepted the confidentiality declaration"
        ),
        "evaluation.settings.changed": _("Evaluation settings changed"),
        "evaluation.assignment.automatic": _("Automatic assignment run"),
        "evaluation.assignment.requested": _("Automatic assignment asked for"),
        "evaluation.assignment.failed": _("Automatic assignment failed"),
        "evaluation.assignment.added": _("Evaluator assigned by hand"),
        "evaluation.assignment.removed": _("Assignment removed"),
        "evaluation.assignment.released": _("Open assignment released (evaluator erased)"),
        "evaluation.assignment.accepted": _("No conflict of interest declared"),
        "evaluation.assignment.conflict_declared": _("Conflict of interest declared"),
        "evaluation.scores.submitted": _("Scores submitted"),
        "evaluation.scores.reopened": _("Scores reopened"),
        "evaluation.consensus.opened": _("Consensus step opened"),
        "evaluation.consensus.proposed": _("Consensus proposed"),
        "evaluation.consensus.answered": _("Consensus answered"),
        "evaluation.decision.opened": _("Decision session opened"),
        "evaluation.decision.attendance": _("Committee attendance recorded"),
        "evaluation.decision.proposed": _("Committee proposal changed"),
        "evaluation.decision.voting_opened": _("Committee vote opened"),
        "evaluation.decision.returned_to_proposal": _(
            "Committee vote cancelled, back to the proposal"
        ),
        "evaluation.decision.vote": _("Committee vote cast"),
        "evaluation.decision.adopted": _("Committee decision adopted"),
        "evaluation.decision.not_adopted": _("Committee decision not adopted"),
        "evaluation.decision.reserve_promoted": _("Reserve moved up"),
        "evaluation.decision.reserve_exhausted": _("No reserve could move up"),
        "evaluation.results.published": _("Results published to applicants"),
        "evaluation.esr.sent": _("Evaluation Summary Report sent"),
        "evaluation.complaint.filed": _("Complaint filed"),
        "evaluation.complaint.under_review": _("Complaint under review"),
        "evaluation.complaint.upheld": _("Complaint upheld"),
        "evaluation.complaint.dismissed": _("Complaint dismissed"),
        "evaluation.complaint.eligibility_reinstated": _(
            "Eligibility reinstated after a complaint"
        ),
    }
)
