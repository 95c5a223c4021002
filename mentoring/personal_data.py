"""What the mentoring app holds about a person, for the "My data" download: as a mentor, the
projects they were asked to mentor (with their own declaration), the meetings they recorded and
the milestone reports they wrote. Who assigned them is not named."""

from typing import Any

from mentoring.models import Meeting, MentorAssignment, MilestoneReport
from minegap.core.personal_data import ExportSection, plain


def _assignments(user) -> list[dict[str, Any]]:
    rows = MentorAssignment.objects.filter(mentor=user).select_related("voucher")
    return [
        {
            "agreement_number": a.voucher.agreement_number,
            "state": a.state,
            "assigned_at": a.assigned_at,
            "declared_at": a.declared_at,
            "conflict_declared": a.conflict_note,
            "ended_at": a.ended_at,
        }
        for a in rows.order_by("assigned_at", "pk")
    ]


def _meetings(user) -> list[dict[str, Any]]:
    rows = Meeting.objects.filter(assignment__mentor=user).select_related("assignment__voucher")
    return [
        {
            "agreement_number": m.assignment.voucher.agreement_number,
            "held_on": m.held_on,
            "topics": m.topics,
            "advice": m.advice,
            "next_steps": m.next_steps,
            "recorded_at": m.recorded_at,
        }
        for m in rows.order_by("held_on", "pk")
    ]


def _reports(user) -> list[dict[str, Any]]:
    rows = MilestoneReport.objects.filter(assignment__mentor=user).select_related(
        "assignment__voucher", "milestone"
    )
    return [
        {
            "agreement_number": r.assignment.voucher.agreement_number,
            "milestone": r.milestone.title,
            "rating": r.rating,
            "approved": r.approved,
            "report": r.report,
            "submitted_at": r.submitted_at,
        }
        for r in rows.order_by("submitted_at", "pk")
    ]


def export(user) -> dict[str, Any]:
    return plain(
        {
            "mentor_assignments": _assignments(user),
            "meetings_recorded": _meetings(user),
            "milestone_reports": _reports(user),
        }
    )


def section() -> ExportSection:
    return ExportSection(name="mentoring", export=export)
