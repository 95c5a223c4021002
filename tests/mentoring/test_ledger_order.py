"""The chain's head lock is the platform's one global lock: a service takes it as the last step
of its transaction (DESIGN.md, "Audit ledger"). Closing a voucher ends its mentoring in the same
transaction: the voucher's entry comes first, then mentoring's, both appended once every row is
written, and the chain verifies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring import services
from minegap.ledger.models import AuditEntry
from minegap.ledger.verification import verify_chain
from minegap.notifications.models import Notification
from tests.ledger_order import after_the_head_lock
from tests.mentoring.factories import accepted, expert
from vouchers import services as vouchers_services

pytestmark = pytest.mark.django_db


def _last_entries(count: int) -> list[tuple[str, str, str]]:
    rows = AuditEntry.objects.order_by("-seq").values_list("action", "target_type", "target_id")
    return list(rows[:count])[::-1]


def test_terminating_a_mentored_voucher_appends_its_entry_then_mentoring_s_last(
    project, staff, mentor
):
    assignment = accepted(project.voucher, mentor, staff)

    with CaptureQueriesContext(connection) as queries:
        vouchers_services.terminate_voucher(
            voucher=project.voucher, actor=staff, reason="The lead went bankrupt."
        )

    assert after_the_head_lock(queries) == []
    assert _last_entries(2) == [
        ("vouchers.voucher.terminated", "vouchers.voucher", str(project.voucher.pk)),
        ("mentoring.mentor.ended", "mentoring.mentorassignment", str(assignment.pk)),
    ]
    ended = AuditEntry.objects.get(action="mentoring.mentor.ended")
    assert (ended.notes, ended.actor_id) == ({"reason": "The voucher was terminated."}, staff.pk)
    assert verify_chain().intact is True


def test_changing_the_mentor_appends_the_end_then_the_new_assignment_last(project, staff, mentor):
    first = accepted(project.voucher, mentor, staff)

    with CaptureQueriesContext(connection) as queries:
        second = services.assign_mentor(
            voucher=project.voucher,
            mentor=expert(full_name="Nils Second"),
            actor=staff,
            reason="Marta moved abroad.",
        )

    assert after_the_head_lock(queries) == []
    assert _last_entries(2) == [
        ("mentoring.mentor.ended", "mentoring.mentorassignment", str(first.pk)),
        ("mentoring.mentor.assigned", "mentoring.mentorassignment", str(second.pk)),
    ]
    assert verify_chain().intact is True


@pytest.mark.parametrize(
    ("conflict", "action", "template"),
    [
        (False, "mentoring.mentor.accepted", "mentoring/mentoring_open"),
        (True, "mentoring.mentor.declined", "mentoring/mentor_declined"),
    ],
)
def test_declaring_queues_the_mails_then_appends_to_the_ledger(
    project, staff, mentor, conflict, action, template
):
    assignment = services.assign_mentor(voucher=project.voucher, mentor=mentor, actor=staff)

    with CaptureQueriesContext(connection) as queries:
        services.declare_conflict(
            assignment=assignment, actor=mentor, conflict=conflict, note="My sister runs it."
        )

    assert after_the_head_lock(queries) == []
    assert _last_entries(1) == [(action, "mentoring.mentorassignment", str(assignment.pk))]
    assert Notification.objects.latest("pk").template == template
