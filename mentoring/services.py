"""Every write of the mentoring app: assign (or change) a mentor, the mentor's declaration of
conflicts, end the mentoring, record a meeting, submit a milestone report.

Each one checks who acts and the transition, runs in one transaction with the rows it changes
locked, appends a ledger entry (what people wrote goes to `notes=` only) and queues its e-mails
in the outbox (sent after commit). An approved milestone report makes the instalments that wait
for it due through vouchers' `mark_due_on_mentor_report`: the arrow goes mentoring → vouchers.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from evaluation.models import Assignment, ConflictDeclaration
from evaluation.services.common import clean_text
from mentoring import notify
from mentoring.models import (
    AssignmentState,
    Meeting,
    MentorAssignment,
    MilestoneReport,
    ProgressRating,
)
from mentoring.rules import is_eligible_mentor
from minegap.ledger.services import Entry, record, record_many
from vouchers.models import Milestone, Voucher, VoucherState
from vouchers.services import mark_due_on_mentor_report
from vouchers.services.common import lock_voucher

MENTORED_STATES = (VoucherState.DRAFTED, VoucherState.SIGNED, VoucherState.ACTIVE)
MAX_TEXT = 5000


def _require_staff(actor: User) -> None:
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can do this."))


def _text(value: str | None, label: str, *, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        raise ValidationError(_("%(field)s: this field is required.") % {"field": label})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("%(field)s: at most %(n)s characters.") % {"field": label, "n": MAX_TEXT}
        )
    return text


def conflict_refusal(*, voucher: Voucher, mentor: User) -> str | None:
    """Why `mentor` may not mentor `voucher`'s project, or None. Known conflicts refuse before
    anyone is asked: a member of a beneficiary, an employee of one (the evaluator profile), a
    conflict the person declared on this application as an evaluator or on this project as a
    mentor."""
    if not is_eligible_mentor(mentor):
        return _(
            "%(name)s cannot mentor: mentors are consortium staff or experts of the evaluator "
            "pool who accepted its declaration."
        ) % {"name": mentor}
    organisations = set(voucher.shares.values_list("organisation_id", flat=True))
    if mentor.memberships.filter(organisation_id__in=organisations).exists():
        return _("%(name)s is a member of a beneficiary of this project.") % {"name": mentor}
    profile = getattr(mentor, "evaluator_profile", None)
    if profile is not None and profile.employer_id in organisations:
        return _("%(name)s works for a beneficiary of this project.") % {"name": mentor}
    if Assignment.objects.filter(
        application_id=voucher.application_id,
        evaluator=mentor,
        declaration=ConflictDeclaration.CONFLICT,
    ).exists():
        return _("%(name)s declared a conflict of interest with this proposal.") % {"name": mentor}
    if MentorAssignment.objects.filter(
        voucher=voucher, mentor=mentor, state=AssignmentState.DECLINED
    ).exists():
        return _("%(name)s declared a conflict of interest with this project.") % {"name": mentor}
    return None


def _lock_open(voucher: Voucher) -> MentorAssignment | None:
    return (
        MentorAssignment.objects.select_for_update()
        .filter(voucher=voucher, state__in=AssignmentState.open())
        .first()
    )


def _end(assignment: MentorAssignment, actor: User | None, reason: str, now) -> Entry:
    """End the mentoring and tell the mentor; the ledger entry is returned, for the caller to
    append with the transaction's others as its last step (the chain's head lock last)."""
    assignment.state = AssignmentState.ENDED
    assignment.ended_at = now
    assignment.end_reason = reason
    assignment.save(update_fields=["state", "ended_at", "end_reason"])
    notify.mentoring_ended(assignment)
    return Entry(
        action="mentoring.mentor.ended",
        target=assignment,
        actor=actor,
        data={"voucher": assignment.voucher_id, "mentor": assignment.mentor_id},
        notes={"reason": reason},
    )


def assign_mentor(
    *, voucher: Voucher, mentor: User, actor: User, reason: str = ""
) -> MentorAssignment:
    """Staff ask `mentor` to mentor the project. A mentor already in place (or still asked) is
    replaced: then `reason` says why, and that assignment ends. The mentor sees nothing of the
    project until they declare no conflict of interest (`declare_conflict`)."""
    _require_staff(actor)
    with transaction.atomic():
        voucher = lock_voucher(voucher)
        if voucher.state not in MENTORED_STATES:
            raise ValidationError(
                _("Voucher %(number)s is %(state)s: it is not mentored any more.")
                % {"number": voucher.agreement_number, "state": voucher.get_state_display()}
            )
        refusal = conflict_refusal(voucher=voucher, mentor=mentor)
        if refusal:
            raise ValidationError(refusal)
        current = _lock_open(voucher)
        now = timezone.now()
        entries = []
        if current is not None:
            if current.mentor_id == mentor.pk:
                raise ValidationError(
                    _("%(name)s is already this project's mentor.") % {"name": mentor}
                )
            reason = _text(reason, _("Why the mentor changes"))
            entries.append(_end(current, actor, reason, now))
        assignment = MentorAssignment.objects.create(
            voucher=voucher, mentor=mentor, assigned_by=actor
        )
        notify.mentor_asked(assignment)
        entries.append(
            Entry(
                action="mentoring.mentor.assigned",
                target=assignment,
                actor=actor,
                data={
                    "voucher": voucher.pk,
                    "mentor": mentor.pk,
                    "replaces": current.pk if current else None,
                },
            )
        )
        record_many(entries)
    return assignment


def declare_conflict(
    *, assignment: MentorAssignment, actor: User, conflict: bool, note: str = ""
) -> MentorAssignment:
    """The mentor declares, before seeing the project's contacts and log, a conflict of
    interest or none. None: mentoring starts, and mentor and consortium receive each other's
    contacts. A conflict (said briefly, kept for staff): declined, the person cannot be
    assigned to this project again, and the staff who assigned are told."""
    with transaction.atomic():
        assignment = (
            MentorAssignment.objects.select_for_update()
            .select_related("voucher")
            .get(pk=assignment.pk)
        )
        if assignment.mentor_id != actor.pk:
            raise PermissionDenied(_("You were not asked to mentor this project."))
        if assignment.state != AssignmentState.PROPOSED:
            raise ValidationError(_("You already declared for this project."))
        note = _text(note, _("The conflict"), required=conflict)
        assignment.state = AssignmentState.DECLINED if conflict else AssignmentState.ACCEPTED
        assignment.declared_at = timezone.now()
        assignment.conflict_note = note if conflict else ""
        assignment.save(update_fields=["state", "declared_at", "conflict_note"])
        if conflict:
            notify.mentor_declined(assignment)
        else:
            notify.mentoring_started(assignment)
        record(
            action="mentoring.mentor.declined" if conflict else "mentoring.mentor.accepted",
            target=assignment,
            actor=actor,
            data={"voucher": assignment.voucher_id, "conflict": conflict},
            notes={"conflict": note} if conflict else None,
        )
    return assignment


def end_mentoring(*, assignment: MentorAssignment, actor: User, reason: str) -> MentorAssignment:
    """Staff end a mentoring (asked or running) without a successor; the log stays."""
    _require_staff(actor)
    reason = _text(reason, _("Why the mentoring ends"))
    with transaction.atomic():
        assignment = MentorAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state not in AssignmentState.open():
            raise ValidationError(_("This mentoring has already ended."))
        record_many([_end(assignment, actor, reason, timezone.now())])
    return assignment


def end_for_closed_voucher(*, voucher: Voucher, actor: User | None) -> list[Entry]:
    """A completed or terminated voucher ends its mentoring (vouchers' `voucher_closed` signal,
    inside the closing transaction): the mentor loses access, the log stays. Returns the ledger
    entries for the closing service to append after its own, as its transaction's last step."""
    current = _lock_open(voucher)
    if current is None:
        return []
    reason = (
        _("The voucher was completed.")
        if voucher.state == VoucherState.COMPLETED
        else _("The voucher was terminated.")
    )
    return [_end(current, actor, reason, timezone.now())]


def _lock_active(assignment: MentorAssignment, actor: User) -> MentorAssignment:
    assignment = (
        MentorAssignment.objects.select_for_update().select_related("voucher").get(pk=assignment.pk)
    )
    if assignment.mentor_id != actor.pk:
        raise PermissionDenied(_("Only the project's mentor can do this."))
    if assignment.state != AssignmentState.ACCEPTED:
        raise ValidationError(_("You are not mentoring this project (any more)."))
    return assignment


def record_meeting(
    *,
    assignment: MentorAssignment,
    actor: User,
    held_on: date,
    topics: str,
    advice: str,
    next_steps: str = "",
) -> Meeting:
    """The mentor records a meeting held (not one planned: no date in the future, nor before
    the project was assigned). The consortium is told and reads it on its mentoring page."""
    topics = _text(topics, _("Topics"))
    advice = _text(advice, _("Advice given"))
    next_steps = _text(next_steps, _("Next steps"), required=False)
    with transaction.atomic():
        assignment = _lock_active(assignment, actor)
        today = timezone.localdate()
        if held_on > today:
            raise ValidationError(
                _("Record a meeting once it was held: the date is in the future.")
            )
        if held_on < timezone.localdate(assignment.assigned_at):
            raise ValidationError(_("The meeting is dated before you were assigned."))
        meeting = Meeting.objects.create(
            assignment=assignment,
            held_on=held_on,
            topics=topics,
            advice=advice,
            next_steps=next_steps,
        )
        record(
            action="mentoring.meeting.recorded",
            target=meeting,
            actor=actor,
            data={"voucher": assignment.voucher_id, "held_on": held_on},
            notes={"topics": topics, "advice": advice, "next_steps": next_steps},
        )
        notify.meeting_recorded(meeting)
    return meeting


def submit_milestone_report(
    *,
    assignment: MentorAssignment,
    actor: User,
    milestone: Milestone,
    rating: int,
    report: str,
    approve: bool,
) -> MilestoneReport:
    """The mentor rates the project's progress at `milestone` and reports. Approving is final
    for the milestone: a second approval is refused, and the instalments that wait for this
    milestone's report become due, exactly once (vouchers locks them). A report that does not
    approve can be followed by another later."""
    report = _text(report, _("Report"))
    if rating not in ProgressRating.values:
        raise ValidationError(_("Rate the progress on the scale."))
    with transaction.atomic():
        lock_voucher(assignment.voucher)  # first, in the order assign_mentor locks
        assignment = _lock_active(assignment, actor)
        if milestone.voucher_id != assignment.voucher_id:
            raise ValidationError(_("This milestone is not one of the project's."))
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if MilestoneReport.objects.filter(milestone=milestone, approved=True).exists():
            raise ValidationError(
                _("The milestone “%(title)s” is already approved.") % {"title": milestone.title}
            )
        due: list[int] = []
        if approve:
            due = mark_due_on_mentor_report(milestone=milestone, now=timezone.now())
        saved = MilestoneReport.objects.create(
            assignment=assignment,
            milestone=milestone,
            rating=rating,
            report=report,
            approved=approve,
        )
        record(
            action="mentoring.report.submitted",
            target=saved,
            actor=actor,
            data={
                "voucher": assignment.voucher_id,
                "milestone": milestone.pk,
                "rating": rating,
                "approved": approve,
                "instalments_due": due,
            },
            notes={"report": report},
        )
        notify.report_submitted(saved, instalments_due=len(due))
    return saved
