"""Signatures with re-authentication, countersignature, refusal releasing the budget."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from calls.models import ApplicationState, ConsortiumMember
from minegap.ledger.models import AuditEntry
from tests.calls.factories import CallFactory
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.vouchers.factories import active_voucher, selected_application
from vouchers import services
from vouchers.models import InstalmentState, VoucherState
from vouchers.selectors import committed_total

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def drafted(staff):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    return consortium, voucher, list(voucher.shares.order_by("pk"))


def test_sign_requires_password_again(drafted):
    consortium, _voucher, shares = drafted
    with pytest.raises(ValidationError, match="password"):
        services.sign_share(share=shares[0], actor=consortium.admins[0], password="wrong")
    shares[0].refresh_from_db()
    assert shares[0].signed_at is None


def test_only_the_beneficiarys_admin_signs(drafted):
    consortium, _voucher, shares = drafted
    with pytest.raises(PermissionDenied):
        services.sign_share(share=shares[0], actor=consortium.admins[1], password=DEFAULT_PASSWORD)
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.sign_share(share=shares[0], actor=outsider, password=DEFAULT_PASSWORD)


def test_all_signatures_then_countersignature_activate(drafted, staff):
    consortium, voucher, shares = drafted
    services.sign_share(share=shares[0], actor=consortium.admins[0], password=DEFAULT_PASSWORD)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.DRAFTED
    with pytest.raises(ValidationError, match="already answered"):
        services.sign_share(share=shares[0], actor=consortium.admins[0], password=DEFAULT_PASSWORD)
    with pytest.raises(ValidationError, match="Every beneficiary must sign"):
        services.countersign(voucher=voucher, actor=staff)
    services.sign_share(share=shares[1], actor=consortium.admins[1], password=DEFAULT_PASSWORD)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.SIGNED
    with pytest.raises(ValidationError, match="no longer open"):
        services.sign_share(share=shares[1], actor=consortium.admins[1], password=DEFAULT_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.countersign(voucher=voucher, actor=consortium.admins[0])

    voucher = services.countersign(voucher=voucher, actor=staff)

    assert voucher.state == VoucherState.ACTIVE
    consortium.application.refresh_from_db()
    assert consortium.application.state == ApplicationState.FUNDED
    assert list(voucher.instalments.order_by("sequence").values_list("state", flat=True)) == [
        InstalmentState.DUE,
        InstalmentState.SCHEDULED,
    ]
    assert list(
        AuditEntry.objects.filter(action__startswith="vouchers.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "vouchers.voucher.drafted",
        "vouchers.share.signed",
        "vouchers.share.signed",
        "vouchers.voucher.countersigned",
    ]


def test_refusal_terminates_and_releases_budget(staff):
    call = CallFactory(state="decided", total_budget=D("50000.00"))
    consortium = selected_application(call)
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    assert committed_total(call) == D("50000.00")
    share = voucher.shares.order_by("pk").last()
    with pytest.raises(ValidationError, match="Say why"):
        services.refuse_share(
            share=share, actor=consortium.admins[1], password=DEFAULT_PASSWORD, reason=" "
        )

    services.refuse_share(
        share=share,
        actor=consortium.admins[1],
        password=DEFAULT_PASSWORD,
        reason="We cannot start before 2027.",
    )

    voucher.refresh_from_db()
    assert voucher.state == VoucherState.TERMINATED
    assert committed_total(call) == D("0.00")
    consortium.application.refresh_from_db()
    assert consortium.application.state == ApplicationState.REJECTED
    assert list(
        ConsortiumMember.objects.filter(application=consortium.application).values_list(
            "awarded_amount", flat=True
        )
    ) == [None, None]
    entry = AuditEntry.objects.get(action="vouchers.voucher.refused")
    assert entry.data["released"] == "50000.00"
    # The released budget can fund another selected application.
    other = selected_application(call)
    assert services.draft_voucher(application=other.application, actor=staff).amount == D(
        "50000.00"
    )


def test_shares_change_withdraws_signatures(drafted, staff):
    consortium, voucher, shares = drafted
    services.sign_share(share=shares[0], actor=consortium.admins[0], password=DEFAULT_PASSWORD)
    services.adjust_shares(
        voucher=voucher, amounts={shares[1].pk: D("10000.00")}, actor=staff, reason="Review"
    )
    shares[0].refresh_from_db()
    assert shares[0].signed_at is None


def test_active_voucher_helper(staff):
    voucher = active_voucher(selected_application(), staff)
    assert voucher.state == VoucherState.ACTIVE
