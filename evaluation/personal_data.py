"""What the evaluation app holds about a person, for the "My data" download.

For an evaluator: the profile and declared expertise, the invitation they accepted, each
assignment with its conflict-of-interest declaration, their scores and justifications, their
consensus proposals (as rapporteur) and answers. For a committee member: the sessions attended
and the votes cast. For an applicant: the complaints they filed. Applications are named by
reference, never by anyone's name; other evaluators' scores are theirs, not this person's.
"""

from typing import Any

from django.db.models import Prefetch

from evaluation.models import (
    Assignment,
    Complaint,
    Consensus,
    ConsensusAgreement,
    DecisionAttendance,
    DecisionVote,
    EvaluatorInvitation,
    EvaluatorProfile,
    Score,
)
from minegap.core.personal_data import ExportSection, plain


def _application(application) -> dict[str, Any]:
    return {"id": application.pk, "reference": application.reference, "call": application.call.code}


def _profile(user) -> dict[str, Any] | None:
    profile = EvaluatorProfile.objects.filter(user=user).prefetch_related("expertise").first()
    if profile is None:
        return None
    return {
        "country": profile.country,
        "employer": profile.employer_name,
        "keywords": profile.keywords,
        "max_proposals": profile.max_proposals,
        "declaration_accepted_at": profile.declaration_accepted_at,
        "expertise": [
            {"kind": e.kind, "name": e.name, "weight": e.weight} for e in profile.expertise.all()
        ],
        "updated_at": profile.updated_at,
    }


def _invitations(user) -> list[dict[str, Any]]:
    return [
        {"sent_at": i.created_at, "accepted_at": i.accepted_at}
        for i in EvaluatorInvitation.objects.filter(accepted_by=user).order_by("created_at", "pk")
    ]


def _assignments(user) -> list[dict[str, Any]]:
    assignments = (
        Assignment.objects.filter(evaluator=user)
        .select_related("application__call")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion")),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "application": _application(a.application),
            "state": a.state,
            "assigned_at": a.created_at,
            "conflict_declaration": a.declaration,
            "declaration_note": a.declaration_note,
            "declared_at": a.declared_at,
            "scores_submitted_at": a.submitted_at,
            "scores": [
                {
                    "criterion": s.criterion.name,
                    "score": s.value,
                    "justification": s.justification,
                    "updated_at": s.updated_at,
                }
                for s in a.scores.all()
            ],
        }
        for a in assignments
    ]


def _consensus_as_rapporteur(user) -> list[dict[str, Any]]:
    steps = (
        Consensus.objects.filter(rapporteur=user)
        .select_related("application__call")
        .prefetch_related("scores__criterion")
        .order_by("opened_at", "pk")
    )
    return [
        {
            "application": _application(c.application),
            "state": c.state,
            "comment": c.comment,
            "proposed_at": c.proposed_at,
            "concluded_at": c.concluded_at,
            "scores": [
                {"criterion": s.criterion.name, "score": s.value, "comment": s.comment}
                for s in c.scores.all()
            ],
        }
        for c in steps
    ]


def _consensus_answers(user) -> list[dict[str, Any]]:
    answers = (
        ConsensusAgreement.objects.filter(evaluator=user)
        .select_related("consensus__application__call")
        .order_by("answered_at", "pk")
    )
    return [
        {
            "application": _application(a.consensus.application),
            "agreed": a.agreed,
            "comment": a.comment,
            "answered_at": a.answered_at,
        }
        for a in answers
    ]


def _session(session) -> dict[str, Any]:
    return {"id": session.pk, "call": session.call.code, "meeting_date": session.meeting_date}


def _attendance(user) -> list[dict[str, Any]]:
    rows = (
        DecisionAttendance.objects.filter(member=user)
        .select_related("session__call")
        .order_by("recorded_at", "pk")
    )
    return [{"session": _session(r.session), "recorded_at": r.recorded_at} for r in rows]


def _votes(user) -> list[dict[str, Any]]:
    votes = (
        DecisionVote.objects.filter(member=user)
        .select_related("session__call")
        .order_by("cast_at", "pk")
    )
    return [
        {"session": _session(v.session), "choice": v.choice, "cast_at": v.cast_at} for v in votes
    ]


def _complaints(user) -> list[dict[str, Any]]:
    complaints = (
        Complaint.objects.filter(filed_by=user)
        .select_related("application__call")
        .order_by("filed_at", "pk")
    )
    return [
        {
            "application": _application(c.application),
            "filed_at": c.filed_at,
            "grounds": c.grounds,
            "state": c.state,
            "decision": c.decision,
            "decided_at": c.decided_at,
        }
        for c in complaints
    ]


def export(user) -> dict[str, Any]:
    return plain(
        {
            "evaluator_profile": _profile(user),
            "evaluator_invitations_accepted": _invitations(user),
            "assignments": _assignments(user),
            "consensus_as_rapporteur": _consensus_as_rapporteur(user),
            "consensus_answers": _consensus_answers(user),
            "committee_attendance": _attendance(user),
            "committee_votes": _votes(user),
            "complaints_filed": _complaints(user),
        }
    )


def section() -> ExportSection:
    return ExportSection(name="evaluation", export=export)
