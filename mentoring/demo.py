"""Demo mentoring (idempotent): `python manage.py seed_demo` calls `seed` after the vouchers.

Call 1's live funded projects get a mentor (staff or an expert of the evaluator pool, the
first one whose conflicts allow it): the active ones declared no conflict, and have their
kick-off meeting logged and a mentor's report on their first milestone; a project still being
signed waits for its mentor's declaration. A project that already had a mentor is left as it
is: a second run changes nothing.
The notes name no person (the "My data" exports of the demo people are checked for that)."""

from django.utils import timezone

from accounts.models import User
from calls.models import Call
from mentoring import services
from mentoring.models import AssignmentState, ProgressRating
from vouchers.models import Voucher, VoucherState

CALL_SLUG = "mine-the-gap-open-call-1"
STAFF_EMAIL = "staff@minegap.eu"
MENTOR_EMAILS = ("evaluator4@minegap.eu", "staff2@minegap.eu", "evaluator3@minegap.eu")
KICK_OFF = {
    "topics": "Kick-off: work plan, pilot site access and the first milestone.",
    "advice": "Secure the mine's written site-access agreement before ordering equipment; "
    "measure throughput on two ore types.",
    "next_steps": "The lead drafts the site-access agreement; the partner lists its sensors.",
}


def _mentor_for(voucher: Voucher) -> User | None:
    for email in MENTOR_EMAILS:
        person = User.objects.filter(email=email).first()
        if person is not None and services.conflict_refusal(voucher=voucher, mentor=person) is None:
            return person
    return None


def _mentor(voucher: Voucher, staff: User) -> bool:
    if voucher.mentor_assignments.exists():
        return False
    mentor = _mentor_for(voucher)
    if mentor is None:
        return False
    assignment = services.assign_mentor(voucher=voucher, mentor=mentor, actor=staff)
    if voucher.state != VoucherState.ACTIVE:
        return True  # still being signed: the mentor's declaration is the next step
    assignment = services.declare_conflict(assignment=assignment, actor=mentor, conflict=False)
    # Meetings are recorded once held, never dated before the assignment (just now): today.
    services.record_meeting(
        assignment=assignment, actor=mentor, held_on=timezone.localdate(), **KICK_OFF
    )
    milestone = voucher.milestones.order_by("sequence").first()
    if milestone is not None:
        services.submit_milestone_report(
            assignment=assignment,
            actor=mentor,
            milestone=milestone,
            rating=ProgressRating.ON_TRACK,
            report="The pilot runs on site; results are due before the milestone date. "
            "The consortium follows the plan; the customer discovery needs more interviews.",
            approve=False,
        )
    return assignment.state == AssignmentState.ACCEPTED


def seed(stdout) -> None:
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    call = Call.objects.filter(slug=CALL_SLUG).first()
    if staff is None or call is None:
        stdout.write("mentoring: the demo staff or call 1 are missing, skipped.")
        return
    vouchers = call.vouchers.filter(state__in=services.MENTORED_STATES).order_by("agreement_number")
    done = sum(_mentor(voucher, staff) for voucher in vouchers)
    stdout.write(f"mentoring: {done} demo projects of call 1 mentored.")
