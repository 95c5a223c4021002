"""The mentoring e-mails, queued in the outbox inside the service's transaction."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from accounts.selectors import organisation_admins, people_with_role
from calls import selectors as calls_selectors
from mentoring.models import Meeting, MentorAssignment, MilestoneReport
from minegap.notifications.services import enqueue


def _consortium_admins(assignment: MentorAssignment):
    return organisation_admins(
        [share.organisation for share in assignment.voucher.shares.select_related("organisation")]
    )


def _base(assignment: MentorAssignment) -> dict:
    voucher = assignment.voucher
    return {
        "site_url": settings.SITE_URL.rstrip("/"),
        "number": voucher.agreement_number,
        "project": calls_selectors.submitted_record(voucher.application).display_name,
        "consortium_path": reverse("mentoring:my-mentoring", args=[voucher.pk]),
        "mentor_path": reverse("mentoring:mentor-project", args=[assignment.pk]),
    }


def mentor_asked(assignment: MentorAssignment) -> None:
    enqueue(
        template="mentoring/mentor_asked",
        subject=_("You are asked to mentor project %(number)s")
        % {"number": assignment.voucher.agreement_number},
        recipients=[assignment.mentor],
        context={
            **_base(assignment),
            "declare_path": reverse("mentoring:declare", args=[assignment.pk]),
        },
    )


def mentor_declined(assignment: MentorAssignment) -> None:
    recipients = [assignment.assigned_by] if assignment.assigned_by_id else []
    enqueue(
        template="mentoring/mentor_declined",
        subject=_("Mentor for %(number)s declared a conflict of interest")
        % {"number": assignment.voucher.agreement_number},
        recipients=recipients or people_with_role(roles.STAFF),
        context={
            **_base(assignment),
            "manage_path": reverse("mentoring:manage-voucher", args=[assignment.voucher_id]),
        },
    )


def mentoring_started(assignment: MentorAssignment) -> None:
    """Consortium and mentor are sent to their pages, where each finds the other's name and
    address (no person is named in an e-mail's stored context: it is in everyone's "My data")."""
    base = _base(assignment)
    enqueue(
        template="mentoring/mentoring_started",
        subject=_("Your project %(number)s has a mentor")
        % {"number": assignment.voucher.agreement_number},
        recipients=_consortium_admins(assignment),
        context=base,
    )
    enqueue(
        template="mentoring/mentoring_open",
        subject=_("Mentoring of %(number)s: the project's page is open")
        % {"number": assignment.voucher.agreement_number},
        recipients=[assignment.mentor],
        context=base,
    )


def mentoring_ended(assignment: MentorAssignment) -> None:
    enqueue(
        template="mentoring/mentoring_ended",
        subject=_("Your mentoring of %(number)s has ended")
        % {"number": assignment.voucher.agreement_number},
        recipients=[assignment.mentor],
        context=_base(assignment),
    )


def meeting_recorded(meeting: Meeting) -> None:
    assignment = meeting.assignment
    enqueue(
        template="mentoring/meeting_recorded",
        subject=_("Mentoring meeting of %(date)s recorded for %(number)s")
        % {"date": meeting.held_on.isoformat(), "number": assignment.voucher.agreement_number},
        recipients=_consortium_admins(assignment),
        context={**_base(assignment), "held_on": meeting.held_on},
    )


def report_submitted(report: MilestoneReport, *, instalments_due: int) -> None:
    assignment = report.assignment
    context = {
        **_base(assignment),
        "milestone": report.milestone.title,
        "rating": str(report.get_rating_display()),
        "approved": report.approved,
        "instalments_due": instalments_due,
    }
    subject = _("Mentor's report on “%(milestone)s” (%(number)s)") % {
        "milestone": report.milestone.title,
        "number": assignment.voucher.agreement_number,
    }
    enqueue(
        template="mentoring/report_submitted",
        subject=subject,
        recipients=_consortium_admins(assignment),
        context=context,
    )
    if instalments_due:
        enqueue(
            template="mentoring/instalment_due",
            subject=subject,
            recipients=people_with_role(roles.STAFF),
            context={
                **context,
                "manage_path": reverse("vouchers:manage-voucher", args=[assignment.voucher_id]),
            },
        )
