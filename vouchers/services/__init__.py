"""Every write of the vouchers app. Import from here: `from vouchers.services import ...`."""

from vouchers.services.agreements import (
    adjust_shares,
    complete_voucher,
    countersign,
    draft_voucher,
    draft_vouchers_for_call,
    refuse_share,
    sign_share,
    terminate_voucher,
)
from vouchers.services.deliverables import (
    reschedule_deliverable,
    review_deliverable,
    set_deliverable_public,
    submit_deliverable,
)
from vouchers.services.payments import (
    approve_payment,
    mark_due_on_mentor_report,
    record_payment,
    record_payment_once,
    recover_instalment,
    reject_payment,
    release_instalment,
    request_payment,
    withhold_instalment,
)
from vouchers.services.support import record_support_service

__all__ = [
    "adjust_shares",
    "approve_payment",
    "complete_voucher",
    "countersign",
    "draft_voucher",
    "draft_vouchers_for_call",
    "mark_due_on_mentor_report",
    "record_payment",
    "record_payment_once",
    "record_support_service",
    "recover_instalment",
    "refuse_share",
    "reject_payment",
    "release_instalment",
    "request_payment",
    "reschedule_deliverable",
    "review_deliverable",
    "set_deliverable_public",
    "sign_share",
    "submit_deliverable",
    "terminate_voucher",
    "withhold_instalment",
]
