"""A payment is recorded once: two concurrent requests with the same idempotency key, or two
staff clicking "record payment" at once with their own keys, produce one payment.

On PostgreSQL the threads really race (row locks decide); SQLite has no row locks and one
writer at a time, so there the same calls run one after the other and must agree."""

from datetime import date
from decimal import Decimal

import pytest

from tests.calls.factories import CallFactory
from tests.concurrency import race
from tests.vouchers.factories import active_voucher, approved_instalment, selected_application
from vouchers import services
from vouchers.models import Instalment, InstalmentShare, Payment
from vouchers.selectors import committed_total


def _setup(staff, staff2):
    voucher = active_voucher(selected_application(), staff)
    instalment = approved_instalment(voucher, staff, staff2)
    split = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").first()
    return instalment, split


def _record(split, actor, key):
    return lambda: services.record_payment(
        split=split,
        actor=actor,
        idempotency_key=key,
        value_date=date(2026, 11, 23),
        bank_reference="TRF-RACE",
    )


@pytest.mark.django_db(transaction=True)
def test_same_key_concurrently_one_payment(staff, staff2, staff3):
    instalment, split = _setup(staff, staff2)
    results, errors = race([_record(split, staff3, "same-key") for _ in range(4)])
    assert errors == []
    assert len({payment.pk for payment in results}) == 1
    assert Payment.objects.count() == 1
    assert InstalmentShare.objects.get(pk=split.pk).paid_amount == Decimal("15000.00")
    assert Instalment.objects.get(pk=instalment.pk).paid_amount == Decimal("15000.00")


@pytest.mark.django_db(transaction=True)
def test_two_staff_clicking_at_once_one_payment(staff, staff2, staff3):
    instalment, split = _setup(staff, staff2)
    other_staff = staff  # requested it, did not approve it: may record
    results, errors = race(
        [_record(split, staff3, "click-rita"), _record(split, other_staff, "click-stella")]
    )
    assert len(results) == 1
    assert [str(e.messages[0]) for e in errors] == ["This beneficiary's part is already paid."]
    assert Payment.objects.count() == 1
    assert Instalment.objects.get(pk=instalment.pk).paid_amount == Decimal("15000.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_never_exceed_the_budget(staff):
    call = CallFactory(state="decided", total_budget=Decimal("60000.00"))
    first = selected_application(call)
    second = selected_application(call)
    results, errors = race(
        [
            lambda: services.draft_voucher(application=first.application, actor=staff),
            lambda: services.draft_voucher(application=second.application, actor=staff),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert "exceed the call's budget" in errors[0].messages[0]
    assert committed_total(call) == Decimal("50000.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_in_two_calls_respect_the_lifetime_cap(staff):
    calls = [
        CallFactory(state="decided", lifetime_cap_per_sme=Decimal("50000.00")) for _ in range(2)
    ]
    consortia = [selected_application(c, (Decimal("30000.00"), Decimal("5000.00"))) for c in calls]
    shared = consortia[0].organisations[0]
    lead = consortia[1].members[0]
    lead.organisation = shared
    lead.save()
    results, errors = race(
        [
            lambda c=c: services.draft_voucher(application=c.application, actor=staff)
            for c in consortia
        ]
    )
    assert len(results) == 1
    assert "lifetime cap" in errors[0].messages[0]


@pytest.mark.django_db(transaction=True)
def test_same_key_concurrently_exactly_one_request_learns_it_created_the_payment(
    staff, staff2, staff3
):
    """The API answers 201 to the request that created the payment and 200 to replays."""
    _instalment, split = _setup(staff, staff2)
    calls = [
        lambda: services.record_payment_once(
            split=split,
            actor=staff3,
            idempotency_key="same-key-flag",
            value_date=date(2026, 11, 23),
            bank_reference="TRF-RACE",
        )
        for _ in range(4)
    ]
    results, errors = race(calls)
    assert errors == []
    assert sorted(created for _payment, created in results) == [False, False, False, True]
    assert len({payment.pk for payment, _created in results}) == 1
