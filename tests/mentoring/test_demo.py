"""The mentoring demo: call 1's live projects get a mentor, the active ones a logged meeting
and a report; a second run changes nothing."""

import io

import pytest

from accounts.demo_data import DEMO_PASSWORD
from mentoring import demo
from mentoring.models import Meeting, MentorAssignment, MilestoneReport
from tests.calls.factories import CallFactory
from tests.mentoring.factories import expert
from tests.vouchers.factories import selected_application, staff_user
from vouchers import demo as vouchers_demo

pytestmark = pytest.mark.django_db


def test_seed_mentors_call_1_s_live_projects_once():
    staff_user(email=vouchers_demo.STAFF_EMAIL)
    staff_user(email=vouchers_demo.SECOND_STAFF_EMAIL, full_name="Second Staff")
    expert(email="evaluator4@minegap.eu")
    call = CallFactory(state="decided", slug=demo.CALL_SLUG)
    for _ in range(5):
        for admin in selected_application(call).admins:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
    vouchers_demo.seed(io.StringIO())
    out = io.StringIO()

    demo.seed(out)

    assert out.getvalue().strip() == "mentoring: 4 demo projects of call 1 mentored."
    rows = list(
        MentorAssignment.objects.order_by("voucher__agreement_number").values_list(
            "voucher__state", "mentor__email", "state"
        )
    )
    assert rows == [
        ("drafted", "evaluator4@minegap.eu", "proposed"),
        ("drafted", "evaluator4@minegap.eu", "proposed"),
        ("active", "evaluator4@minegap.eu", "accepted"),
        ("active", "evaluator4@minegap.eu", "accepted"),
    ]
    assert (Meeting.objects.count(), MilestoneReport.objects.count()) == (2, 2)
    assert list(MilestoneReport.objects.values_list("approved", flat=True)) == [False, False]

    again = io.StringIO()
    demo.seed(again)
    assert again.getvalue().strip() == "mentoring: 0 demo projects of call 1 mentored."
    assert (MentorAssignment.objects.count(), Meeting.objects.count()) == (4, 2)
