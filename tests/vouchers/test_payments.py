"""Payment requests, four-eyes approval, payments per beneficiary, idempotency, withholding,
release and recovery."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from minegap.ledger.models import AuditEntry
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
)
from vouchers import services
from vouchers.models import (
    Instalment,
    InstalmentShare,
    InstalmentState,
    Payment,
    PaymentRequest,
    PaymentRequestState,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def voucher(staff):
    return active_voucher(selected_application(), staff)


def test_four_eyes_request_and_approval(voucher, staff, staff2):
    instalment = voucher.instalments.get(sequence=1)
    request = services.request_payment(instalment=instalment, actor=staff)
    with pytest.raises(ValidationError, match="Four-eyes"):
        services.approve_payment(payment_request=request, actor=staff)
    request.refresh_from_db()
    assert request.state == PaymentRequestState.REQUESTED
    services.approve_payment(payment_request=request, actor=staff2)
    request.refresh_from_db()
    instalment.refresh_from_db()
    assert (request.state, request.decided_by) == (PaymentRequestState.APPROVED, staff2)
    assert (instalment.state, instalment.approved_amount) == ("approved", D("25000.00"))
    assert request.pay_by == timezone.localdate(request.decided_at) + timedelta(days=14)


def test_four_eyes_held_by_the_database(voucher, staff):
    instalment = voucher.instalments.get(sequence=1)
    request = services.request_payment(instalment=instalment, actor=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRequest.objects.filter(pk=request.pk).update(state="approved", decided_by=staff)


def test_scheduled_instalment_cannot_be_requested(voucher, staff):
    with pytest.raises(ValidationError, match="Only a due instalment"):
        services.request_payment(instalment=voucher.instalments.get(sequence=2), actor=staff)


def test_pay_per_beneficiary_then_instalment_paid(voucher, staff, staff2, staff3):
    instalment = approved_instalment(voucher, staff, staff2)
    with pytest.raises(ValidationError, match="approved a payment does not record"):
        pay_all(instalment, staff2)
    pay_all(instalment, staff3)
    instalment.refresh_from_db()
    assert instalment.state == InstalmentState.PAID
    assert instalment.paid_amount == D("25000.00")
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [
        D("10000.00"),
        D("15000.00"),
    ]
    assert set(Payment.objects.values_list("approved_by", flat=True)) == {staff2.pk}
    assert AuditEntry.objects.filter(action="vouchers.payment.recorded").count() == 2


def test_same_key_records_once(voucher, staff, staff2, staff3):
    instalment = approved_instalment(voucher, staff, staff2)
    split = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").first()
    kwargs = {
        "split": split,
        "actor": staff3,
        "idempotency_key": "abc-123",
        "value_date": date(2026, 11, 23),
        "bank_reference": "TRF-1",
    }
    first = services.record_payment(**kwargs)
    second = services.record_payment(**kwargs)
    assert first.pk == second.pk
    assert Payment.objects.count() == 1
    other = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").last()
    with pytest.raises(ValidationError, match="already used for another payment"):
        services.record_payment(**{**kwargs, "split": other})
    with pytest.raises(ValidationError, match="already paid"):
        services.record_payment(**{**kwargs, "idempotency_key": "second-click"})


def test_never_pay_more_than_approved(voucher, staff, staff2, staff3):
    instalment = approved_instalment(voucher, staff, staff2)
    split = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").first()
    with pytest.raises(ValidationError, match="still approved"):
        services.record_payment(
            split=split,
            actor=staff3,
            idempotency_key="k1",
            value_date=date(2026, 11, 23),
            bank_reference="TRF",
            amount=D("15000.01"),
        )
    services.record_payment(
        split=split,
        actor=staff3,
        idempotency_key="k2",
        value_date=date(2026, 11, 23),
        bank_reference="TRF",
        amount=D("5000.00"),
    )
    split.refresh_from_db()
    assert split.outstanding == D("10000.00")
    instalment.refresh_from_db()
    assert instalment.state == InstalmentState.APPROVED
    # The database refuses paid above approved even behind the services' back.
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.filter(pk=instalment.pk).update(paid_amount=D("25000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        InstalmentShare.objects.filter(pk=split.pk).update(paid_amount=D("15000.01"))


def test_unapproved_instalment_cannot_be_paid(voucher, staff):
    instalment = voucher.instalments.get(sequence=1)
    services.request_payment(instalment=instalment, actor=staff)
    split = InstalmentShare.objects.filter(instalment=instalment).first()
    with pytest.raises(ValidationError, match="Only an approved instalment"):
        services.record_payment(
            split=split,
            actor=staff,
            idempotency_key="k",
            value_date=date(2026, 11, 23),
            bank_reference="TRF",
        )


def test_withhold_blocks_payment_release_restores(voucher, staff, staff2, staff3):
    instalment = approved_instalment(voucher, staff, staff2)
    with pytest.raises(ValidationError, match="Say why"):
        services.withhold_instalment(instalment=instalment, actor=staff, reason="")
    services.withhold_instalment(instalment=instalment, actor=staff, reason="Audit finding")
    instalment.refresh_from_db()
    assert (instalment.state, instalment.withheld_reason) == ("withheld", "Audit finding")
    with pytest.raises(ValidationError, match="Only an approved instalment"):
        pay_all(instalment, staff3)
    services.release_instalment(instalment=instalment, actor=staff, reason="Resolved")
    instalment.refresh_from_db()
    assert instalment.state == InstalmentState.APPROVED
    pay_all(instalment, staff3)
    instalment.refresh_from_db()
    assert instalment.state == InstalmentState.PAID
    assert [
        (entry.action, entry.notes["reason"])
        for entry in AuditEntry.objects.filter(action__startswith="vouchers.instalment.")
    ] == [
        ("vouchers.instalment.withheld", "Audit finding"),
        ("vouchers.instalment.released", "Resolved"),
    ]


def test_withheld_needs_reason_in_database(voucher):
    instalment = voucher.instalments.get(sequence=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.filter(pk=instalment.pk).update(state="withheld", withheld_reason="")


def test_recovery_up_to_what_was_paid(voucher, staff, staff2, staff3):
    instalment = approved_instalment(voucher, staff, staff2)
    pay_all(instalment, staff3)
    with pytest.raises(ValidationError, match=r"Only €25,000.00"):
        services.recover_instalment(
            instalment=instalment, actor=staff, amount=D("25000.01"), reason="Ineligible costs"
        )
    services.recover_instalment(
        instalment=instalment, actor=staff, amount=D("1200.50"), reason="Ineligible costs"
    )
    instalment.refresh_from_db()
    assert (instalment.state, instalment.recovered_amount, instalment.paid_amount) == (
        InstalmentState.RECOVERED,
        D("1200.50"),
        D("25000.00"),
    )
    assert Payment.objects.count() == 2  # nothing deleted
