"""Receivers of the evaluation app's signals (connected in `VouchersConfig.ready`).

They run inside the evaluation service's transaction. If the decision's vouchers cannot be
drafted (a cap, the budget), the adoption fails with that message and nothing is written. A
promoted reserve is different: it follows someone else's refusal or ineligibility, which must
stand whatever the reserve's voucher meets; its voucher is drafted in a savepoint and, if that
fails, staff are told why and draft it from the call's voucher page once it is fixed."""

from django.core.exceptions import ValidationError
from django.db import transaction

from vouchers.models import Voucher, VoucherState
from vouchers.services import notify
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
    """A reserve moved up: its voucher, or a message to staff saying why it is not drafted."""
    if move.promoted is None:
        return
    try:
        with transaction.atomic():
            draft_voucher(application=move.promoted, actor=actor)
    except ValidationError as error:
        notify.promoted_voucher_not_drafted(move.promoted, reasons=error.messages)
