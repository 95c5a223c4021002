"""Who may do what in the evaluation (django-rules), and when a staff action is allowed now.

The ``*_refusal`` functions answer why an action is refused now (one line), or ``None`` when it
is allowed. The service raises that line; the page shows the button only when it is ``None`` and
the line otherwise, so the button and the refusal cannot disagree.
"""

from datetime import datetime

import rules
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_committee_member, is_consortium_staff, is_evaluator
from calls.models import Application, ApplicationState, Call, CallState
from evaluation.models import (
    Assignment,
    AssignmentState,
    DecisionEntry,
    DecisionSession,
    DecisionState,
)
from evaluation.selectors_decision import (
    call_has_active_session,
    call_has_adopted_decision,
    proposal_problems,
)
from minegap.ledger.labels import register_action_labels

#: Applications that take evaluators.
ASSIGNABLE_STATES = (ApplicationState.ELIGIBLE, ApplicationState.UNDER_EVALUATION)
#: Applications whose evaluation is over.
EVALUATED_STATES = (
    ApplicationState.EVALUATED,
    ApplicationState.SELECTED,
    ApplicationState.RESERVE,
    ApplicationState.REJECTED,
    ApplicationState.FUNDED,
)


def eligibility_checks_refusal(call: Call, now: datetime) -> str | None:
    """Why the automatic eligibility checks cannot run now: before the deadline, or when no
    submitted application waits for a decision (every one is decided)."""
    if call.closes_at is None or now < call.closes_at:
        return gettext("Eligibility is checked after the deadline.")
    # A decision moves the application out of `submitted`: what is left waits for one.
    if not Application.objects.filter(call=call, state=ApplicationState.SUBMITTED).exists():
        return gettext("No submitted application waits for an eligibility decision.")
    return None


def auto_assignment_refusal(call: Call) -> str | None:
    """Why the automatic assignment cannot run now: no application waits for evaluators (none
    decided eligible yet, or the evaluation is over)."""
    states = set(Application.objects.filter(call=call).values_list("state", flat=True))
    if states & set(ASSIGNABLE_STATES):
        return None
    if states & set(EVALUATED_STATES):
        return gettext("The evaluation of this call is over: no application waits for evaluators.")
    return gettext("No eligible application waits for evaluators: decide eligibility first.")


def decision_session_refusal(call: Call, now: datetime) -> str | None:
    """Why staff cannot open a decision session on the call now (its state and its sessions;
    `ranking_refusal` says whether the ranking is ready)."""
    if call_has_adopted_decision(call.pk):
        return gettext("The committee has already adopted a decision on this call.")
    state = call.state_at(now)
    if state not in (CallState.CLOSED, CallState.EVALUATING):
        return gettext(
            "A decision session needs a call under evaluation; this call is “%(state)s”."
        ) % {"state": CallState(state).label}
    if call_has_active_session(call.pk):
        return gettext("A decision session is already open for this call.")
    return None


def ranking_refusal(rows, pending) -> str | None:
    """Why the committee cannot decide on this ranking (`evaluation.results.call_ranking`'s
    rows and pending applications) yet."""
    if pending:
        return gettext("The ranking is not complete: %(refs)s still pending.") % {
            "refs": ", ".join(p.application.reference or str(p.application.pk) for p in pending)
        }
    if not rows:
        return gettext("The call has no ranked application to decide on.")
    not_evaluated = [
        r.result.application.reference
        for r in rows
        if r.result.application.state != ApplicationState.EVALUATED
    ]
    if not_evaluated:
        return gettext("Mark these applications as evaluated first: %(refs)s.") % {
            "refs": ", ".join(not_evaluated)
        }
    return None


def _name(user) -> str:
    return user.full_name or user.email


def open_voting_refusal(
    session: DecisionSession, present: int, entries: list[DecisionEntry]
) -> str | None:
    """Staff open the vote on an open session once the quorum is present and the proposal
    has no problem (`entries`: the session's, with their applications)."""
    if session.state != DecisionState.OPEN:
        return gettext("Voting can only open on an open session.")
    if present < session.quorum:
        return gettext(
            "%(present)d members present; the quorum is %(quorum)d: record who is present first."
        ) % {"present": present, "quorum": session.quorum}
    problems = proposal_problems(entries, session.call.total_budget)
    if problems:
        return " ".join(str(p) for p in problems)
    return None


def vote_refusal(session: DecisionSession, member, present_ids: set[int]) -> str | None:
    """Why a committee member cannot vote now: the vote is not open, or staff did not record
    them as present (attendance is fixed when the vote opens)."""
    if session.state == DecisionState.OPEN:
        return gettext("The vote is not open yet: staff record who is present, then open the vote.")
    if session.state != DecisionState.VOTING:
        return gettext("The vote is closed.")
    if member.pk not in present_ids:
        return gettext(
            "You are not recorded as present: only members recorded as present vote, and "
            "attendance was fixed when the vote opened."
        )
    return None


def missing_voters(session: DecisionSession) -> list:
    """Present members who have not voted, by name."""
    voted = set(session.votes.values_list("member_id", flat=True))
    return sorted(
        (a.member for a in session.attendance.select_related("member") if a.member_id not in voted),
        key=lambda m: (_name(m), m.pk),
    )


def close_vote_refusal(session: DecisionSession, confirmed_missing) -> str | None:
    """Closing is final: staff close a voting session, and when present members have not
    voted they confirm, naming each of them, that the vote closes without them."""
    if session.state != DecisionState.VOTING:
        return gettext("Only a voting session can be closed.")
    confirmed = {int(pk) for pk in confirmed_missing}
    unconfirmed = [m for m in missing_voters(session) if m.pk not in confirmed]
    if unconfirmed:
        return gettext(
            "Not voted yet: %(names)s. Confirm that the vote closes without their votes, or "
            "wait for them."
        ) % {"names": ", ".join(_name(m) for m in unconfirmed)}
    return None


def scores_frozen_refusal(call_id: int) -> str | None:
    """Scores and consensus are frozen once the committee adopted the call's decision, and
    while a session decides on them (its proposal is the ranking as it stood when it opened)."""
    if call_has_adopted_decision(call_id):
        return gettext(
            "The committee's decision on this call is adopted: its scores can no longer change."
        )
    if call_has_active_session(call_id):
        return gettext(
            "Scores cannot change while the committee decides on this call: close its "
            "session first (not adopted)."
        )
    return None


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


is_active_evaluator = is_evaluator & has_accepted_declaration

rules.add_perm("evaluation.manage", is_consortium_staff)
rules.add_perm("evaluation.view_ranking", is_consortium_staff | is_committee_member)
rules.add_perm("evaluation.vote", is_committee_member)
# The evaluator's area (its declaration page included); its proposals need the declaration.
rules.add_perm("evaluation.evaluate", is_evaluator)
rules.add_perm("evaluation.evaluate_proposals", is_active_evaluator)
rules.add_perm("evaluation.read_proposal", is_active_evaluator & can_read_proposal)

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
        "evaluation.assignment.added": _("Evaluator assigned by hand"),
        "evaluation.assignment.removed": _("Assignment removed"),
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
