"""When a staff or committee action of the evaluation is allowed now.

Each ``*_refusal`` function answers why the action is refused now (one line), or ``None`` when it
is allowed. The service raises that line; the page shows the button only when it is ``None`` and
the line otherwise, so the button and the refusal cannot disagree.
"""

from collections.abc import Sequence
from datetime import datetime

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from calls.models import Application, ApplicationState, Call, CallState
from evaluation.models import DecisionEntry, DecisionSession, DecisionState
from evaluation.selectors_decision import proposal_problems, session_states

#: A refusal names this many applications at most; beyond, it counts them.
NAMED_AT_MOST = 10
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
    sessions = session_states(call.pk)
    if DecisionState.ADOPTED in sessions:
        return gettext("The committee has already adopted a decision on this call.")
    state = call.state_at(now)
    if state not in (CallState.CLOSED, CallState.EVALUATING):
        return gettext(
            "A decision session needs a call under evaluation; this call is “%(state)s”."
        ) % {"state": CallState(state).label}
    if sessions.intersection(DecisionState.active()):
        return gettext("A decision session is already open for this call.")
    return None


def ranking_refusal(rows, pending) -> str | None:
    """Why the committee cannot decide on this ranking (`evaluation.results.call_ranking`'s
    rows and pending applications) yet."""
    return ranking_facts_refusal(
        pending=[p.reference or str(p.application_id) for p in pending],
        ranked=len(rows),
        not_evaluated=[
            r.result.reference for r in rows if r.result.state != ApplicationState.EVALUATED
        ],
    )


def ranking_facts_refusal(
    *, pending: Sequence[str], ranked: int, not_evaluated: Sequence[str]
) -> str | None:
    """`ranking_refusal` from the facts a stored ranking keeps: the references still pending,
    how many are ranked, and the references of the ranked ones not marked as evaluated. Up to
    `NAMED_AT_MOST` references are named; more are counted (a call of 3,000 applications
    printed 1,303 references in one sentence; the ranking page links to the list of them)."""
    if pending:
        if len(pending) > NAMED_AT_MOST:
            return ngettext(
                "The ranking is not complete: %(n)s application still pending.",
                "The ranking is not complete: %(n)s applications still pending.",
                len(pending),
            ) % {"n": number_format(len(pending))}
        return gettext("The ranking is not complete: %(refs)s still pending.") % {
            "refs": ", ".join(pending)
        }
    if not ranked:
        return gettext("The call has no ranked application to decide on.")
    if not_evaluated:
        if len(not_evaluated) > NAMED_AT_MOST:
            return ngettext(
                "Mark the %(n)s ranked application as evaluated first.",
                "Mark the %(n)s ranked applications as evaluated first.",
                len(not_evaluated),
            ) % {"n": number_format(len(not_evaluated))}
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
    sessions = session_states(call_id)
    if DecisionState.ADOPTED in sessions:
        return gettext(
            "The committee's decision on this call is adopted: its scores can no longer change."
        )
    if sessions.intersection(DecisionState.active()):
        return gettext(
            "Scores cannot change while the committee decides on this call: close its "
            "session first (not adopted)."
        )
    return None
