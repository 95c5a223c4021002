"""When a payment action is allowed now: each ``*_refusal`` function gives the one-line reason
it is refused, or ``None``; the service raises that line, the page shows it instead of the
button, so the two cannot disagree."""

from django.utils.translation import gettext

from accounts.models import User
from vouchers.models import (
    Instalment,
    InstalmentState,
    PaymentRequest,
    PaymentRequestState,
    VoucherState,
)


def payment_request_refusal(instalment: Instalment) -> str | None:
    """A payment is requested once per due instalment of an active voucher."""
    if instalment.voucher.state != VoucherState.ACTIVE:
        return gettext("Payments are requested only under an active voucher.")
    if instalment.state != InstalmentState.DUE:
        return gettext("Only a due instalment can be requested for payment.")
    # .all(): the page's prefetched requests, the service's fresh read under the lock.
    if any(r.state == PaymentRequestState.REQUESTED for r in instalment.payment_requests.all()):
        return gettext("A request for this instalment already waits for approval.")
    return None


def payment_approval_refusal(payment_request: PaymentRequest, actor: User) -> str | None:
    """Four-eyes: the request is approved by another staff member, while the instalment is
    still due."""
    if payment_request.state != PaymentRequestState.REQUESTED:
        return gettext("This request was already decided.")
    if payment_request.requested_by_id == actor.pk:
        return gettext(
            "Four-eyes rule: you requested this payment, so another staff member approves it."
        )
    if payment_request.instalment.state != InstalmentState.DUE:
        return gettext("The instalment is no longer due (withheld or settled).")
    return None
