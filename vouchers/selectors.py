"""Reads of the vouchers app that are reused or must stay fast."""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from accounts.models import User
from calls.models import Call
from vouchers.models import Instalment, Voucher, VoucherState
from vouchers.planning import CENT

ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)  # SQLite's SUM drops the scale


def committed_total(call: Call, *, exclude_voucher_id: int | None = None) -> Decimal:
    """What the call's vouchers commit of its budget: every live voucher's amount, plus what was
    paid (net of recoveries) under terminated ones."""
    vouchers = Voucher.objects.filter(call=call)
    if exclude_voucher_id is not None:
        vouchers = vouchers.exclude(pk=exclude_voucher_id)
    live = vouchers.filter(state__in=VoucherState.committed()).aggregate(t=Sum("amount"))["t"]
    spent = Instalment.objects.filter(
        voucher__in=vouchers.filter(state=VoucherState.TERMINATED)
    ).aggregate(paid=Sum("paid_amount"), recovered=Sum("recovered_amount"))
    return _money(live) + _money(spent["paid"]) - _money(spent["recovered"])


def vouchers_for_user(user: User) -> QuerySet[Voucher]:
    """Vouchers in which one of the user's organisations holds a share."""
    if not getattr(user, "is_authenticated", False):
        return Voucher.objects.none()
    return (
        Voucher.objects.filter(shares__organisation__memberships__user=user)
        .distinct()
        .select_related("call", "application")
        .order_by("-drafted_at", "-pk")
    )


def user_share_filter(user: User) -> Q:
    return Q(organisation__memberships__user=user)
