"""Receivers of the evaluation app's signals (connected in `VouchersConfig.ready`).

They run inside the evaluation service's transaction: if a voucher cannot be drafted (a cap,
the budget), the adoption or the promotion fails with that message and nothing is written."""

from vouchers.models import Voucher, VoucherState
from vouchers.services.agreements import draft_voucher, draft_vouchers_for_call, terminate_voucher


def draft_on_decision(sender, session, actor, **kwargs) -> None:
    """The committee adopted its decision: one voucher per selected application."""
    draft_vouchers_for_call(call=session.call, actor=actor)


def terminate_on_vacancy(sender, application, reason, actor, **kwargs) -> None:
    """A selected application left the funded list: its voucher (if still open) ends, so its
    amount no longer counts against the budget the reserve moves into. A refused agreement
    is terminated already."""
    voucher = (
        Voucher.objects.filter(application=application)
        .exclude(state__in=[VoucherState.TERMINATED, VoucherState.COMPLETED])
        .first()
    )
    if voucher is not None:
        terminate_voucher(voucher=voucher, actor=actor, reason=reason)


def draft_on_promotion(sender, move, actor, **kwargs) -> None:
    """A reserve moved up: its voucher."""
    if move.promoted is not None:
        draft_voucher(application=move.promoted, actor=actor)
