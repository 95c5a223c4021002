import io

import pytest

from accounts import demo as accounts_demo
from calls import demo
from calls.models import Application, ApplicationState, Call, CallState, MemberStatus
from minegap.ledger.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_seeds_two_mtg_calls_and_is_idempotent(django_capture_on_commit_callbacks):
    out = io.StringIO()
    accounts_demo.seed(out)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(out)
    closed = Call.objects.get(slug="mine-the-gap-open-call-1")
    open_ = Call.objects.get(slug="mine-the-gap-open-call-2")
    assert (closed.state, closed.effective_state, open_.effective_state) == (
        CallState.CLOSED,
        CallState.CLOSED,
        CallState.OPEN,
    )
    assert list(closed.applications.order_by("reference").values_list("reference", flat=True)) == [
        f"MTG-OC1-{n:04d}" for n in range(1, 7)
    ]
    submitted = open_.applications.get(state=ApplicationState.SUBMITTED)
    assert (submitted.reference, submitted.acronym) == ("MTG-OC2-0001", "NICKELWATCH")
    assert submitted.versions.get().receipt.name.endswith(".pdf")
    draft = open_.applications.get(state=ApplicationState.DRAFT)
    assert sorted(draft.members.values_list("status", flat=True)) == [
        MemberStatus.CONFIRMED,
        MemberStatus.INVITED,
    ]
    counts = (Call.objects.count(), Application.objects.count(), AuditEntry.objects.count())
    demo.seed(io.StringIO())
    assert (Call.objects.count(), Application.objects.count(), AuditEntry.objects.count()) == counts
