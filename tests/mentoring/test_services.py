"""The mentoring services: assignment with its conflict checks, the mentor's declaration,
changing and ending, the meetings log; each with its ledger entry and e-mails."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluation.models import Assignment, AssignmentState, ConflictDeclaration
from mentoring import services
from mentoring.models import AssignmentState as MentorState
from mentoring.models import Meeting, MentorAssignment
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.mentoring.factories import accepted, expert
from vouchers import services as vouchers_services

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="mentoring.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _mails(template: str) -> list[str]:
    return sorted(Notification.objects.filter(template=template).values_list("email", flat=True))


def test_assigning_asks_the_mentor_who_sees_nothing_before_declaring(project, staff, mentor):
    assignment = services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)

    assert (assignment.state, assignment.assigned_by, assignment.declared_at) == (
        MentorState.PROPOSED,
        staff,
        None,
    )
    assert _actions() == ["mentoring.mentor.assigned"]
    assert _mails("mentoring/mentor_asked") == ["marta.mentor@example.eu"]
    assert mentor.has_perm("mentoring.mentor_project", assignment) is False


def test_declaring_no_conflict_starts_mentoring_and_shares_contacts(project, staff, mentor):
    assignment = services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)

    assignment = services.declare_conflict(assignment=assignment, actor=mentor, conflict=False)

    assert assignment.state == MentorState.ACCEPTED
    assert assignment.declared_at is not None
    assert _actions() == ["mentoring.mentor.assigned", "mentoring.mentor.accepted"]
    admins = sorted(a.email for a in project.consortium.admins)
    assert _mails("mentoring/mentoring_started") == admins
    started = Notification.objects.filter(template="mentoring/mentoring_started").first()
    # No person in an e-mail's stored context (everyone's "My data" holds it): the page has it.
    assert "Marta" not in str(started.context)
    assert started.context["consortium_path"] == f"/apply/vouchers/{project.voucher.pk}/mentoring/"
    assert _mails("mentoring/mentoring_open") == ["marta.mentor@example.eu"]


def test_a_declared_conflict_declines_and_bars_the_person_from_the_project(project, staff, mentor):
    assignment = services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)

    assignment = services.declare_conflict(
        assignment=assignment, actor=mentor, conflict=True, note="I advised the lead in 2025."
    )

    assert (assignment.state, assignment.conflict_note) == (
        MentorState.DECLINED,
        "I advised the lead in 2025.",
    )
    assert _mails("mentoring/mentor_declined") == [staff.email]
    entry = AuditEntry.objects.get(action="mentoring.mentor.declined")
    assert entry.notes == {"conflict": "I advised the lead in 2025."}
    assert "I advised" not in str(entry.data)
    with pytest.raises(ValidationError) as refused:
        services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)
    assert refused.value.messages == [
        "Marta Mentor declared a conflict of interest with this project."
    ]


def test_a_conflict_needs_a_note_and_a_declaration_is_given_once(project, staff, mentor):
    assignment = services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)
    with pytest.raises(ValidationError) as refused:
        services.declare_conflict(assignment=assignment, actor=mentor, conflict=True, note=" ")
    assert refused.value.messages == ["The conflict: this field is required."]

    services.declare_conflict(assignment=assignment, actor=mentor, conflict=False)
    with pytest.raises(ValidationError) as again:
        services.declare_conflict(assignment=assignment, actor=mentor, conflict=True, note="x")
    assert again.value.messages == ["You already declared for this project."]


def test_only_the_person_asked_declares(project, staff, mentor):
    assignment = services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)
    with pytest.raises(PermissionDenied):
        services.declare_conflict(assignment=assignment, actor=staff, conflict=False)
    assert MentorAssignment.objects.get().state == MentorState.PROPOSED


@pytest.mark.parametrize(
    "setup, message",
    [
        ("member", "Bo Member is a member of a beneficiary of this project."),
        ("employee", "Bo Member works for a beneficiary of this project."),
        ("evaluation", "Bo Member declared a conflict of interest with this proposal."),
        (
            "applicant",
            "Bo Member cannot mentor: mentors are consortium staff or experts of the "
            "evaluator pool who accepted its declaration.",
        ),
    ],
)
def test_known_conflicts_refuse_the_assignment(project, staff, setup, message):
    person = (
        UserFactory(full_name="Bo Member")
        if setup == "applicant"
        else expert(full_name="Bo Member")
    )
    organisation = project.consortium.organisations[1]
    if setup == "member":
        MembershipFactory(user=person, organisation=organisation)
    elif setup == "employee":
        person.evaluator_profile.employer = organisation
        person.evaluator_profile.save()
    elif setup == "evaluation":
        Assignment.objects.create(
            application=project.voucher.application,
            evaluator=person,
            state=AssignmentState.DECLINED,
            declaration=ConflictDeclaration.CONFLICT,
            declared_at=timezone.now(),
        )

    with pytest.raises(ValidationError) as refused:
        services.assign_mentor(voucher=project.voucher, mentor=person, actor=staff)

    assert refused.value.messages == [message]
    assert (MentorAssignment.objects.count(), _actions()) == (0, [])


def test_only_staff_assign(project, mentor):
    with pytest.raises(PermissionDenied):
        services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=mentor)


def test_changing_the_mentor_ends_the_current_one_with_a_reason(project, staff, mentor):
    first = accepted(project.voucher, mentor, staff)
    second_mentor = expert(full_name="Nils Second")
    with pytest.raises(ValidationError) as refused:
        services.assign_mentor(voucher=project.voucher, mentor=second_mentor, actor=staff)
    assert refused.value.messages == ["Why the mentor changes: this field is required."]

    second = services.assign_mentor(
        voucher=project.voucher, mentor=second_mentor, actor=staff, reason="Marta moved abroad."
    )

    first.refresh_from_db()
    assert (first.state, first.end_reason) == (MentorState.ENDED, "Marta moved abroad.")
    assert second.state == MentorState.PROPOSED
    assert mentor.has_perm("mentoring.mentor_project", first) is False
    assert _mails("mentoring/mentoring_ended") == ["marta.mentor@example.eu"]
    assert _actions()[-2:] == ["mentoring.mentor.ended", "mentoring.mentor.assigned"]


def test_the_same_mentor_twice_is_refused(project, staff, mentor):
    accepted(project.voucher, mentor, staff)
    with pytest.raises(ValidationError) as refused:
        services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff, reason="x")
    assert refused.value.messages == ["Marta Mentor is already this project's mentor."]


def test_ending_mentoring_needs_a_reason_and_happens_once(project, staff, mentor):
    assignment = accepted(project.voucher, mentor, staff)
    with pytest.raises(ValidationError):
        services.end_mentoring(assignment=assignment, actor=staff, reason="")

    services.end_mentoring(assignment=assignment, actor=staff, reason="Project paused.")

    with pytest.raises(ValidationError) as again:
        services.end_mentoring(assignment=assignment, actor=staff, reason="Again.")
    assert again.value.messages == ["This mentoring has already ended."]
    assert _actions().count("mentoring.mentor.ended") == 1


def test_the_mentor_records_a_meeting_the_consortium_is_told(project, staff, mentor):
    assignment = accepted(project.voucher, mentor, staff)
    today = timezone.localdate()

    meeting = services.record_meeting(
        assignment=assignment,
        actor=mentor,
        held_on=today,
        topics="Pilot site access",
        advice="Sign the site agreement before ordering sensors.",
        next_steps="Draft the agreement by Friday.",
    )

    assert list(Meeting.objects.values_list("held_on", "topics", "next_steps")) == [
        (today, "Pilot site access", "Draft the agreement by Friday.")
    ]
    entry = AuditEntry.objects.get(action="mentoring.meeting.recorded")
    assert entry.data["held_on"] == today.isoformat()
    assert entry.notes["advice"] == "Sign the site agreement before ordering sensors."
    assert _mails("mentoring/meeting_recorded") == sorted(
        a.email for a in project.consortium.admins
    )
    assert meeting.assignment == assignment


def test_meetings_in_the_future_or_by_others_are_refused(project, staff, mentor):
    assignment = accepted(project.voucher, mentor, staff)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        services.record_meeting(
            assignment=assignment, actor=mentor, held_on=tomorrow, topics="a", advice="b"
        )
    assert future.value.messages == [
        "Record a meeting once it was held: the date is in the future."
    ]
    with pytest.raises(PermissionDenied):
        services.record_meeting(
            assignment=assignment,
            actor=staff,
            held_on=timezone.localdate(),
            topics="a",
            advice="b",
        )
    with pytest.raises(ValidationError) as empty:
        services.record_meeting(
            assignment=assignment, actor=mentor, held_on=timezone.localdate(), topics="", advice="b"
        )
    assert empty.value.messages == ["Topics: this field is required."]
    assert Meeting.objects.count() == 0


def test_a_proposed_mentor_cannot_record_meetings(project, staff, mentor):
    assignment = services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(
            assignment=assignment,
            actor=mentor,
            held_on=timezone.localdate(),
            topics="a",
            advice="b",
        )
    assert refused.value.messages == ["You are not mentoring this project (any more)."]


def test_terminating_the_voucher_ends_its_mentoring(project, staff, mentor):
    assignment = accepted(project.voucher, mentor, staff)
    vouchers_services.terminate_voucher(
        voucher=project.voucher, actor=staff, reason="The lead went bankrupt."
    )

    assignment.refresh_from_db()
    assert (assignment.state, assignment.end_reason) == (
        MentorState.ENDED,
        "The voucher was terminated.",
    )
    assert _mails("mentoring/mentoring_ended") == ["marta.mentor@example.eu"]
    assert _actions()[-1] == "mentoring.mentor.ended"
    with pytest.raises(ValidationError):
        services.record_meeting(
            assignment=assignment,
            actor=mentor,
            held_on=timezone.localdate(),
            topics="a",
            advice="b",
        )


def test_closing_a_voucher_without_a_mentor_changes_nothing_in_mentoring(project, staff):
    vouchers_services.terminate_voucher(voucher=project.voucher, actor=staff, reason="Gone.")
    assert (MentorAssignment.objects.count(), _actions()) == (0, [])
