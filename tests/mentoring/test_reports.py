"""Milestone reports and the `mentor_report` instalment trigger: the mentor's approval makes the
instalment that waits for it due, exactly once; nothing else does."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mentoring import services
from mentoring.models import MilestoneReport, ProgressRating
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.calls.factories import PDF_BYTES, CallFactory
from tests.mentoring.factories import MENTORED_PLAN, accepted, mentored_project
from tests.vouchers.factories import selected_application, staff_user
from vouchers import services as voucher_services
from vouchers.models import InstalmentState, InstalmentTrigger

pytestmark = pytest.mark.django_db


def _states(voucher) -> list[tuple[int, str, str]]:
    return list(
        voucher.instalments.order_by("sequence").values_list("sequence", "trigger", "state")
    )


def _report(assignment, mentor, milestone, *, approve=True, rating=ProgressRating.ON_TRACK):
    return services.submit_milestone_report(
        assignment=assignment,
        actor=mentor,
        milestone=milestone,
        rating=rating,
        report="Pilot line installed; throughput at 80 % of target.",
        approve=approve,
    )


def test_the_call_plan_puts_the_mentor_report_on_an_interim_milestone(project):
    voucher = project.voucher
    instalment = voucher.instalments.get(sequence=2)
    milestone = voucher.milestones.get(sequence=1)

    assert _states(voucher) == [
        (1, "signature", "due"),
        (2, "mentor_report", "scheduled"),
        (3, "final_deliverable", "scheduled"),
    ]
    assert (instalment.milestone, instalment.deliverable, milestone.title) == (
        milestone,
        None,
        "Mid-term review",
    )
    assert [m.title for m in voucher.milestones.order_by("sequence")] == [
        "Mid-term review",
        "Project completion",
    ]


def test_an_approved_report_makes_the_instalment_due_exactly_once(project, staff, mentor):
    voucher = project.voucher
    assignment = accepted(voucher, mentor, staff)
    milestone = voucher.milestones.get(sequence=1)
    instalment = voucher.instalments.get(sequence=2)

    report = _report(assignment, mentor, milestone)

    instalment.refresh_from_db()
    assert (report.approved, report.rating, instalment.state) == (True, 3, InstalmentState.DUE)
    assert instalment.due_at is not None
    entry = AuditEntry.objects.get(action="mentoring.report.submitted")
    assert (entry.data["instalments_due"], entry.data["approved"], entry.data["rating"]) == (
        [instalment.pk],
        True,
        3,
    )
    assert list(
        Notification.objects.filter(template="mentoring/instalment_due").values_list(
            "email", flat=True
        )
    ) == [staff.email]
    with pytest.raises(ValidationError) as again:
        _report(assignment, mentor, milestone)
    assert again.value.messages == ["The milestone “Mid-term review” is already approved."]
    assert MilestoneReport.objects.filter(approved=True).count() == 1


def test_a_report_that_does_not_approve_leaves_the_instalment_scheduled(project, staff, mentor):
    voucher = project.voucher
    assignment = accepted(voucher, mentor, staff)
    milestone = voucher.milestones.get(sequence=1)

    _report(assignment, mentor, milestone, approve=False, rating=ProgressRating.AT_RISK)
    assert _states(voucher)[1] == (2, "mentor_report", "scheduled")

    _report(assignment, mentor, milestone, approve=True)
    assert _states(voucher)[1] == (2, "mentor_report", "due")
    assert list(MilestoneReport.objects.order_by("pk").values_list("rating", "approved")) == [
        (2, False),
        (3, True),
    ]


def test_accepting_the_milestone_s_deliverable_does_not_trigger_the_mentor_s_instalment(
    project, staff
):
    voucher = project.voucher
    deliverable = voucher.deliverables.get(milestone__sequence=1)
    admin = project.consortium.admins[0]
    voucher_services.submit_deliverable(
        deliverable=deliverable,
        upload=SimpleUploadedFile("mid.pdf", PDF_BYTES, content_type="application/pdf"),
        actor=admin,
    )
    voucher_services.review_deliverable(deliverable=deliverable, actor=staff, accept=True)

    assert _states(voucher)[1] == (2, "mentor_report", "scheduled")


def test_a_withheld_instalment_stays_withheld_but_is_released_as_due(project, staff, mentor):
    voucher = project.voucher
    assignment = accepted(voucher, mentor, staff)
    instalment = voucher.instalments.get(sequence=2)
    voucher_services.withhold_instalment(instalment=instalment, actor=staff, reason="Audit.")

    _report(assignment, mentor, voucher.milestones.get(sequence=1))
    instalment.refresh_from_db()
    assert (instalment.state, instalment.due_at is not None) == (InstalmentState.WITHHELD, True)

    voucher_services.release_instalment(instalment=instalment, actor=staff, reason="Audit done.")
    instalment.refresh_from_db()
    assert instalment.state == InstalmentState.DUE


def test_a_released_instalment_waits_again_when_no_report_approved_it(project, staff):
    instalment = project.voucher.instalments.get(sequence=2)
    voucher_services.withhold_instalment(instalment=instalment, actor=staff, reason="Audit.")
    voucher_services.release_instalment(instalment=instalment, actor=staff, reason="Done.")
    instalment.refresh_from_db()
    assert instalment.state == InstalmentState.SCHEDULED


def test_reports_on_another_project_s_milestone_or_off_the_scale_are_refused(
    project, staff, mentor
):
    assignment = accepted(project.voucher, mentor, staff)
    other = mentored_project(staff_user())
    with pytest.raises(ValidationError) as foreign:
        _report(assignment, mentor, other.voucher.milestones.get(sequence=1))
    assert foreign.value.messages == ["This milestone is not one of the project's."]
    with pytest.raises(ValidationError) as scale:
        _report(assignment, mentor, project.voucher.milestones.get(sequence=1), rating=7)
    assert scale.value.messages == ["Rate the progress on the scale."]
    assert MilestoneReport.objects.count() == 0
    assert _states(other.voucher)[1] == (2, "mentor_report", "scheduled")


def test_approving_a_milestone_of_a_voucher_not_yet_active_is_refused(staff, mentor):
    call = CallFactory(state="decided", instalment_plan=MENTORED_PLAN)
    voucher = voucher_services.draft_voucher(
        application=selected_application(call).application, actor=staff
    )
    assignment = accepted(voucher, mentor, staff)

    with pytest.raises(ValidationError) as refused:
        _report(assignment, mentor, voucher.milestones.get(sequence=1))

    assert refused.value.messages == [
        f"Voucher {voucher.agreement_number} is not active: its instalments cannot become due."
    ]
    assert MilestoneReport.objects.count() == 0


def test_a_terminated_voucher_s_mentor_reports_no_more(staff, mentor):
    project = mentored_project(staff)
    assignment = accepted(project.voucher, mentor, staff)
    voucher_services.terminate_voucher(
        voucher=project.voucher, actor=staff, reason="The lead went bankrupt."
    )

    with pytest.raises(ValidationError) as refused:
        _report(assignment, mentor, project.voucher.milestones.get(sequence=1))

    assert refused.value.messages == ["You are not mentoring this project (any more)."]
    assert MilestoneReport.objects.count() == 0


def test_the_trigger_is_one_of_the_instalment_triggers():
    assert InstalmentTrigger.MENTOR_REPORT.label == "Mentor's milestone report approved"
