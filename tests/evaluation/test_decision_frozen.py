"""An adopted decision is frozen: scores and consensus cannot change any more, and even a score
changed behind the services' back moves neither the document, its hash nor the applications."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from calls.models import ApplicationState
from evaluation.models import Consensus, DecisionSession, Score
from evaluation.results import call_ranking
from evaluation.selectors_decision import document_hash, verify_decision
from evaluation.services import decision as services
from evaluation.services.consensus import answer_consensus, open_consensus, propose_consensus
from evaluation.services.scoring import reopen_scores
from tests.evaluation.decision_factories import adopt, ready_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(staff):
    ready = ready_call()
    session = adopt(ready, staff)
    session.refresh_from_db()
    return ready, session


def test_reopening_scores_is_refused_after_adoption(adopted, staff):
    ready, _session = adopted
    assignment = ready.apps[0].assignments.first()
    with pytest.raises(ValidationError, match="decision on this call is adopted"):
        reopen_scores(assignment=assignment, actor=staff, reason="An evaluator made a typo.")
    assignment.refresh_from_db()
    assert assignment.state == "scored"


def test_consensus_changes_are_refused_after_adoption(adopted, staff):
    ready, _session = adopted
    application = ready.apps[1]
    first, second = [a.evaluator for a in application.assignments.order_by("pk")]
    with pytest.raises(ValidationError, match="decision on this call is adopted"):
        open_consensus(application=application, rapporteur=first, actor=staff)
    # A consensus left open from before the adoption cannot move either.
    consensus = Consensus.objects.create(application=application, rapporteur=first)
    scores = {c.pk: (Decimal("1"), "x" * 30) for c in ready.call.criteria.all()}
    with pytest.raises(ValidationError, match="decision on this call is adopted"):
        propose_consensus(consensus=consensus, actor=first, scores=scores)
    consensus.state = "proposed"
    consensus.save()
    with pytest.raises(ValidationError, match="decision on this call is adopted"):
        answer_consensus(consensus=consensus, actor=second, agreed=True)


def test_a_forced_score_change_does_not_move_the_decision(adopted):
    ready, session = adopted
    content, digest = session.content, session.content_hash
    states = dict(ready.call.applications.values_list("pk", "state"))
    # Behind the services' back: the worst passing proposal now scores top marks.
    Score.objects.filter(assignment__application=ready.apps[3]).update(value=Decimal("5"))
    rows, _pending = call_ranking(ready.call)
    live = [r.result.application for r in rows]
    assert live[:2] == [ready.apps[0], ready.apps[3]]  # the live ranking moved...
    session = DecisionSession.objects.get(pk=session.pk)
    assert (session.content, session.content_hash) == (content, digest)  # ...the decision not
    assert document_hash(session.content) == digest
    assert verify_decision(session)
    assert dict(ready.call.applications.values_list("pk", "state")) == states
    assert states[ready.apps[3].pk] == ApplicationState.RESERVE


def test_verify_fails_when_the_stored_document_is_altered(adopted):
    _ready, session = adopted
    content = dict(session.content)
    content["budget"] = "1.00"
    DecisionSession.objects.filter(pk=session.pk).update(content=content)
    session.refresh_from_db()
    assert not verify_decision(session)


def test_verify_is_false_for_a_session_not_adopted(staff):
    ready = ready_call()
    session = adopt(ready, staff, votes=("against", "against"))
    assert not verify_decision(session)


def test_scores_cannot_change_while_a_session_decides_on_them(staff):
    """The session's proposal is a snapshot of the ranking taken when it opened: a score reopened
    during the session would have the committee adopt ranks and totals that no longer exist."""
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    assignment = ready.apps[0].assignments.first()
    with pytest.raises(ValidationError, match="while the committee decides"):
        reopen_scores(assignment=assignment, actor=staff, reason="An evaluator made a typo.")
    application = ready.apps[1]
    first = application.assignments.order_by("pk").first().evaluator
    with pytest.raises(ValidationError, match="while the committee decides"):
        open_consensus(application=application, rapporteur=first, actor=staff)
    # A session that was not adopted lets the scores change again.
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    services.open_voting(session=session, actor=staff)
    services.close_session(
        session=session, actor=staff, confirmed_missing=[m.pk for m in ready.committee]
    )
    assert reopen_scores(assignment=assignment, actor=staff, reason="An evaluator made a typo.")
