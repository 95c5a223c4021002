"""The vouchers app listens to the committee: an adopted decision drafts the vouchers (in the
same transaction: a drafting failure fails the adoption), a promoted reserve gets its voucher,
and a beneficiary refusing the agreement moves the first reserve up."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from calls.models import ApplicationState, Call
from evaluation.models import DecisionState, ReserveMove
from evaluation.services import decision as decision_services
from evaluation.services import reserve as reserve_services
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.evaluation.decision_factories import adopt, ready_call
from tests.factories import DEFAULT_PASSWORD, MembershipFactory
from vouchers import services
from vouchers.models import Voucher, VoucherState

pytestmark = pytest.mark.django_db


def _state(application):
    application.refresh_from_db()
    return application.state


def test_an_adopted_decision_drafts_the_vouchers(staff):
    ready = ready_call()
    session = adopt(ready, staff)
    assert session.state == DecisionState.ADOPTED
    vouchers = Voucher.objects.order_by("application__reference")
    assert [(v.application_id, v.amount, v.state) for v in vouchers] == [
        (ready.apps[0].pk, Decimal("40000.00"), VoucherState.DRAFTED),
        (ready.apps[1].pk, Decimal("40000.00"), VoucherState.DRAFTED),
    ]
    assert vouchers[0].drafted_by == staff
    adopted = AuditEntry.objects.get(action="evaluation.decision.adopted")
    drafted = AuditEntry.objects.filter(action="vouchers.voucher.drafted")
    assert [e.seq > adopted.seq - 20 for e in drafted] == [True, True]


def test_a_drafting_failure_fails_the_adoption_with_its_message(staff):
    ready = ready_call()
    session = decision_services.open_decision_session(call=ready.call, actor=staff)
    decision_services.record_attendance(session=session, actor=staff, present=ready.committee)
    decision_services.open_voting(session=session, actor=staff)
    for member in ready.committee:
        decision_services.cast_vote(session=session, member=member, choice="for")
    # Each application asks EUR 40,000.
    Call.objects.filter(pk=ready.call.pk).update(cap_per_project=Decimal("30000.00"))
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=r"exceeds the cap per project of €30,000.00"):
        decision_services.close_session(session=session, actor=staff)
    session.refresh_from_db()
    assert (session.state, session.content_hash, session.ledger_seq) == (
        DecisionState.VOTING,
        "",
        None,
    )
    assert {_state(a) for a in ready.apps} == {ApplicationState.EVALUATED}
    assert not Voucher.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_promoted_reserve_gets_its_voucher(staff):
    ready = ready_call()
    adopt(ready, staff)
    move = reserve_services.vacate_selection(
        application=ready.apps[0], actor=staff, reason="Found ineligible after a check."
    )
    assert move.promoted == ready.apps[2]
    vacated = Voucher.objects.get(application=ready.apps[0])
    assert (vacated.state, vacated.state_reason) == (
        VoucherState.TERMINATED,
        "Found ineligible after a check.",
    )
    voucher = Voucher.objects.get(application=ready.apps[2])
    assert (voucher.amount, voucher.state) == (Decimal("40000.00"), VoucherState.DRAFTED)


def test_a_refused_agreement_moves_the_first_reserve_up(staff):
    ready = ready_call()
    adopt(ready, staff)
    voucher = Voucher.objects.get(application=ready.apps[1])
    share = voucher.shares.order_by("pk").first()
    admin = MembershipFactory(organisation=share.organisation).user
    services.refuse_share(
        share=share, actor=admin, password=DEFAULT_PASSWORD, reason="We cannot start in time."
    )
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.TERMINATED
    assert _state(ready.apps[1]) == ApplicationState.REJECTED
    assert _state(ready.apps[2]) == ApplicationState.SELECTED
    move = ReserveMove.objects.get()
    assert (move.vacated, move.promoted, move.actor) == (ready.apps[1], ready.apps[2], admin)
    assert "We cannot start in time." in move.reason
    promoted = Voucher.objects.get(application=ready.apps[2])
    assert promoted.state == VoucherState.DRAFTED
    assert [m.awarded_amount for m in ready.apps[1].members.all()] == [None, None]


def test_a_refusal_stands_when_the_promoted_reserves_voucher_cannot_be_drafted(staff):
    ready = ready_call()
    adopt(ready, staff)
    # The reserve that moves up now breaks the cap per project: its voucher cannot be drafted.
    Call.objects.filter(pk=ready.call.pk).update(cap_per_project=Decimal("30000.00"))
    voucher = Voucher.objects.get(application=ready.apps[1])
    share = voucher.shares.order_by("pk").first()
    admin = MembershipFactory(organisation=share.organisation).user
    services.refuse_share(
        share=share, actor=admin, password=DEFAULT_PASSWORD, reason="We cannot start in time."
    )
    assert _state(ready.apps[1]) == ApplicationState.REJECTED
    assert _state(ready.apps[2]) == ApplicationState.SELECTED
    assert not Voucher.objects.filter(application=ready.apps[2]).exists()
    notice = Notification.objects.get(template="vouchers/promoted_voucher_not_drafted")
    assert notice.recipient == staff
    assert notice.context["reference"] == ready.apps[2].reference
    assert "exceeds the cap per project of €30,000.00" in " ".join(notice.context["reasons"])
