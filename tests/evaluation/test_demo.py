import io

import pytest

from accounts import demo as accounts_demo
from calls import demo as calls_demo
from calls.models import Application, ApplicationState, Call
from evaluation import demo
from evaluation.models import Assignment, AssignmentState, ConsensusState
from evaluation.results import call_ranking
from minegap.ledger.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_evaluates_the_closed_call_and_is_idempotent(
    real_sme_lookup, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    accounts_demo.seed(out)
    with django_capture_on_commit_callbacks(execute=True):
        calls_demo.seed(out)
    demo.seed(out)
    call = Call.objects.get(slug=demo.CALL_SLUG)
    states = sorted(call.applications.values_list("state", flat=True))
    assert states == [ApplicationState.EVALUATED] * 6
    assert Assignment.objects.filter(application__call=call).count() == 18
    assert set(Assignment.objects.values_list("state", flat=True)) == {AssignmentState.SCORED}
    divergent = call.applications.order_by("reference")[demo.DIVERGENT]
    assert divergent.consensus.state == ConsensusState.CONCLUDED
    rows, pending = call_ranking(call)
    assert (len(rows), pending) == (6, [])
    assert [r.proposed_outcome for r in rows].count("reject") == 1
    counts = (Assignment.objects.count(), Application.objects.count(), AuditEntry.objects.count())
    demo.seed(io.StringIO())
    assert (
        Assignment.objects.count(),
        Application.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
