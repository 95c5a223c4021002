"""Two approvals of the same milestone at once (a double click, two tabs) make one approved
report and one due instalment. On PostgreSQL the threads really race (row locks decide); SQLite
has one writer at a time, so there the calls run one after the other and must agree."""

import pytest

from mentoring import services
from mentoring.models import MilestoneReport
from minegap.ledger.models import AuditEntry
from tests.concurrency import race
from tests.mentoring.factories import accepted, expert, mentored_project
from tests.vouchers.factories import staff_user
from vouchers.models import InstalmentState


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_make_the_instalment_due_once():
    staff = staff_user()
    mentor = expert()
    project = mentored_project(staff)
    assignment = accepted(project.voucher, mentor, staff)
    milestone = project.voucher.milestones.get(sequence=1)

    def approve():
        return services.submit_milestone_report(
            assignment=assignment,
            actor=mentor,
            milestone=milestone,
            rating=3,
            report="On track.",
            approve=True,
        )

    results, errors = race([approve, approve])

    assert (len(results), [e.messages for e in errors]) == (
        1,
        [["The milestone “Mid-term review” is already approved."]],
    )
    assert MilestoneReport.objects.filter(approved=True).count() == 1
    instalment = project.voucher.instalments.get(sequence=2)
    assert instalment.state == InstalmentState.DUE
    due_lists = [
        e.data["instalments_due"]
        for e in AuditEntry.objects.filter(action="mentoring.report.submitted")
    ]
    assert due_lists == [[instalment.pk]]
