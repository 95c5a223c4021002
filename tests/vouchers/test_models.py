"""Database constraints hold the invariants even behind the services' back."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
)
from vouchers import services
from vouchers.models import BeneficiaryShare, Instalment, Payment, SupportService, Voucher

pytestmark = pytest.mark.django_db


def _fails(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_amounts_positive(staff):
    voucher = services.draft_voucher(application=selected_application().application, actor=staff)
    _fails(Voucher.objects.filter(pk=voucher.pk), amount=Decimal("0"))
    _fails(BeneficiaryShare.objects.filter(voucher=voucher), amount=Decimal("-1"))
    _fails(Instalment.objects.filter(voucher=voucher), percent=Decimal("0"))
    _fails(Instalment.objects.filter(voucher=voucher), approved_amount=Decimal("25000.01"))


def test_active_voucher_must_be_countersigned(staff):
    voucher = services.draft_voucher(application=selected_application().application, actor=staff)
    _fails(Voucher.objects.filter(pk=voucher.pk), state="active")


def test_payment_recorder_is_not_approver_and_key_unique(staff, staff2, staff3):
    voucher = active_voucher(selected_application(), staff)
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    payment = Payment.objects.order_by("pk").first()
    _fails(Payment.objects.filter(pk=payment.pk), recorded_by=staff2)
    _fails(Payment.objects.filter(pk=payment.pk), amount=Decimal("0"))
    last = Payment.objects.order_by("pk").last()
    _fails(Payment.objects.filter(pk=last.pk), idempotency_key=payment.idempotency_key)


def test_support_service_not_negative(staff):
    voucher = active_voucher(selected_application(), staff)
    share = voucher.shares.first()
    service = services.record_support_service(
        organisation=share.organisation,
        call=voucher.call,
        voucher=voucher,
        type="mentoring",
        provider="Cluster Finland",
        date=date(2026, 10, 1),
        hours=Decimal("12.5"),
        value=Decimal("1500.00"),
        actor=staff,
    )
    assert (service.value, service.hours) == (Decimal("1500.00"), Decimal("12.5"))
    _fails(SupportService.objects.filter(pk=service.pk), value=Decimal("-0.01"))
