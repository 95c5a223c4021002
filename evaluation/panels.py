"""The evaluation app's dashboard panels: evaluators' assignments, the committee's sessions,
staff's evaluation work per call, and the results link on an applicant's application row."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls import tab_counts
from calls.models import Application, ApplicationState, Call, CallState
from calls.tab_counts import count_of, tab_figures
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
from minegap.core.addresses import reverse_once

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
    consensus_steps: int  # consensus steps open (divergences without one show on the scores page)
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
            consensus_steps=Count(
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
        StaffCallWork(call, call.to_check, call.consensus_steps, call.sessions)
        for call in calls
        if call.to_check or call.consensus_steps or call.sessions
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


def _eligibility_tab(request: HttpRequest, call: Call) -> slots.Tab:
    waiting = tab_figures(call)["eligibility_to_decide"]
    return slots.tab(
        request,
        url=reverse_once("evaluation:eligibility", call.slug),
        label=_("Eligibility"),
        url_names=("evaluation:eligibility", "evaluation:eligibility-detail"),
        count=waiting,
        count_label=ngettext("to decide", "to decide", waiting),
        stage=call.effective_state == CallState.CLOSED,
    )


def _assignments_tab(request: HttpRequest, call: Call) -> slots.Tab:
    active = tab_figures(call)["active_assignments"]
    return slots.tab(
        request,
        url=reverse_once("evaluation:assignments", call.slug),
        label=_("Assignments"),
        url_names=(
            "evaluation:assignments",
            "evaluation:assignment-settings",
            "evaluation:assignment-add",
            "evaluation:assignment-remove",
        ),
        count=active,
        count_label=ngettext("assignment", "assignments", active),
    )


def _scores_tab(request: HttpRequest, call: Call) -> slots.Tab:
    # Open consensus steps: a cheap count that is exactly what it says. Divergences that no
    # consensus step settles yet are listed on the scores page itself, which computes them.
    steps = tab_figures(call)["open_consensus_steps"]
    return slots.tab(
        request,
        url=reverse_once("evaluation:scores", call.slug),
        label=_("Scores and consensus"),
        url_names=("evaluation:scores", "evaluation:scores-reopen"),
        count=steps,
        count_label=ngettext("consensus step open", "consensus steps open", steps),
        stage=call.effective_state == CallState.EVALUATING,
    )


def _ranking_tab(request: HttpRequest, call: Call) -> slots.Tab:
    return slots.tab(
        request,
        url=reverse_once("evaluation:ranking", call.slug),
        label=_("Ranking"),
        url_names=("evaluation:ranking",),
    )


def _decision_tab(request: HttpRequest, call: Call) -> slots.Tab:
    figures = tab_figures(call)
    session_pk, session_state = figures["latest_session"], figures["latest_session_state"]
    url = (
        reverse_once("evaluation:committee-session", session_pk)
        if session_pk
        else reverse_once("evaluation:committee")
    )
    return slots.tab(
        request,
        url=url,
        label=_("Decision"),
        url_names=("evaluation:committee-session", "evaluation:committee-voting"),
        stage=session_pk is not None and session_state in DecisionState.active(),
    )


def _results_tab(request: HttpRequest, call: Call) -> slots.Tab:
    complaints = tab_figures(call)["open_complaints"]
    return slots.tab(
        request,
        url=reverse_once("evaluation:results-publication", call.slug),
        label=_("Results and complaints"),
        url_names=("evaluation:results-publication",),
        count=complaints,
        count_label=ngettext("open complaint", "open complaints", complaints),
        stage=call.effective_state == CallState.DECIDED,
    )


def _latest_session() -> QuerySet:
    return DecisionSession.objects.filter(call=OuterRef("pk")).order_by("-opened_at", "-pk")


#: The tab bar's figures of this app (`calls.tab_counts`), all read in the bar's one query.
TAB_FIGURES = {
    "eligibility_to_decide": lambda: count_of(
        Application.objects.filter(call=OuterRef("pk"), state=ApplicationState.SUBMITTED)
    ),
    "active_assignments": lambda: count_of(
        Assignment.objects.filter(
            application__call=OuterRef("pk"), state__in=AssignmentState.active()
        )
    ),
    "open_consensus_steps": lambda: count_of(
        Consensus.objects.filter(
            application__call=OuterRef("pk"),
            state__in=[ConsensusState.OPEN, ConsensusState.PROPOSED],
        )
    ),
    "latest_session": lambda: Subquery(_latest_session().values("pk")[:1]),
    "latest_session_state": lambda: Subquery(_latest_session().values("state")[:1]),
    "open_complaints": lambda: count_of(
        Complaint.objects.filter(application__call=OuterRef("pk")).exclude(
            state__in=ComplaintState.closed()
        )
    ),
}


def register() -> None:
    for name, expression in TAB_FIGURES.items():
        tab_counts.register(name, expression)
    for order, (name, builder) in enumerate(
        [
            ("eligibility", _eligibility_tab),
            ("assignments", _assignments_tab),
            ("scores", _scores_tab),
            ("ranking", _ranking_tab),
            ("decision", _decision_tab),
            ("results", _results_tab),
        ],
        start=30,
    ):
        slots.register_tab("calls:call-tabs", name, builder, order=order)
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
