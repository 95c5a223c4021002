"""The committee's decision services: opening from the ranking, attendance, the proposal
(reasons, budget, reserve positions), voting, closing (quorum, majority), adoption's effects."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from calls.models import ApplicationState, CallState
from evaluation.models import (
    DecisionEntry,
    DecisionSession,
    DecisionState,
    DecisionVote,
)
from evaluation.selectors_decision import canonical_bytes, document_hash, verify_decision
from evaluation.services import decision as services
from evaluation.signals import decision_adopted
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.evaluation.decision_factories import adopt, ready_call
from tests.evaluation.factories import evaluator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "The committee judged the pilot site more relevant to the call's aims."


@pytest.fixture
def ready():
    return ready_call()


def _entries(session):
    return {e.application_id: e for e in session.entries.all()}


def test_open_creates_entries_from_the_ranking(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    ready.call.refresh_from_db()
    assert ready.call.state == CallState.EVALUATING
    assert session.quorum == 2  # majority of three members
    rows = [
        (e.application_id, e.rank, e.ranking_outcome, e.outcome, e.reserve_position, e.amount)
        for e in session.entries.order_by("rank")
    ]
    a = ready.apps
    assert rows == [
        (a[0].pk, 1, "fund", "fund", None, Decimal("40000.00")),
        (a[1].pk, 2, "fund", "fund", None, Decimal("40000.00")),
        (a[2].pk, 3, "reserve", "reserve", 1, Decimal("40000.00")),
        (a[3].pk, 4, "reserve", "reserve", 2, Decimal("40000.00")),
        (a[4].pk, 5, "reject", "reject", None, Decimal("40000.00")),
    ]
    first = session.entries.get(rank=1)
    assert (first.total, first.weighted_total, first.passed) == (
        Decimal("15.00"),
        Decimal("17.500"),
        True,
    )
    assert AuditEntry.objects.filter(action="evaluation.decision.opened").count() == 1
    assert Notification.objects.filter(template="evaluation/decision_opened").count() == 3


def test_open_refused_for_non_staff_pending_and_twice(ready, staff, committee):
    with pytest.raises(PermissionDenied):
        services.open_decision_session(call=ready.call, actor=committee)
    assignment = ready.apps[2].assignments.first()
    assignment.state = "accepted"
    assignment.submitted_at = None
    assignment.save()
    with pytest.raises(ValidationError, match=ready.apps[2].reference + " still pending"):
        services.open_decision_session(call=ready.call, actor=staff)
    assert not DecisionSession.objects.exists()


def test_open_refused_twice_and_bad_quorum(ready, staff):
    with pytest.raises(ValidationError, match="between 1 and 3"):
        services.open_decision_session(call=ready.call, actor=staff, quorum=4)
    services.open_decision_session(call=ready.call, actor=staff, quorum=3)
    with pytest.raises(ValidationError, match="already open"):
        services.open_decision_session(call=ready.call, actor=staff)


def test_open_refused_when_not_evaluated_or_call_not_evaluating(ready, staff):
    ready.apps[1].state = ApplicationState.UNDER_EVALUATION
    ready.apps[1].save()
    with pytest.raises(ValidationError, match="Mark these applications as evaluated"):
        services.open_decision_session(call=ready.call, actor=staff)
    ready.call.state = CallState.DECIDED
    ready.call.save()
    with pytest.raises(ValidationError, match="call under evaluation"):
        services.open_decision_session(call=ready.call, actor=staff)


def test_attendance_only_committee_members_by_staff(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    with pytest.raises(PermissionDenied):
        services.record_attendance(session=session, actor=ready.committee[0], present=[])
    with pytest.raises(ValidationError, match="Not committee members"):
        services.record_attendance(session=session, actor=staff, present=[evaluator()])
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    services.record_attendance(session=session, actor=staff, present=ready.committee[:2])
    assert set(session.attendance.values_list("member_id", flat=True)) == {
        m.pk for m in ready.committee[:2]
    }


def test_deviation_needs_a_reason(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    entries = _entries(session)
    second, third = entries[ready.apps[1].pk], entries[ready.apps[2].pk]
    with pytest.raises(ValidationError, match="write the reason"):
        services.propose_outcome(
            entry=second, outcome="reserve", reserve_position=1, reason="short", actor=staff
        )
    member = ready.committee[0]
    services.propose_outcome(
        entry=second, outcome="reserve", reserve_position=1, reason=REASON, actor=member
    )
    services.propose_outcome(
        entry=third, outcome="fund", reserve_position=None, reason=REASON, actor=member
    )
    rows = {
        e.application_id: (e.outcome, e.reserve_position, e.deviation_reason)
        for e in session.entries.all()
    }
    assert rows[ready.apps[1].pk] == ("reserve", 1, REASON)
    assert rows[ready.apps[2].pk] == ("fund", None, REASON)
    assert rows[ready.apps[3].pk] == ("reserve", 2, "")
    entry = AuditEntry.objects.filter(action="evaluation.decision.proposed").last()
    assert entry.notes["reason"] == REASON
    assert entry.actor_id == member.pk


def test_reordering_the_reserve_needs_a_reason_and_keeps_positions_contiguous(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    entries = _entries(session)
    fourth = entries[ready.apps[3].pk]
    with pytest.raises(ValidationError, match="write the reason"):
        services.propose_outcome(
            entry=fourth, outcome="reserve", reserve_position=1, reason="", actor=staff
        )
    services.propose_outcome(
        entry=fourth, outcome="reserve", reserve_position=1, reason=REASON, actor=staff
    )
    positions = dict(
        session.entries.filter(outcome="reserve").values_list("application_id", "reserve_position")
    )
    assert positions == {ready.apps[3].pk: 1, ready.apps[2].pk: 2}
    with pytest.raises(ValidationError, match="between 1 and 2"):
        services.propose_outcome(
            entry=fourth, outcome="reserve", reserve_position=5, reason=REASON, actor=staff
        )
    # Rejecting a reserve (a deviation) closes the gap.
    services.propose_outcome(
        entry=fourth, outcome="reject", reserve_position=None, reason=REASON, actor=staff
    )
    assert dict(
        session.entries.filter(outcome="reserve").values_list("application_id", "reserve_position")
    ) == {ready.apps[2].pk: 1}


def test_funded_list_over_budget_is_refused_with_the_numbers(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    third = _entries(session)[ready.apps[2].pk]
    with pytest.raises(ValidationError) as error:
        services.propose_outcome(
            entry=third, outcome="fund", reserve_position=None, reason=REASON, actor=staff
        )
    assert "€120,000.00" in str(error.value)
    assert "€40,000.00 over" in str(error.value)
    assert "€80,000.00" in str(error.value)
    third.refresh_from_db()
    assert third.outcome == "reserve"


def test_below_threshold_cannot_be_funded_and_outsiders_cannot_propose(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    entries = _entries(session)
    services.propose_outcome(
        entry=entries[ready.apps[1].pk],
        outcome="reserve",
        reserve_position=None,
        reason=REASON,
        actor=staff,
    )
    with pytest.raises(ValidationError, match="below the thresholds"):
        services.propose_outcome(
            entry=entries[ready.apps[4].pk],
            outcome="fund",
            reserve_position=None,
            reason=REASON,
            actor=staff,
        )
    for outsider in (evaluator(), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.propose_outcome(
                entry=entries[ready.apps[0].pk],
                outcome="reject",
                reserve_position=None,
                reason=REASON,
                actor=outsider,
            )


def test_voting_needs_quorum_present_and_freezes_the_proposal(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee[:1])
    with pytest.raises(ValidationError, match="1 members present; the quorum is 2"):
        services.open_voting(session=session, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee[:2])
    with pytest.raises(PermissionDenied):
        services.open_voting(session=session, actor=ready.committee[0])
    services.open_voting(session=session, actor=staff)
    entry = _entries(session)[ready.apps[0].pk]
    with pytest.raises(ValidationError, match="cannot change once voting is open"):
        services.propose_outcome(
            entry=entry, outcome="reserve", reserve_position=None, reason=REASON, actor=staff
        )
    with pytest.raises(ValidationError, match="before voting opens"):
        services.record_attendance(session=session, actor=staff, present=ready.committee)


def test_only_present_members_vote_while_voting(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee[:2])
    with pytest.raises(ValidationError, match="The vote is not open yet"):
        services.cast_vote(session=session, member=ready.committee[0], choice="for")
    services.open_voting(session=session, actor=staff)
    with pytest.raises(PermissionDenied, match="present"):
        services.cast_vote(session=session, member=ready.committee[2], choice="for")
    with pytest.raises(PermissionDenied):
        services.cast_vote(session=session, member=staff, choice="for")
    with pytest.raises(ValidationError):
        services.cast_vote(session=session, member=ready.committee[0], choice="maybe")
    services.cast_vote(session=session, member=ready.committee[0], choice="against")
    services.cast_vote(session=session, member=ready.committee[0], choice="for")  # changed mind
    assert list(DecisionVote.objects.values_list("choice", flat=True)) == ["for"]


def test_returning_to_the_proposal_clears_the_votes(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    services.open_voting(session=session, actor=staff)
    services.cast_vote(session=session, member=ready.committee[0], choice="for")
    with pytest.raises(ValidationError, match="Say why"):
        services.return_to_proposal(session=session, actor=staff, reason="")
    services.return_to_proposal(session=session, actor=staff, reason="A member asked to amend.")
    session.refresh_from_db()
    assert (session.state, session.votes.count()) == (DecisionState.OPEN, 0)
    services.propose_outcome(
        entry=_entries(session)[ready.apps[1].pk],
        outcome="reserve",
        reserve_position=None,
        reason=REASON,
        actor=staff,
    )


@pytest.mark.parametrize(
    ("votes", "reason"),
    [
        (("for",), "Quorum not met: 1 members voted, the quorum is 2."),
        (("for", "against"), "No majority: 1 for, 1 against."),
        (("abstain", "abstain", "for"), None),
        (("against", "against", "for"), "No majority: 1 for, 2 against."),
    ],
)
def test_close_quorum_and_majority(ready, staff, votes, reason):
    session = adopt(ready, staff, votes=votes)
    if reason is None:
        assert session.state == DecisionState.ADOPTED
        return
    assert session.state == DecisionState.NOT_ADOPTED
    assert session.content["reason"] == reason
    assert session.content_hash == ""
    assert {a.state for a in ready.call.applications.all()} == {ApplicationState.EVALUATED}
    ready.call.refresh_from_db()
    assert ready.call.state == CallState.EVALUATING
    assert (
        AuditEntry.objects.get(action="evaluation.decision.not_adopted").notes["reason"] == reason
    )
    assert Notification.objects.filter(template="evaluation/decision_not_adopted").exists()
    # A new session may be opened after a failed one.
    services.open_decision_session(call=ready.call, actor=staff)


def test_closing_with_missing_votes_needs_each_missing_member_confirmed(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee[:2])
    services.open_voting(session=session, actor=staff)
    services.cast_vote(session=session, member=ready.committee[0], choice="for")
    with pytest.raises(ValidationError) as refused:
        services.close_session(session=session, actor=staff)
    assert refused.value.messages == [
        "Not voted yet: Member 1. Confirm that the vote closes without their votes, or wait "
        "for them."
    ]
    with pytest.raises(ValidationError, match="Not voted yet: Member 1"):
        services.close_session(
            session=session, actor=staff, confirmed_missing=[ready.committee[0].pk]
        )
    session.refresh_from_db()
    assert session.state == DecisionState.VOTING
    session = services.close_session(
        session=session, actor=staff, confirmed_missing=[ready.committee[1].pk]
    )
    assert session.state == DecisionState.NOT_ADOPTED
    assert session.content["reason"] == "Quorum not met: 1 members voted, the quorum is 2."


def test_close_refused_unless_voting_and_staff(ready, staff):
    session = services.open_decision_session(call=ready.call, actor=staff)
    with pytest.raises(ValidationError, match="Only a voting session"):
        services.close_session(session=session, actor=staff)
    with pytest.raises(PermissionDenied):
        services.close_session(session=session, actor=ready.committee[0])


def test_adoption_freezes_the_document_and_applies_it(
    ready, staff, django_capture_on_commit_callbacks
):
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.propose_outcome(
        entry=_entries(session)[ready.apps[3].pk],
        outcome="reserve",
        reserve_position=1,
        reason=REASON,
        actor=ready.committee[0],
    )
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    services.open_voting(session=session, actor=staff)
    for member, choice in zip(ready.committee, ("for", "for", "abstain"), strict=True):
        services.cast_vote(session=session, member=member, choice=choice)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.close_session(session=session, actor=staff)
    session.refresh_from_db()
    assert session.state == DecisionState.ADOPTED
    document = session.content
    assert document["call"] == {
        "slug": ready.call.slug,
        "title": ready.call.title,
        "code": ready.call.code,
    }
    assert (document["quorum"], document["present"]) == (2, 3)
    assert document["votes"] == {"for": 2, "against": 0, "abstain": 1}
    assert document["entries"][0] == {
        "reference": ready.apps[0].reference,
        "acronym": "APP0",
        "rank": 1,
        "total": "15.00",
        "weighted_total": "17.500",
        "passed": True,
        "amount": "40000.00",
        "ranking_outcome": "fund",
        "outcome": "fund",
        "reserve_position": None,
        "deviation_reason": "",
    }
    assert [(e["outcome"], e["reserve_position"]) for e in document["entries"]] == [
        ("fund", None),
        ("fund", None),
        ("reserve", 2),
        ("reserve", 1),
        ("reject", None),
    ]
    # No personal data in the frozen document.
    text = canonical_bytes(document).decode()
    for person in [*ready.committee, staff]:
        assert person.email not in text and person.full_name not in text
    assert b", " not in canonical_bytes(document) and b": " not in canonical_bytes(document)
    assert session.content_hash == document_hash(document)
    ledger = AuditEntry.objects.get(seq=session.ledger_seq)
    assert ledger.action == "evaluation.decision.adopted"
    assert ledger.data["content_hash"] == session.content_hash
    assert verify_decision(session)
    states = {a.pk: a.state for a in ready.call.applications.all()}
    assert [states[a.pk] for a in ready.apps] == [
        ApplicationState.SELECTED,
        ApplicationState.SELECTED,
        ApplicationState.RESERVE,
        ApplicationState.RESERVE,
        ApplicationState.REJECTED,
    ]
    for application in ready.apps:
        awarded = [m.awarded_amount for m in application.members.all()]
        expected = (
            [m.requested_amount for m in application.members.all()]
            if states[application.pk] == ApplicationState.SELECTED
            else [None, None]
        )
        assert awarded == expected
    ready.call.refresh_from_db()
    assert ready.call.state == CallState.DECIDED
    assert Notification.objects.filter(template="evaluation/decision_adopted").count() == 4
    assert session.minutes_pdf.read().startswith(b"%PDF")
    with pytest.raises(ValidationError, match="already adopted"):
        services.open_decision_session(call=ready.call, actor=staff)


def test_decision_adopted_signal_is_sent_inside_the_transaction(ready, staff):
    seen = []

    def receiver(sender, session, actor, **kwargs):
        seen.append((session.state, session.content_hash, actor))

    decision_adopted.connect(receiver)
    try:
        session = adopt(ready, staff)
    finally:
        decision_adopted.disconnect(receiver)
    assert seen == [(DecisionState.ADOPTED, session.content_hash, staff)]


def test_default_quorum_is_a_majority_of_members(staff):
    ready = ready_call(members=4)
    session = services.open_decision_session(call=ready.call, actor=staff)
    assert session.quorum == 3
    UserFactory(roles=[roles.COMMITTEE], is_active=False)
    assert services.default_quorum() == 3


def test_below_threshold_cannot_go_on_the_reserve_list(ready, staff):
    """The reserve is who moves up to the funded list: a proposal below a threshold there would
    be funded by the first vacancy, past the rule it failed."""
    session = services.open_decision_session(call=ready.call, actor=staff)
    entries = _entries(session)
    with pytest.raises(ValidationError, match="below the thresholds"):
        services.propose_outcome(
            entry=entries[ready.apps[4].pk],
            outcome="reserve",
            reserve_position=1,
            reason=REASON,
            actor=staff,
        )
    below = entries[ready.apps[4].pk]
    below.refresh_from_db()
    assert (below.outcome, below.reserve_position) == ("reject", None)
    # Written behind the service's back, the vote still refuses it.
    DecisionEntry.objects.filter(pk=below.pk).update(
        outcome="reserve", reserve_position=3, deviation_reason=REASON
    )
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    with pytest.raises(ValidationError, match="below the thresholds"):
        services.open_voting(session=session, actor=staff)
