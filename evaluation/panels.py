"""The evaluation app's dashboard panels: evaluators' assignments, the committee's sessions,
staff's evaluation work per call, and the results link on an applicant's application row."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from calls.models import Application, ApplicationState, Call, CallState
from evaluation.models import (
    Assignment,
    AssignmentState,
    Complaint,
    ComplaintState,
    Consensus,
    ConsensusAgreement,
    ConsensusState,
    DecisionAttendance,
    DecisionSession,
    DecisionState,
    DecisionVote,
    EvaluatorProfile,
    ResultsPublication,
)
from minegap.core import slots

RESULTS_STATES = (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED)
DECIDED_APPLICATION_STATES = (
    ApplicationState.SELECTED,
    ApplicationState.FUNDED,
    ApplicationState.RESERVE,
    ApplicationState.REJECTED,
    ApplicationState.INELIGIBLE,
)


def evaluator_panel(request: HttpRequest) -> dict:
    user = request.user
    profile = EvaluatorProfile.objects.filter(user=user).first()
    assignments = list(
        Assignment.objects.filter(evaluator=user)
        .exclude(state=AssignmentState.DECLINED)
        .select_related("application__call")
        .order_by("application__call_id", "application__reference", "pk")
    )
    application_ids = [a.application_id for a in assignments]
    answered = set(
        ConsensusAgreement.objects.filter(evaluator=user).values_list("consensus_id", flat=True)
    )
    consensus_work = [
        consensus
        for consensus in Consensus.objects.filter(
            application_id__in=application_ids,
            state__in=[ConsensusState.OPEN, ConsensusState.PROPOSED],
        ).select_related("application")
        if (consensus.state == ConsensusState.OPEN and consensus.rapporteur_id == user.pk)
        or (consensus.state == ConsensusState.PROPOSED and consensus.pk not in answered)
    ]
    by_application = {a.application_id: a for a in assignments}
    return {
        "declaration_signed": bool(profile and profile.declaration_accepted_at),
        "to_declare": [a for a in assignments if a.state == AssignmentState.PROPOSED],
        "to_score": [a for a in assignments if a.state == AssignmentState.ACCEPTED],
        "submitted": [a for a in assignments if a.state == AssignmentState.SCORED],
        "consensus": [(c, by_application[c.application_id]) for c in consensus_work],
    }


@dataclass(frozen=True)
class SessionItem:
    session: DecisionSession
    present: bool
    voted: bool


def committee_panel(request: HttpRequest) -> dict:
    user = request.user
    sessions = list(
        DecisionSession.objects.filter(state__in=DecisionState.active())
        .select_related("call")
        .order_by("opened_at")
    )
    ids = [s.pk for s in sessions]
    present = set(
        DecisionAttendance.objects.filter(session_id__in=ids, member=user).values_list(
            "session_id", flat=True
        )
    )
    voted = set(
        DecisionVote.objects.filter(session_id__in=ids, member=user).values_list(
            "session_id", flat=True
        )
    )
    return {
        "sessions": [SessionItem(s, s.pk in present, s.pk in voted) for s in sessions],
    }


@dataclass(frozen=True)
class StaffCallWork:
    call: Call
    to_check: int
    divergences: int
    sessions: int


def staff_panel(request: HttpRequest) -> dict:
    now = timezone.now()
    calls = (
        Call.objects.filter(
            state__in=[
                CallState.OPEN,
                CallState.CLOSED,
                CallState.EVALUATING,
                CallState.DECIDED,
                CallState.RESULTS_PUBLISHED,
            ],
            closes_at__lte=now,
        )
        .annotate(
            to_check=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.SUBMITTED),
                distinct=True,
            ),
            divergences=Count(
                "applications__consensus",
                filter=Q(
                    applications__consensus__state__in=[
                        ConsensusState.OPEN,
                        ConsensusState.PROPOSED,
                    ]
                ),
                distinct=True,
            ),
            sessions=Count(
                "decision_sessions",
                filter=Q(decision_sessions__state__in=DecisionState.active()),
                distinct=True,
            ),
        )
        .order_by("closes_at", "pk")
    )
    work = [
        StaffCallWork(call, call.to_check, call.divergences, call.sessions)
        for call in calls
        if call.to_check or call.divergences or call.sessions
    ]
    complaints = Complaint.objects.exclude(state__in=ComplaintState.closed()).count()
    return {"work": work, "open_complaints": complaints}


def results_link(request: HttpRequest, application: Application) -> dict | None:
    """The results link on the applicant's row, once the results of the call are out."""
    if application.call.state not in RESULTS_STATES:
        return None
    if application.state not in DECIDED_APPLICATION_STATES:
        return None
    if not ResultsPublication.objects.filter(call_id=application.call_id).exists():
        return None
    return {"application": application}


def register() -> None:
    slots.register(
        "dashboard:evaluator",
        "evaluation-assignments",
        "evaluation/panels/evaluator.html",
        evaluator_panel,
        order=10,
    )
    slots.register(
        "dashboard:committee",
        "evaluation-sessions",
        "evaluation/panels/committee.html",
        committee_panel,
        order=10,
    )
    slots.register(
        "dashboard:staff",
        "evaluation-work",
        "evaluation/panels/staff.html",
        staff_panel,
        order=20,
    )
    slots.register(
        "calls:application-row",
        "evaluation-results",
        "evaluation/applicant/_dashboard_link.html",
        results_link,
    )
