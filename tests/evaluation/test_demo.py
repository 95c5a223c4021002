import io

import pytest

from accounts import demo as accounts_demo
from calls import demo as calls_demo
from calls.models import Application, ApplicationState, Call
from evaluation import demo
from evaluation.models import (
    Assignment,
    AssignmentState,
    ConsensusState,
    DecisionSession,
    DecisionState,
)
from evaluation.selectors_decision import verify_decision
from minegap.ledger.models import AuditEntry
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


def test_demo_evaluates_and_decides_the_closed_call_and_is_idempotent(
    django_capture_on_commit_callbacks,
):
    out = io.StringIO()
    accounts_demo.seed(out)
    with django_capture_on_commit_callbacks(execute=True):
        calls_demo.seed(out)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(out)
    call = Call.objects.get(slug=demo.CALL_SLUG)
    assert Assignment.objects.filter(application__call=call).count() == 18
    assert set(Assignment.objects.values_list("state", flat=True)) == {AssignmentState.SCORED}
    divergent = call.applications.order_by("reference")[demo.DIVERGENT]
    assert divergent.consensus.state == ConsensusState.CONCLUDED
    # The committee decided through the services: three members present, two for, one abstaining.
    session = DecisionSession.objects.get(call=call)
    assert session.state == DecisionState.ADOPTED
    assert session.content["votes"] == {"for": 2, "against": 0, "abstain": 1}
    assert session.content["present"] == 3
    assert verify_decision(session)
    assert session.minutes_pdf
    states = sorted(call.applications.values_list("state", flat=True))
    assert states == [ApplicationState.REJECTED] + [ApplicationState.SELECTED] * 5
    assert Voucher.objects.filter(call=call).count() == 5  # drafted by the adoption
    counts = (
        Assignment.objects.count(),
        Application.objects.count(),
        DecisionSession.objects.count(),
        AuditEntry.objects.count(),
    )
    out = io.StringIO()
    demo.seed(out)
    assert "already decided" in out.getvalue()
    assert (
        Assignment.objects.count(),
        Application.objects.count(),
        DecisionSession.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
