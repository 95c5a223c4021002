"""The vouchers demo walks the selected applications to every stage (drafted, signed by one
beneficiary, pre-financed, a deliverable returned, completed), and a second run changes nothing."""

import io
from decimal import Decimal

import pytest

from accounts.demo_data import DEMO_PASSWORD
from minegap.ledger.models import AuditEntry
from tests.calls.factories import CallFactory
from tests.vouchers.factories import selected_application, staff_user
from vouchers import demo
from vouchers.models import Payment, SupportService, Voucher

pytestmark = pytest.mark.django_db


def test_seed_every_stage_and_idempotent():
    staff_user(email=demo.STAFF_EMAIL)
    staff_user(email=demo.SECOND_STAFF_EMAIL)
    call = CallFactory(state="decided")
    for _ in range(5):
        for admin in selected_application(call).admins:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
    out = io.StringIO()
    demo.seed(out)
    assert out.getvalue().strip() == "vouchers: 5 demo vouchers at every stage."
    vouchers = list(Voucher.objects.order_by("agreement_number"))
    assert [v.state for v in vouchers] == ["drafted", "drafted", "active", "active", "completed"]
    drafted, signed_by_one, prefinanced, returned, completed = vouchers
    assert [s.signed_at is not None for s in drafted.shares.order_by("pk")] == [False, False]
    assert [s.signed_at is not None for s in signed_by_one.shares.order_by("pk")] == [True, False]
    for voucher in (prefinanced, returned):
        assert [i.state for i in voucher.instalments.order_by("sequence")] == ["paid", "scheduled"]
    final = returned.deliverables.get(is_final=True)
    assert (final.state, list(final.versions.values_list("outcome", flat=True))) == (
        "returned",
        ["returned"],
    )
    assert sum(p.amount for p in Payment.objects.filter(instalment__voucher=completed)) == (
        completed.amount
    )
    assert list(
        completed.deliverables.get(is_final=True).versions.values_list("outcome", flat=True)
    ) == ["returned", "accepted"]
    assert SupportService.objects.get().value == Decimal("1800.00")
    entries = AuditEntry.objects.count()
    demo.seed(io.StringIO())
    assert AuditEntry.objects.count() == entries
    assert Payment.objects.count() == 8  # two pre-financings (2 shares) + the completed (4)


def test_seed_without_staff_skips():
    out = io.StringIO()
    demo.seed(out)
    assert out.getvalue().strip() == "vouchers: the demo staff are missing, skipped."
